package io.conveyor.cli.upload;

import com.fasterxml.jackson.databind.JsonNode;
import io.conveyor.cli.CliException;
import io.conveyor.cli.ExitCodes;
import io.conveyor.cli.http.ApiClient;
import io.conveyor.cli.output.Format;
import io.conveyor.cli.output.Output;
import io.conveyor.cli.output.ProgressDisplay;
import java.time.Clock;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Uploads a job's declared inputs as the API's {@code uploads} entries ask: one presigned PUT ({@link Uploader}) or a
 * multipart upload ({@link MultipartUploader}) per file, one file after another, with a note per file and a progress
 * bar per file on standard error. Not thread-safe.
 */
public final class JobUploader {
    /**
     * Rounds of {@code GET /jobs/{id}} for more part URLs before giving up: each round uploads at least the API's
     * limit of URLs per answer (1,000 by default) unless URLs expired, so this is far beyond any real upload.
     */
    private static final int MAX_UPLOAD_ROUNDS = 1000;

    private final ApiClient api;
    private final Output out;

    public JobUploader(ApiClient api, Output out) {
        this.api = api;
        this.out = out;
    }

    /**
     * Uploads what the API asks for. A multipart input may need several rounds: an answer lists a limited number of
     * part URLs, and URLs that expire during a long upload are replaced; each round asks {@code GET /jobs/{id}} for
     * the parts still missing, so a file's progress bar spans its rounds.
     */
    public void upload(String jobPath, JsonNode uploads, List<InputFile> inputs) {
        Map<String, InputFile> byName = new LinkedHashMap<>();
        inputs.forEach(f -> byName.put(f.name(), f));
        Set<String> asked = new HashSet<>();
        Uploader single = new Uploader(api);
        MultipartUploader multipart = new MultipartUploader(api, MultipartUploader.Retry.DEFAULT, Clock.systemUTC());
        Map<String, ProgressDisplay> bars = new LinkedHashMap<>();
        try {
            for (int round = 1; ; round++) {
                boolean more = false;
                for (JsonNode upload : uploads) {
                    String name = upload.path("name").asText();
                    InputFile file = byName.get(name);
                    if (file == null) {
                        throw new CliException(ExitCodes.API, "The API asked for an upload of '" + name + "', which this "
                                + "command did not declare: the idempotency key was used for another request.");
                    }
                    asked.add(name);
                    if (upload.has("multipart")) {
                        if (!bars.containsKey(name)) {
                            int partCount = upload.path("multipart").path("partCount").asInt();
                            int uploadedBefore = partCount - upload.path("multipart").path("missingParts").size();
                            if (uploadedBefore > 0) {
                                out.note("Resuming " + name + ": " + uploadedBefore + " of " + partCount
                                        + " parts were uploaded before");
                            }
                        }
                        ProgressDisplay bar = bars.computeIfAbsent(name, n -> out.bytes("Uploading " + n, file.size()));
                        if (!multipart.upload(upload, file, bar)) {
                            more = true;
                            continue;
                        }
                        bars.remove(name).close();
                    } else {
                        single.upload(upload, file, size -> out.bytes("Uploading " + file.name(), size));
                    }
                    out.note("Uploaded " + file.name() + " (" + Format.bytes(file.size()) + ", " + file.contentType() + ")");
                }
                if (!more) {
                    break;
                }
                if (round == MAX_UPLOAD_ROUNDS) {
                    throw new CliException(ExitCodes.API, "The API still lists parts to upload for " + jobPath + " after "
                            + round + " rounds; run the same command again with --idempotency-key to resume.");
                }
                uploads = api.get(jobPath).path("uploads");
            }
        } finally {
            bars.values().forEach(ProgressDisplay::close);
        }
        // Inputs the API never asked for are stored already (a repeat with the same idempotency key).
        byName.keySet().stream().filter(name -> !asked.contains(name)).forEach(name -> out.note("Already uploaded: " + name));
    }
}
