package io.conveyor.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.conveyor.storage.JobObjectLayout;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Inputs above the multipart threshold, on S3Proxy: parts of 5 MiB (S3's smallest) above a 5 MiB threshold, and at
 * most two part URLs per answer, so a 12 MiB input needs three parts and two answers.
 */
class MultipartUploadApiTest {
    private static final int MIB = 1024 * 1024;
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private final ApiHarness h = new ApiHarness(Map.of("CONVEYOR_MULTIPART_THRESHOLD", "5MiB",
            "CONVEYOR_MULTIPART_PART_SIZE", "5MiB", "CONVEYOR_MULTIPART_URLS_PER_RESPONSE", "2"));
    private final byte[] big = content(12 * MIB + 7);
    private final byte[] small = "a small file stays a single PUT\n".getBytes();

    private static byte[] content(int size) {
        byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++) {
            bytes[i] = (byte) (i % 251);
        }
        return bytes;
    }

    private static String sha256(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }

    private String createBody() throws Exception {
        return """
                {"program": "checksum", "inputs": [
                   {"name": "big.bin", "size": %d, "contentType": "application/octet-stream", "sha256": "%s"},
                   {"name": "small.txt", "size": %d, "sha256": "%s"}]}
                """.formatted(big.length, sha256(big), small.length, sha256(small));
    }

    private String bigKey(String jobId) {
        return JobObjectLayout.input(jobId, "big.bin");
    }

    private static JsonNode upload(JsonNode uploads, String name) {
        for (JsonNode upload : uploads) {
            if (upload.path("name").asText().equals(name)) {
                return upload;
            }
        }
        throw new AssertionError("no upload for " + name + " in " + uploads);
    }

    private static List<Integer> numbers(JsonNode array, String field) {
        List<Integer> numbers = new ArrayList<>();
        array.forEach(n -> numbers.add(field == null ? n.asInt() : n.path(field).asInt()));
        return numbers;
    }

    /** Sends one part's bytes to its presigned URL with their Content-MD5, as the CLI does. */
    private HttpResponse<String> sendPart(JsonNode part, byte[] bytes) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(part.path("url").asText()))
                .method(part.path("method").asText(), HttpRequest.BodyPublishers.ofByteArray(bytes))
                .header("Content-MD5", Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(bytes)));
        part.path("headers").fields().forEachRemaining(header -> {
            if (!header.getKey().equalsIgnoreCase("content-length")) {
                request.header(header.getKey(), header.getValue().asText());
            }
        });
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private byte[] bytesOf(JsonNode multipart, int number) {
        long partSize = multipart.path("partSize").asLong();
        int from = (int) ((number - 1) * partSize);
        return Arrays.copyOfRange(big, from, (int) Math.min(big.length, from + partSize));
    }

    private void uploadListedParts(JsonNode multipart) throws Exception {
        for (JsonNode part : multipart.path("parts")) {
            byte[] bytes = bytesOf(multipart, part.path("partNumber").asInt());
            assertEquals(bytes.length, part.path("size").asLong());
            assertEquals(200, sendPart(part, bytes).statusCode());
        }
    }

    @Test
    void largeInput_getsAMultipartUpload_partsComeInAnswersOfBoundedSize_andSubmitCompletesIt() throws Exception {
        ApiHarness.Response created = h.alice().post("/jobs", createBody());
        assertEquals(201, created.status(), created.toString());
        String id = created.body().path("job").path("jobId").asText();

        JsonNode single = upload(created.body().path("uploads"), "small.txt");
        assertEquals("PUT", single.path("method").asText(), "a small input keeps its single presigned PUT");
        assertTrue(single.path("multipart").isMissingNode(), single.toString());
        assertEquals(200, ApiHarness.send(single, small).statusCode());

        JsonNode bigUpload = upload(created.body().path("uploads"), "big.bin");
        assertTrue(bigUpload.path("url").isMissingNode(), "no single URL for a multipart input: " + bigUpload);
        JsonNode multipart = bigUpload.path("multipart");
        assertEquals(5 * MIB, multipart.path("partSize").asLong());
        assertEquals(3, multipart.path("partCount").asInt());
        assertEquals(List.of(1, 2, 3), numbers(multipart.path("missingParts"), null));
        assertEquals(List.of(1, 2), numbers(multipart.path("parts"), "partNumber"), "at most two URLs per answer");
        assertEquals(1, h.objects.openMultipartUploads(bigKey(id)).size());

        // S3 checks each part's Content-MD5: a part damaged on the way is refused and can be sent again.
        byte[] corrupted = bytesOf(multipart, 2);
        HttpRequest.Builder lying = HttpRequest.newBuilder(URI.create(multipart.path("parts").get(1).path("url").asText()))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(corrupted))
                .header("Content-MD5", Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(new byte[1])));
        assertEquals(400, HTTP.send(lying.build(), HttpResponse.BodyHandlers.ofString()).statusCode());
        assertEquals(List.of(), h.objects.uploadedParts(bigKey(id), h.objects.openMultipartUploads(bigKey(id)).get(0))
                .orElseThrow(), "the damaged part was not kept");
        uploadListedParts(multipart);

        ApiHarness.Response fresh = h.alice().get("/jobs/" + id);
        assertEquals(1, fresh.body().path("uploads").size(), "small.txt is stored: " + fresh.body().path("uploads"));
        JsonNode rest = upload(fresh.body().path("uploads"), "big.bin").path("multipart");
        assertEquals(List.of(3), numbers(rest.path("missingParts"), null));
        assertEquals(List.of(3), numbers(rest.path("parts"), "partNumber"));
        assertEquals(2 * MIB + 7, rest.path("parts").get(0).path("size").asLong());
        uploadListedParts(rest);
        assertEquals(0, h.alice().get("/jobs/" + id).body().path("uploads").size(), "every part is there");

        ApiHarness.Response submitted = h.alice().post("/jobs/" + id + "/submit", null);
        assertEquals(202, submitted.status(), submitted.toString());
        assertEquals(big.length, h.objects.head(bigKey(id)).orElseThrow().size());
        assertEquals(sha256(big), h.objects.sha256(bigKey(id)));
        assertEquals(List.of(), h.objects.openMultipartUploads(bigKey(id)), "the upload was completed");
    }

    @Test
    void submit_withAPartMissing_refusesNamingThePart_andOnlyThatPartIsOfferedAgain() throws Exception {
        String id = h.alice().post("/jobs", createBody()).body().path("job").path("jobId").asText();
        JsonNode multipart = upload(h.alice().get("/jobs/" + id).body().path("uploads"), "big.bin").path("multipart");
        assertEquals(200, sendPart(multipart.path("parts").get(0), bytesOf(multipart, 1)).statusCode());
        JsonNode later = upload(h.alice().get("/jobs/" + id).body().path("uploads"), "big.bin").path("multipart");
        assertEquals(List.of(2, 3), numbers(later.path("parts"), "partNumber"));
        assertEquals(200, sendPart(later.path("parts").get(1), bytesOf(later, 3)).statusCode());
        ApiHarness.send(upload(h.alice().get("/jobs/" + id).body().path("uploads"), "small.txt"), small);

        ApiHarness.Response refused = h.alice().post("/jobs/" + id + "/submit", null);
        assertEquals(409, refused.status(), refused.toString());
        assertEquals("InputsNotReady", refused.code());
        assertEquals("Job " + id + " cannot be submitted yet: big.bin lacks part 2 of 3. Upload them (GET /jobs/" + id
                + " lists fresh upload URLs, for missing parts only), then submit again.", refused.message());
        assertTrue(h.launcher.starts.isEmpty());

        JsonNode offered = upload(h.alice().get("/jobs/" + id).body().path("uploads"), "big.bin").path("multipart");
        assertEquals(List.of(2), numbers(offered.path("missingParts"), null));
        assertEquals(200, sendPart(offered.path("parts").get(0), bytesOf(offered, 2)).statusCode());
        assertEquals(202, h.alice().post("/jobs/" + id + "/submit", null).status());
        assertEquals(sha256(big), h.objects.sha256(bigKey(id)));
    }

    @Test
    void submit_ofPartsThatAssembleSomethingElse_isRefused_andTheInputIsOfferedAgain() throws Exception {
        String id = h.alice().post("/jobs", createBody()).body().path("job").path("jobId").asText();
        ApiHarness.send(upload(h.alice().get("/jobs/" + id).body().path("uploads"), "small.txt"), small);
        for (int round = 0; round < 2; round++) {
            JsonNode multipart = upload(h.alice().get("/jobs/" + id).body().path("uploads"), "big.bin").path("multipart");
            for (JsonNode part : multipart.path("parts")) {
                byte[] bytes = bytesOf(multipart, part.path("partNumber").asInt());
                bytes[0] ^= 1; // the right sizes, the wrong content
                assertEquals(200, sendPart(part, bytes).statusCode());
            }
        }

        ApiHarness.Response refused = h.alice().post("/jobs/" + id + "/submit", null);
        assertEquals(409, refused.status(), refused.toString());
        assertTrue(refused.message().contains("big.bin does not match its declared SHA-256, so it was discarded"),
                refused.message());
        assertEquals(Optional.empty(), h.objects.head(bigKey(id)));
        JsonNode offered = upload(h.alice().get("/jobs/" + id).body().path("uploads"), "big.bin").path("multipart");
        assertEquals(List.of(1, 2, 3), numbers(offered.path("missingParts"), null), "a fresh upload, from the start");
    }

    @Test
    void repeatedCreate_withTheSameIdempotencyKey_reusesTheMultipartUpload() throws Exception {
        ApiHarness.Response first = h.alice().header("Idempotency-Key", "multipart-1").post("/jobs", createBody());
        ApiHarness.Response again = h.alice().header("Idempotency-Key", "multipart-1").post("/jobs", createBody());
        assertEquals(201, first.status(), first.toString());
        assertEquals(200, again.status(), again.toString());
        String id = first.body().path("job").path("jobId").asText();
        assertEquals(id, again.body().path("job").path("jobId").asText());

        List<String> open = h.objects.openMultipartUploads(bigKey(id));
        assertEquals(1, open.size(), "one multipart upload, not one per request");
        for (ApiHarness.Response response : List.of(first, again)) {
            String url = upload(response.body().path("uploads"), "big.bin").path("multipart").path("parts").get(0)
                    .path("url").asText();
            assertTrue(url.contains("uploadId=" + open.get(0)), url);
        }
    }

    @Test
    void submit_completesTheUploadThatHasEveryPart_andAbortsAnotherStartedByARacingRequest() throws Exception {
        String id = h.alice().post("/jobs", createBody()).body().path("job").path("jobId").asText();
        ApiHarness.send(upload(h.alice().get("/jobs/" + id).body().path("uploads"), "small.txt"), small);
        for (int round = 0; round < 2; round++) {
            uploadListedParts(upload(h.alice().get("/jobs/" + id).body().path("uploads"), "big.bin").path("multipart"));
        }
        // Two requests that both found no open upload each start one; the client got the URLs of the first.
        h.objects.startMultipartUpload(bigKey(id), "application/octet-stream");
        assertEquals(2, h.objects.openMultipartUploads(bigKey(id)).size());

        assertEquals(202, h.alice().post("/jobs/" + id + "/submit", null).status());

        assertEquals(sha256(big), h.objects.sha256(bigKey(id)));
        assertEquals(List.of(), h.objects.openMultipartUploads(bigKey(id)), "the idle upload was aborted");
    }

    @Test
    void cancel_beforeSubmit_abortsTheOpenMultipartUpload() throws Exception {
        String id = h.alice().post("/jobs", createBody()).body().path("job").path("jobId").asText();
        JsonNode multipart = upload(h.alice().get("/jobs/" + id).body().path("uploads"), "big.bin").path("multipart");
        assertEquals(200, sendPart(multipart.path("parts").get(0), bytesOf(multipart, 1)).statusCode());
        assertFalse(h.objects.openMultipartUploads(bigKey(id)).isEmpty());

        ApiHarness.Response cancelled = h.alice().delete("/jobs/" + id);

        assertEquals(200, cancelled.status(), cancelled.toString());
        assertEquals(List.of(), h.objects.openMultipartUploads(bigKey(id)), "no multipart upload left open");
        assertEquals(0, h.alice().get("/jobs/" + id).body().path("uploads").size(), "a cancelled job takes no uploads");
    }
}
