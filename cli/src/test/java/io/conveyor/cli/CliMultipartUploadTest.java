package io.conveyor.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.conveyor.local.runtime.LocalDeployment;
import io.conveyor.local.runtime.LocalRuntime;
import io.conveyor.local.runtime.LocalRuntimeOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.MultipartUpload;

/**
 * {@code submit} of files above the multipart threshold against the local runtime, configured with S3's smallest
 * parts (5 MiB) above a 5 MiB threshold and two part URLs per answer: a 12 MiB file takes three parts in two rounds.
 */
@Timeout(180)
class CliMultipartUploadTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MIB = 1024 * 1024;
    private static LocalRuntime runtime;
    private static S3Client s3;
    @TempDir
    static Path home;
    @TempDir
    Path work;

    @BeforeAll
    static void startRuntime() {
        runtime = LocalRuntime.start(LocalRuntimeOptions.builder().timeScale(0.01).schedules(false)
                .environment("CONVEYOR_MULTIPART_THRESHOLD", "5MiB")
                .environment("CONVEYOR_MULTIPART_PART_SIZE", "5MiB")
                .environment("CONVEYOR_MULTIPART_URLS_PER_RESPONSE", "2")
                .build());
        s3 = S3Client.builder().endpointOverride(runtime.endpoints().s3()).forcePathStyle(true)
                .region(Region.of(runtime.options().region())).httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(LocalRuntime.ACCESS_KEY, LocalRuntime.SECRET_KEY)))
                .build();
    }

    @AfterAll
    static void stopRuntime() {
        if (s3 != null) {
            s3.close();
        }
        if (runtime != null) {
            runtime.close();
        }
    }

    private CliRunner cli() {
        return new CliRunner(Map.of("CONVEYOR_ENDPOINT", runtime.apiEndpoint().toString(), "CONVEYOR_TOKEN", "alice"),
                home, work, false);
    }

    private Path bigFile(String name) throws Exception {
        byte[] bytes = new byte[12 * MIB + 12_345];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) ((i * 7) % 253);
        }
        return Files.write(work.resolve(name), bytes);
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    private static List<MultipartUpload> openUploads(String jobId) {
        return s3.listMultipartUploads(r -> r.bucket(LocalDeployment.BUCKET).prefix("jobs/" + jobId + "/")).uploads();
    }

    private static String jobId(CliRunner.Result result) {
        return result.err().lines().filter(l -> l.startsWith("Created job ")).findFirst().orElseThrow().split(" ")[2];
    }

    @Test
    void submit_ofALargeFile_uploadsItInParts_andTheJobReadsExactlyThatFile() throws Exception {
        Path big = bigFile("big.bin");
        Files.writeString(work.resolve("small.txt"), "a small file, one PUT\n");

        CliRunner.Result submitted = cli().onTerminal().run("submit", "checksum", "big.bin", "small.txt", "--wait",
                "--interval", "0.05");

        assertEquals(ExitCodes.OK, submitted.exitCode(), submitted.toString());
        assertEquals(1, submitted.err().lines().filter(l -> l.contains("Uploaded big.bin (12.0 MiB")).count(),
                submitted.toString());
        assertTrue(submitted.err().contains("Uploaded small.txt"), submitted.toString());
        assertTrue(submitted.err().contains("Uploading big.bin 100%"), "one bar across both rounds: " + submitted.err());
        assertFalse(submitted.out().contains("Uploading"), "progress goes to standard error only");
        String id = jobId(submitted);
        assertEquals(List.of(), openUploads(id), "the multipart upload was completed, not left open");

        CliRunner.Result result = cli().run("download", id, "-o", "-");
        assertEquals(ExitCodes.OK, result.exitCode(), result.toString());
        JsonNode files = JSON.readTree(result.out()).path("files");
        JsonNode bigResult = files.get(0).path("name").asText().equals("big.bin") ? files.get(0) : files.get(1);
        assertEquals(sha256(big), bigResult.path("sha256").asText(), "the program read the file byte for byte");
        assertEquals(Files.size(big), bigResult.path("size").asLong());
    }

    @Test
    void submit_again_withTheSameIdempotencyKey_resumesAnInterruptedUpload() throws Exception {
        Path big = bigFile("resumed.bin");
        // The first run got as far as creating the job and sending part 1, then stopped.
        String body = JSON.createObjectNode().put("program", "checksum").set("inputs", JSON.createArrayNode().add(
                JSON.createObjectNode().put("name", "resumed.bin").put("size", Files.size(big))
                        .put("contentType", "application/octet-stream").put("sha256", sha256(big)))).toString();
        HttpResponse<String> created = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(runtime.apiEndpoint() + "/jobs"))
                .header("Authorization", "Bearer alice").header("Idempotency-Key", "resume-1")
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, created.statusCode(), created.body());
        JsonNode part1 = JSON.readTree(created.body()).path("uploads").get(0).path("multipart").path("parts").get(0);
        HttpRequest.Builder put = HttpRequest.newBuilder(URI.create(part1.path("url").asText()))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(Arrays.copyOf(Files.readAllBytes(big), 5 * MIB)));
        part1.path("headers").fields().forEachRemaining(h -> {
            if (!h.getKey().equalsIgnoreCase("content-length")) {
                put.header(h.getKey(), h.getValue().asText());
            }
        });
        assertEquals(200, HttpClient.newHttpClient().send(put.build(), HttpResponse.BodyHandlers.ofString()).statusCode());

        CliRunner.Result resumed = cli().run("submit", "checksum", "resumed.bin", "--idempotency-key", "resume-1",
                "--wait", "--interval", "0.05");

        assertEquals(ExitCodes.OK, resumed.exitCode(), resumed.toString());
        assertTrue(resumed.err().contains("Resuming resumed.bin: 1 of 3 parts were uploaded before"), resumed.toString());
        assertEquals(JSON.readTree(created.body()).path("job").path("jobId").asText(), jobId(resumed));
        assertTrue(resumed.out().contains("SUCCEEDED"), resumed.toString());
    }
}
