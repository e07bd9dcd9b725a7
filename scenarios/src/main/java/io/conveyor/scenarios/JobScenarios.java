package io.conveyor.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.conveyor.deployment.Catalogue;
import io.conveyor.apiclient.JobApiClient;
import io.conveyor.scenarios.ScenarioTarget.Capability;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.SfnClient;

/**
 * Whole jobs over HTTP: the real handlers, state machine, tables and bucket of a {@link ScenarioTarget}. The target
 * registers {@link Scenarios#PROGRAMS} (where it can; scenarios using them are skipped where it cannot).
 */
public abstract class JobScenarios {
    private JobApiClient alice;

    /** The deployment these scenarios run against, running from before the first scenario to after the last. */
    protected abstract ScenarioTarget target();

    @BeforeEach
    void callAsAlice() {
        alice = target().api("alice");
    }

    @Test
    void success_uploadThroughPresignedUrls_submit_followAndDownload() throws Exception {
        byte[] a = "the cat and the hat\n".repeat(50).getBytes(StandardCharsets.UTF_8);
        byte[] b = "The end of the story\n".getBytes(StandardCharsets.UTF_8);
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(a));
        JobApiClient.Response created = alice.post("/jobs", """
                {"program": "word-frequency", "parameters": {"top": 2, "chunkBytes": 1024},
                 "inputs": [{"name": "a.txt", "size": %d, "sha256": "%s", "contentType": "text/plain"}, {"name": "b.txt", "size": %d}]}
                """.formatted(a.length, sha, b.length));
        assertEquals(201, created.status(), created.text());
        String id = created.json().path("job").path("jobId").asText();
        for (JsonNode upload : created.json().path("uploads")) {
            byte[] content = upload.path("name").asText().equals("a.txt") ? a : b;
            Map<String, String> headers = new java.util.HashMap<>();
            upload.path("headers").fields().forEachRemaining(h -> headers.put(h.getKey(), h.getValue().asText()));
            headers.remove("Content-Length");
            headers.remove("content-length");
            assertEquals(200, alice.send("PUT", java.net.URI.create(upload.path("url").asText()), headers, content).status());
        }
        assertEquals(202, alice.post("/jobs/" + id + "/submit", "").status());

        JsonNode job = Scenarios.awaitEnd(alice, id);
        assertEquals("SUCCEEDED", job.path("status").asText(), job.toString());
        assertTrue(job.path("progress").path("total").asInt() >= 2);
        assertEquals(job.path("progress").path("total"), job.path("progress").path("succeeded"));
        JsonNode result = Scenarios.result(alice, id);
        assertEquals(255, result.path("totalWords").asLong());
        assertEquals("the", result.path("top").get(0).path("word").asText());
        assertEquals(102, result.path("top").get(0).path("count").asLong());
        // Finalize publishes right after it records the success.
        target().awaitEventAbout(id, Scenarios.JOB_TIMEOUT);
    }

    @Test
    void aJobsOwnExecution_takesSevenStateTransitions_whateverItsSubjobCount() {
        String id = Scenarios.submit(alice, "primes", Map.of("to", 100_000, "subJobs", 25));
        assertEquals("SUCCEEDED", Scenarios.awaitEnd(alice, id).path("status").asText());
        try (SfnClient sfn = target().stepFunctions()) {
            String arn = target().stateMachineArn(Catalogue.WORKFLOW_PREFIX + "primes")
                    .replace(":stateMachine:", ":execution:") + ":" + id + "-1";
            List<String> entered = new ArrayList<>();
            sfn.getExecutionHistoryPaginator(b -> b.executionArn(arn)).events().forEach(e -> {
                if (e.typeAsString().endsWith("StateEntered")) {
                    entered.add(e.stateEnteredEventDetails().name());
                }
            });
            // The subjobs run in the map's child executions, one state per batch: 7 + B transitions for B batches.
            // A job without dependencies passes the HasDependencies choice instead of AwaitDependencies.
            assertEquals(List.of("HasDependencies", "Admit", "Split", "RunSubJobs", "ConfirmSubJobs", "Aggregate", "Finalize"),
                    entered);
        }
    }

    @Test
    void subjobRetriedThenSucceeding_endsSucceeded_withItsAttemptsCounted() {
        Scenarios.require(target(), Capability.SCENARIO_PROGRAMS);
        String id = Scenarios.submit(alice, "scenario", Map.of("subJobs", 2, "declines", 2));
        JsonNode job = Scenarios.awaitEnd(alice, id);
        assertEquals("SUCCEEDED", job.path("status").asText(), job.toString());
        JsonNode subJobs = alice.get("/jobs/" + id + "/subjobs").json().path("subJobs");
        for (JsonNode s : subJobs) {
            assertEquals(3, s.path("attempts").asInt(), "two declines, then success: " + s);
            assertEquals(3, s.path("runs").size(), "what ran each attempt: " + s);
            for (JsonNode run : s.path("runs")) {
                assertEquals("FUNCTION", run.path("kind").asText(), s.toString());
                assertEquals("RunSubJob", run.path("function").asText(), s.toString());
                assertTrue(run.path("programFunction").isMissingNode(), "a Java program runs inside RunSubJob: " + s);
            }
        }
    }

    @Test
    void permanentFailureWithinTolerance_succeeds_beyondIt_fails() {
        Scenarios.require(target(), Capability.SCENARIO_PROGRAMS);
        String within = Scenarios.submit(alice, "scenario", Map.of("subJobs", 4, "failIndexes", "2"));
        String beyond = Scenarios.submit(alice, "scenario", Map.of("subJobs", 4, "failIndexes", "1,3"));
        JsonNode ok = Scenarios.awaitEnd(alice, within);
        assertEquals("SUCCEEDED", ok.path("status").asText(), ok.toString());
        assertEquals(1, ok.path("progress").path("failed").asInt());
        assertEquals(3, Scenarios.result(alice, within).path("subJobsSucceeded").asInt());
        JsonNode failedSubJob = alice.get("/jobs/" + within + "/subjobs").json().path("subJobs").get(2);
        assertEquals("Program.Failed", failedSubJob.path("error").path("code").asText());
        assertEquals("subjob 2 cannot be done", failedSubJob.path("error").path("message").asText());

        JsonNode failed = Scenarios.awaitEnd(alice, beyond);
        assertEquals("FAILED", failed.path("status").asText(), failed.toString());
        assertEquals("SubJobs.ToleranceExceeded", failed.path("error").path("code").asText());
        assertTrue(failed.path("error").path("message").asText().startsWith("2 of 4 subjobs failed"), failed.toString());
        assertEquals(409, alice.get("/jobs/" + beyond + "/result").status());
    }

    @Test
    void retryableFailure_reregistersTheJob_andTheNextAttemptSucceeds() {
        Scenarios.require(target(), Capability.SCENARIO_PROGRAMS);
        // Each subjob declines its first 4 invocations: attempt 1 spends 1 + 3 retries, then attempt 2 succeeds.
        String id = Scenarios.submit(alice, "scenario-strict", Map.of("subJobs", 2, "declines", 4));
        JsonNode job = Scenarios.awaitEnd(alice, id);
        assertEquals("SUCCEEDED", job.path("status").asText(), job.toString());
        List<String> outcomes = new ArrayList<>();
        job.path("attempts").forEach(a -> outcomes.add(a.path("outcome").asText()));
        assertEquals(List.of("REREGISTERED", "SUCCEEDED"), outcomes);
        // Every subjob of attempt 1 failed by declining: the breach of tolerance was made only of curable errors.
        assertEquals("SubJobs.ToleranceExceeded", job.path("attempts").get(0).path("error").path("code").asText());
    }

    @Test
    void cancellationWhileRunning_stopsTheJob_andTheUserCanRunAgain() {
        Scenarios.require(target(), Capability.SCENARIO_PROGRAMS);
        String id = Scenarios.submit(alice, "scenario", Map.of("subJobs", 2, "workMillis", 2000));
        Scenarios.awaitStatus(alice, id, "RUNNING");
        JobApiClient.Response cancelled = alice.delete("/jobs/" + id);
        assertEquals(200, cancelled.status(), cancelled.text());
        assertEquals("CANCELLED", Scenarios.job(alice, id).path("status").asText());
        assertEquals(409, alice.delete("/jobs/" + id).status());

        JobApiClient.Response retried = alice.post("/jobs/" + id + "/retry", "");
        assertEquals(202, retried.status(), retried.text());
        JsonNode job = Scenarios.awaitEnd(alice, id);
        assertEquals("SUCCEEDED", job.path("status").asText(), job.toString());
        assertEquals(2, job.path("attempts").size(), "the cancelled attempt stays in the history");
    }

    @Test
    void dependencyChain_succeeds_andAFailedDependencyFailsItsDependents() {
        Scenarios.require(target(), Capability.SCENARIO_PROGRAMS);
        String a = Scenarios.submit(alice, "scenario", Map.of("subJobs", 1));
        String b = Scenarios.submit(alice, "scenario", Map.of("subJobs", 1), ", \"dependsOn\": [\"" + a + "\"]");
        String c = Scenarios.submit(alice, "scenario", Map.of("subJobs", 1), ", \"dependsOn\": [\"" + b + "\"]");
        assertEquals("SUCCEEDED", Scenarios.awaitEnd(alice, c).path("status").asText());
        JsonNode first = Scenarios.job(alice, a);
        JsonNode last = Scenarios.job(alice, c);
        assertTrue(last.path("attempts").get(0).path("startedAt").asText().compareTo(
                first.path("attempts").get(0).path("endedAt").asText()) >= 0, "c started after a ended");

        String broken = Scenarios.submit(alice, "scenario-strict", Map.of("subJobs", 1, "failIndexes", "0"));
        String dependent = Scenarios.submit(alice, "scenario", Map.of("subJobs", 1), ", \"dependsOn\": [\"" + broken + "\"]");
        JsonNode failed = Scenarios.awaitEnd(alice, dependent);
        assertEquals("FAILED", failed.path("status").asText());
        assertEquals("Dependency.Failed", failed.path("error").path("code").asText());
        assertTrue(failed.path("error").path("message").asText().contains(broken), failed.toString());
        assertEquals(0, failed.path("attempts").size(), "it never started");
    }

    @Test
    void idempotentCreate_andIsolation_overHttp() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        Set<String> ids = ConcurrentHashMap.newKeySet();
        try {
            List<Future<?>> creates = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                creates.add(pool.submit(() -> {
                    JobApiClient.Response r = alice.post("/jobs", "{\"program\": \"primes\", \"parameters\": {\"to\": 50}}",
                            Map.of("Idempotency-Key", "scenario-key"));
                    assertTrue(r.status() == 201 || r.status() == 200, r.text());
                    ids.add(r.json().path("job").path("jobId").asText());
                }));
            }
            for (Future<?> f : creates) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, ids.size());
        String id = ids.iterator().next();
        JobApiClient mallory = target().api("mallory");
        assertEquals(404, mallory.get("/jobs/" + id).status());
        assertEquals(404, mallory.delete("/jobs/" + id).status());
        assertNotEquals(id, mallory.get("/jobs").json().path("jobs").path(0).path("jobId").asText(null));
    }
}
