package io.conveyor.cli.upload;

import com.fasterxml.jackson.databind.JsonNode;
import io.conveyor.cli.CliException;
import io.conveyor.cli.ExitCodes;
import io.conveyor.cli.http.ApiClient;
import io.conveyor.cli.output.ProgressDisplay;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;
import java.util.function.LongFunction;

/**
 * Uploads an input through the single presigned PUT the API issued for it: one request per file, the body streamed from
 * disk (never held in memory), exactly the headers the API listed (the size and content type are part of the
 * signature), and the SHA-256 recomputed from the bytes as they are sent, so a file that changed after it was
 * declared is caught here rather than at submit.
 *
 * <p>Inputs above the API's multipart threshold (64 MiB by default) come with a multipart upload instead, which
 * {@link MultipartUploader} sends.
 */
public final class Uploader {
    private final ApiClient api;

    public Uploader(ApiClient api) {
        this.api = api;
    }

    /** Builds the PUT of {@code body} ({@code file}'s content) from the API's upload entry; nothing is sent. */
    public HttpRequest request(JsonNode upload, InputFile file, InputStream body) {
        String method = upload.path("method").asText("PUT");
        URI url = URI.create(upload.path("url").asText());
        HttpRequest.Builder request = HttpRequest.newBuilder(url).method(method, HttpRequest.BodyPublishers.fromPublisher(
                HttpRequest.BodyPublishers.ofInputStream(() -> body), file.size()));
        for (Iterator<Map.Entry<String, JsonNode>> it = upload.path("headers").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> h = it.next();
            if (h.getKey().equalsIgnoreCase("Content-Length") && h.getValue().asLong(-1) != file.size()) {
                throw new CliException(ExitCodes.USAGE, "The API expects " + h.getValue().asText() + " bytes for "
                        + file.name() + " but the file now has " + file.size() + ": it changed since the job was created. "
                        + "Run the command again without --idempotency-key (or with a new one).");
            }
            if (!ApiClient.setByClient(h.getKey())) {
                request.header(h.getKey(), h.getValue().asText());
            }
        }
        return request.build();
    }

    /**
     * Uploads {@code file}.
     *
     * @param progress a progress display for the file's size in bytes
     * @throws io.conveyor.cli.http.ApiError when the storage refuses it
     * @throws CliException when the file changed since it was hashed, or the storage cannot be reached
     */
    public void upload(JsonNode upload, InputFile file, LongFunction<ProgressDisplay> progress) {
        MessageDigest digest = InputFile.newSha256();
        try (ProgressDisplay bar = progress.apply(file.size()); InputStream body = open(file, digest, bar)) {
            api.presigned(request(upload, file, body), HttpResponse.BodyHandlers.ofByteArray(),
                    "the storage (upload of " + file.name() + ")");
        } catch (IOException e) {
            throw new CliException(ExitCodes.USAGE, "Cannot read " + file.path() + ": " + e.getMessage(), e);
        }
        String sent = HexFormat.of().formatHex(digest.digest());
        if (!file.sha256().equals(sent)) {
            throw new CliException(ExitCodes.USAGE, file.path() + " changed while it was being uploaded (its SHA-256 is "
                    + "no longer the one declared); the job will not accept it. Run the command again once the file is final.");
        }
    }

    /** The file's content, hashed and counted as it is read. */
    private static InputStream open(InputFile file, MessageDigest sha256, ProgressDisplay progress) throws IOException {
        return new ObservedInputStream(Files.newInputStream(file.path()), Long.MAX_VALUE, (buffer, offset, n) -> {
            sha256.update(buffer, offset, n);
            progress.step(n);
        });
    }
}
