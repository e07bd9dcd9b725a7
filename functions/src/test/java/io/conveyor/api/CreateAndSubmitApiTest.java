package io.conveyor.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.conveyor.deployment.Catalogue;
import io.conveyor.deployment.RouteSpec;
import io.conveyor.job.JobStatus;
import io.conveyor.storage.JobObjectLayout;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;

/** POST /jobs and POST /jobs/{id}/submit on real stores. */
class CreateAndSubmitApiTest {
    private final ApiHarness h = new ApiHarness();

    private static String sha256(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }

    @Test
    void parameters_areCheckedAgainstTheProgramsSchema_withNumbersGivenAsTextAccepted() {
        ApiHarness.Response asText = h.alice().post("/jobs", "{\"program\": \"primes\", \"parameters\": {\"to\": \"5000\", "
                + "\"subJobs\": 2}}");
        assertEquals(201, asText.status(), asText.toString());
        assertEquals("5000", asText.body().path("job").path("parameters").path("to").asText());

        ApiHarness.Response refused = h.alice().post("/jobs", "{\"program\": \"primes\", \"parameters\": {\"to\": 0, "
                + "\"subJobs\": 200000}}");
        assertEquals(400, refused.status(), refused.toString());
        assertEquals("InvalidParameters", refused.code());
        assertEquals("Parameter 'to' must be at least 1; got '0'. Parameter 'subJobs' must be at most 100000; got '200000'. "
                + "GET /programs/primes describes the parameters it takes.", refused.message());
    }

    @Test
    void create_withDeclaredInputs_givesPresignedUploads_thenSubmitQueuesAndStartsTheWorkflowOnce() throws Exception {
        byte[] a = "to be or not to be\n".getBytes(StandardCharsets.UTF_8);
        byte[] b = "that is the question\n".getBytes(StandardCharsets.UTF_8);
        ApiHarness.Response created = h.alice().post("/jobs", """
                {"program": "word-frequency", "parameters": {"top": 5, "lowercase": true},
                 "inputs": [{"name": "a.txt", "size": %d, "contentType": "text/plain", "sha256": "%s"},
                            {"name": "b.txt", "size": %d}]}
                """.formatted(a.length, sha256(a), b.length));
        assertEquals(201, created.status(), created.toString());
        JsonNode job = created.body().path("job");
        String id = job.path("jobId").asText();
        assertEquals("CREATED", job.path("status").asText());
        assertEquals("5", job.path("parameters").path("top").asText());
        assertEquals("/jobs/" + id, created.headers().get("Location"));
        JsonNode uploads = created.body().path("uploads");
        assertEquals(2, uploads.size());
        assertTrue(uploads.get(0).path("expiresAt").asText().startsWith("2026-11-22T10:15"), uploads.toString());

        ApiHarness.Response early = h.alice().post("/jobs/" + id + "/submit", null);
        assertEquals(409, early.status());
        assertEquals("InputsNotReady", early.code());
        assertTrue(early.message().contains("a.txt has not been uploaded"), early.message());
        assertTrue(h.launcher.starts.isEmpty());

        assertEquals(200, ApiHarness.send(uploads.get(0), a).statusCode());
        ApiHarness.Response stillMissing = h.alice().get("/jobs/" + id);
        assertEquals(List.of("b.txt"), names(stillMissing.body().path("uploads")), "only missing inputs get URLs");
        assertEquals(200, ApiHarness.send(uploads.get(1), b).statusCode());

        ApiHarness.Response submitted = h.alice().post("/jobs/" + id + "/submit", null);
        assertEquals(202, submitted.status(), submitted.toString());
        assertEquals("QUEUED", submitted.body().path("status").asText());
        assertEquals(Map.of(id + "-1", id), h.launcher.executions);

        ApiHarness.Response again = h.alice().post("/jobs/" + id + "/submit", null);
        assertEquals(200, again.status());
        assertEquals(1, h.launcher.executions.size(), "a repeated submit never starts a second execution");
    }

    @Test
    void create_withInlineFiles_andSubmit_isQueuedAtOnce() {
        ApiHarness.Response created = h.alice().post("/jobs", """
                {"program": "checksum", "files": [
                   {"name": "x.txt", "content": "hello\\n"},
                   {"name": "y.bin", "contentBase64": "AAEC", "contentType": "application/octet-stream"}],
                 "submit": true, "retention": "P2D"}
                """);
        assertEquals(201, created.status(), created.toString());
        JsonNode job = created.body().path("job");
        assertEquals("QUEUED", job.path("status").asText());
        assertEquals("PT48H", job.path("retention").asText(), "retention is echoed as an ISO-8601 duration");
        assertEquals(0, created.body().path("uploads").size());
        String id = job.path("jobId").asText();
        assertEquals(3, h.objects.head(JobObjectLayout.input(id, "y.bin")).orElseThrow().size());
        assertEquals("5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03",
                job.path("inputs").get(0).path("sha256").asText());
    }

    @Test
    void submit_ofAnUploadOfTheWrongSizeOrContent_isRefusedWithTheReason() throws Exception {
        byte[] content = "abc".getBytes(StandardCharsets.UTF_8);
        ApiHarness.Response created = h.alice().post("/jobs", """
                {"program": "checksum", "inputs": [{"name": "a", "size": 3, "sha256": "%s"}, {"name": "b", "size": 4}]}
                """.formatted(sha256(content)));
        String id = created.body().path("job").path("jobId").asText();
        String bucket = h.deployment.settings().bucket();
        h.deployment.s3().putObject(r -> r.bucket(bucket).key(JobObjectLayout.input(id, "a")), RequestBody.fromString("abd"));
        h.deployment.s3().putObject(r -> r.bucket(bucket).key(JobObjectLayout.input(id, "b")), RequestBody.fromString("12345"));

        ApiHarness.Response refused = h.alice().post("/jobs/" + id + "/submit", null);
        assertEquals(409, refused.status());
        assertTrue(refused.message().contains("a does not match its declared SHA-256"), refused.message());
        assertTrue(refused.message().contains("b has 5 bytes, not the 4 declared"), refused.message());
        assertEquals(JobStatus.CREATED, h.stored(id).status());
    }

    @Test
    void submit_byRacingRequests_isAnswered202Once_andTheOthers200_andReadsTheInputOnce() throws Exception {
        byte[] text = "one input\n".getBytes(StandardCharsets.UTF_8);
        ApiHarness.Response created = h.alice().post("/jobs", """
                {"program": "checksum", "inputs": [{"name": "a.txt", "size": %d, "sha256": "%s"}]}"""
                .formatted(text.length, HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text))));
        String id = created.body().path("job").path("jobId").asText();
        assertEquals(200, ApiHarness.send(created.body().path("uploads").get(0), text).statusCode());

        int racers = 6;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(racers);
        try {
            List<Future<Integer>> statuses = new ArrayList<>();
            for (int i = 0; i < racers; i++) {
                statuses.add(pool.submit(() -> {
                    start.await();
                    return h.alice().post("/jobs/" + id + "/submit", null).status();
                }));
            }
            start.countDown();
            List<Integer> answered = new ArrayList<>();
            for (Future<Integer> status : statuses) {
                answered.add(status.get(60, TimeUnit.SECONDS));
            }
            assertEquals(1, answered.stream().filter(s -> s == 202).count(), "one request submitted it: " + answered);
            assertEquals(racers - 1, answered.stream().filter(s -> s == 200).count(), answered.toString());
        } finally {
            pool.shutdownNow();
        }
        assertEquals(Map.of(id + "-1", id), h.launcher.executions);
        assertEquals(1, h.objectReads.get(), "one request read the input back for its SHA-256, not every racer");
    }

    @Test
    void submit_whenTheWorkflowCannotStart_leavesTheJobQueued_andARepeatStartsIt() {
        h.launcher.unavailable = true;
        ApiHarness.Response created = h.alice().post("/jobs",
                "{\"program\": \"primes\", \"parameters\": {\"from\": 1, \"to\": 1000}, \"submit\": true}");
        assertEquals(503, created.status(), created.toString());
        assertEquals("WorkflowUnavailable", created.code());
        assertFalse(created.message().contains("arn:"), "no internal details leak: " + created.message());
        String id = h.jobs.listForOwner("alice", java.util.Optional.empty(), java.util.Optional.empty(), 10,
                java.util.Optional.empty()).items().get(0).id();
        assertEquals(JobStatus.QUEUED, h.stored(id).status());

        h.launcher.unavailable = false;
        assertEquals(200, h.alice().post("/jobs/" + id + "/submit", null).status());
        assertEquals(Map.of(id + "-1", id), h.launcher.executions);
    }

    @Test
    void submit_ofAFinishedJob_pointsToRetry() {
        String id = h.submittedJob(h.alice());
        assertEquals(200, h.alice().delete("/jobs/" + id).status());
        ApiHarness.Response refused = h.alice().post("/jobs/" + id + "/submit", null);
        assertEquals(409, refused.status());
        assertEquals("JobAlreadyFinished", refused.code());
        assertTrue(refused.message().contains("/retry"), refused.message());
    }

    @Test
    void create_whenTheUsersQueueIsFull_isRefusedWith429AndRetryAfter() {
        ApiHarness small = new ApiHarness(Map.of("CONVEYOR_MAX_QUEUED_JOBS_PER_USER", "2"));
        small.submittedJob(small.alice());
        small.submittedJob(small.alice());
        ApiHarness.Response refused = small.alice().post("/jobs", "{\"program\": \"primes\"}");
        assertEquals(429, refused.status());
        assertEquals("TooManyQueuedJobs", refused.code());
        assertEquals("30", refused.headers().get("Retry-After"));
        assertEquals(201, small.bob().post("/jobs", "{\"program\": \"primes\"}").status(), "the queue is per user");
    }

    @Test
    void unauthenticatedRequests_areRefusedOnEveryRoute() {
        for (RouteSpec route : Catalogue.ROUTES) {
            String path = route.path().replace("{id}", "some-job").replace("{name}", "primes");
            ApiHarness.Response response = h.anonymous().send(route.method(), path, null);
            assertEquals(401, response.status(), route.method() + " " + path);
            assertEquals("Unauthenticated", response.code());
        }
    }

    @Test
    void aPathNoRouteHas_answers404_andAMethodItsPathDoesNotServe_answers405NamingTheMethodsItDoes() {
        ApiHarness.Response unknown = h.alice().get("/jobz");
        assertEquals(404, unknown.status());
        assertEquals("RouteNotFound", unknown.code());
        ApiHarness.Response wrongMethod = h.alice().send("PUT", "/jobs/some-job/", null);
        assertEquals(405, wrongMethod.status());
        assertEquals("MethodNotAllowed", wrongMethod.code());
        assertTrue(wrongMethod.message().contains("[DELETE, GET]"), wrongMethod.message());
    }

    private static List<String> names(JsonNode uploads) {
        List<String> names = new java.util.ArrayList<>();
        uploads.forEach(u -> names.add(u.path("name").asText()));
        return names;
    }
}
