package io.conveyor.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.conveyor.deployment.Catalogue;
import io.conveyor.job.Job;
import io.conveyor.job.JobError;
import io.conveyor.job.JobStatus;
import io.conveyor.program.ProgramStatisticsStore;
import io.conveyor.storage.JobObjectLayout;
import io.conveyor.subjob.SubJob;
import io.conveyor.subjob.SubJobRunner;
import io.conveyor.worker.WorkQueue;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;

/** GET, list, subjobs, result, cancel, retry and programs, on real stores. */
class JobActionsApiTest {
    private static final SubJobRunner.Function RUN_SUBJOB = new SubJobRunner.Function("RunSubJob", null);
    private final ApiHarness h = new ApiHarness();

    /** Moves a submitted job on as the workflow would: admitted, holding a slot. */
    private Job admitted(String id) {
        Job running = h.jobs.update(h.stored(id).admit(h.clock.instant()));
        h.counters.acquire(id, running.owner(), running.program(), 5, 10, h.clock.instant());
        return running;
    }

    private Job succeeded(String id, String result) {
        Job running = admitted(id);
        String key = JobObjectLayout.result(id, 1);
        h.objects.put(key, result.getBytes(StandardCharsets.UTF_8), "application/json");
        return h.jobs.update(running.succeed(key, h.clock.instant()));
    }

    @Test
    void getJob_showsStatusProgressAttemptsAndTimestamps() {
        String id = h.submittedJob(h.alice());
        admitted(id);
        h.subJobs.registerAll(id, 1, List.of(SubJob.pending(id, 0, 1, "in/0"), SubJob.pending(id, 1, 1, "in/1")));
        h.subJobs.start(id, 0, 1, h.clock.instant(), RUN_SUBJOB);

        JsonNode job = h.alice().get("/jobs/" + id).body().path("job");
        assertEquals("RUNNING", job.path("status").asText());
        assertEquals(2, job.path("progress").path("total").asInt());
        assertEquals(1, job.path("progress").path("running").asInt());
        assertEquals(1, job.path("attempts").get(0).path("number").asInt());
        assertEquals("2026-11-22T10:00:00Z", job.path("attempts").get(0).path("startedAt").asText());
        assertEquals(false, job.path("resultReady").asBoolean());
        assertNotNull(job.path("createdAt").asText(null));
    }

    @Test
    void listJobs_newestFirst_withPagesAndFilters() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            h.clock.advance(Duration.ofSeconds(1));
            ids.add(0, h.submittedJob(h.alice()));
        }
        h.clock.advance(Duration.ofSeconds(1));
        ApiHarness.Response primes = h.alice().post("/jobs", "{\"program\": \"primes\"}");
        String primesId = primes.body().path("job").path("jobId").asText();

        ApiHarness.Response first = h.alice().query("limit", "3").get("/jobs");
        assertEquals(200, first.status());
        assertEquals(List.of(primesId, ids.get(0), ids.get(1)), jobIds(first.body().path("jobs")));
        String token = first.body().path("nextToken").asText();
        ApiHarness.Response second = h.alice().query("limit", "3").query("nextToken", token).get("/jobs");
        assertEquals(ids.subList(2, 5), jobIds(second.body().path("jobs")));
        assertTrue(second.body().path("nextToken").isMissingNode() || second.body().path("nextToken").isNull());

        assertEquals(List.of(primesId), jobIds(h.alice().query("status", "created").get("/jobs").body().path("jobs")));
        assertEquals(ids, jobIds(h.alice().query("program", "checksum").get("/jobs").body().path("jobs")));
    }

    @Test
    void listSubJobs_inIndexOrder_withStatusAttemptsDurationAndError() {
        String id = h.submittedJob(h.alice());
        admitted(id);
        h.subJobs.registerAll(id, 1, IntStream.range(0, 5).mapToObj(i -> SubJob.pending(id, i, 1, "in/" + i)).toList());
        h.subJobs.start(id, 3, 1, h.clock.instant(), RUN_SUBJOB);
        h.subJobs.recordFailure(id, 3, 1, new JobError("SubJob.Declined", "not UTF-8"), h.clock.instant().plusMillis(250));

        ApiHarness.Response page = h.alice().query("limit", "4").get("/jobs/" + id + "/subjobs");
        assertEquals(200, page.status());
        JsonNode subJobs = page.body().path("subJobs");
        assertEquals(4, subJobs.size());
        JsonNode failed = subJobs.get(3);
        assertEquals(3, failed.path("index").asInt());
        assertEquals("FAILED", failed.path("status").asText());
        assertEquals(1, failed.path("attempts").asInt());
        assertEquals(250, failed.path("durationMillis").asLong());
        assertEquals("SubJob.Declined", failed.path("error").path("code").asText());
        ApiHarness.Response rest = h.alice().query("limit", "4").query("nextToken", page.body().path("nextToken").asText())
                .get("/jobs/" + id + "/subjobs");
        assertEquals(1, rest.body().path("subJobs").size());
    }

    @Test
    void result_beforeSuccess_is409_andAfterwardsDownloads() throws Exception {
        String id = h.submittedJob(h.alice());
        ApiHarness.Response early = h.alice().get("/jobs/" + id + "/result");
        assertEquals(409, early.status());
        assertEquals("ResultNotReady", early.code());
        assertTrue(early.message().contains("QUEUED"), early.message());

        succeeded(id, "{\"lines\": 1}");
        ApiHarness.Response ready = h.alice().get("/jobs/" + id + "/result");
        assertEquals(200, ready.status());
        var download = ApiHarness.send(ready.body(), null);
        assertEquals(200, download.statusCode());
        assertArrayEquals("{\"lines\": 1}".getBytes(StandardCharsets.UTF_8), download.body());
        assertTrue(h.alice().get("/jobs/" + id).body().path("job").path("resultReady").asBoolean());

        ApiHarness.Response redirect = h.alice().query("redirect", "true").get("/jobs/" + id + "/result");
        assertEquals(303, redirect.status());
        assertEquals(ready.body().path("url").asText().replaceAll("X-Amz-Date=[^&]+.*", ""),
                redirect.headers().get("Location").replaceAll("X-Amz-Date=[^&]+.*", ""));
    }

    @Test
    void cancel_ofARunningJob_stopsItsExecutionAndReleasesItsSlot() {
        String id = h.submittedJob(h.alice());
        admitted(id);
        assertEquals(1, h.counters.activeForUser("alice"));

        ApiHarness.Response cancelled = h.alice().delete("/jobs/" + id);
        assertEquals(200, cancelled.status());
        assertEquals("CANCELLED", cancelled.body().path("status").asText());
        assertEquals("CANCELLED", cancelled.body().path("attempts").get(0).path("outcome").asText());
        assertEquals(List.of(id + "-1"), h.launcher.stops);
        assertEquals(0, h.counters.activeForUser("alice"));
        assertEquals(0, h.counters.activeForProgram("checksum"));
        assertEquals(List.of(new io.conveyor.workflow.RecordingEvents.Event(id, JobStatus.RUNNING, JobStatus.CANCELLED, 1)),
                h.events.published, "the cancellation is published");

        ApiHarness.Response again = h.alice().delete("/jobs/" + id);
        assertEquals(409, again.status());
        assertEquals("JobAlreadyFinished", again.code());
    }

    @Test
    void cancel_whileSubjobProgressKeepsChangingTheJob_stillSucceeds() {
        String id = h.submittedJob(h.alice());
        admitted(id);
        h.subJobs.registerAll(id, 1, IntStream.range(0, 20).mapToObj(i -> SubJob.pending(id, i, 1, "in/" + i)).toList());
        Thread progress = new Thread(() -> IntStream.range(0, 20).forEach(i -> h.subJobs.start(id, i, 1, h.clock.instant(), RUN_SUBJOB)));
        progress.start();
        assertEquals(200, h.alice().delete("/jobs/" + id).status());
        assertEquals(JobStatus.CANCELLED, h.stored(id).status());
    }

    @Test
    void cancel_endsTheSubjobsWithTheJob_andNothingCountsAsRunning() {
        String id = h.submittedJob(h.alice());
        admitted(id);
        h.subJobs.registerAll(id, 1, IntStream.range(0, 6).mapToObj(i -> SubJob.pending(id, i, 1, "in/" + i)).toList());
        // Two worker invocations, each with a batch: one subjob of each runs, the others wait their turn.
        Instant heldUntil = h.clock.instant().plus(Catalogue.RUN_SUBJOB.timeout());
        h.subJobs.startAll(id, 1, List.of(0, 1, 2), h.clock.instant(), heldUntil, RUN_SUBJOB);
        h.subJobs.startAll(id, 1, List.of(3, 4), h.clock.instant(), heldUntil, RUN_SUBJOB);
        assertEquals(2, h.alice().get("/jobs/" + id).body().path("job").path("progress").path("running").asInt());
        List<String> before = new ArrayList<>();
        h.alice().get("/jobs/" + id + "/subjobs").body().path("subJobs").forEach(s -> before.add(s.path("status").asText()));
        assertEquals(List.of("RUNNING", "ASSIGNED", "ASSIGNED", "RUNNING", "ASSIGNED", "PENDING"), before);

        assertEquals(200, h.alice().delete("/jobs/" + id).status());

        JsonNode job = h.alice().get("/jobs/" + id).body().path("job");
        assertEquals(0, job.path("progress").path("running").asInt(), job.toString());
        assertEquals(6, job.path("progress").path("total").asInt(), job.toString());
        List<String> statuses = new ArrayList<>();
        h.alice().get("/jobs/" + id + "/subjobs").body().path("subJobs").forEach(s -> statuses.add(s.path("status").asText()));
        assertEquals(List.of("STOPPED", "STOPPED", "STOPPED", "STOPPED", "STOPPED", "STOPPED"), statuses);
    }

    @Test
    void retry_ofAJobCancelledBeforeItsInputsWereUploaded_isRefusedNamingTheInput() {
        ApiHarness.Response created = h.alice().post("/jobs", "{\"program\": \"checksum\", \"inputs\": "
                + "[{\"name\": \"never.txt\", \"size\": 5}]}");
        String id = created.body().path("job").path("jobId").asText();
        assertEquals(200, h.alice().delete("/jobs/" + id).status());

        ApiHarness.Response refused = h.alice().post("/jobs/" + id + "/retry", null);
        assertEquals(409, refused.status(), refused.toString());
        assertEquals("InputsNotReady", refused.code());
        assertTrue(refused.message().contains("never.txt has not been uploaded"), refused.message());
        assertEquals(JobStatus.CANCELLED, h.stored(id).status(), "nothing changed");
        assertTrue(h.launcher.executions.isEmpty(), h.launcher.executions.toString());
    }

    @Test
    void getJob_ofAProgramOnExternalWorkers_saysHowManySubjobsWaitForAWorker_andHowToStartOne() {
        ApiHarness.Response created = h.alice().post("/jobs", "{\"program\": \"primes-on-workers\", \"submit\": true, "
                + "\"parameters\": {\"to\": 1000, \"subJobs\": 2}}");
        String id = created.body().path("job").path("jobId").asText();
        assertEquals(JobStatus.QUEUED, h.stored(id).status(), created.toString());
        assertTrue(h.alice().get("/jobs/" + id).body().path("waitingForWorkers").isMissingNode(), "nothing offered yet");

        // The workflow offers the job's two subjobs, and another job's one, to the owner's workers.
        WorkQueue queue = new WorkQueue(h.deployment.dynamoDb(), h.deployment.settings().workQueueTable());
        for (int index = 0; index < 2; index++) {
            queue.offer(new WorkQueue.Offer(id, 1, index, "primes-on-workers", "alice", "{}"), "token-" + index,
                    h.clock.instant(), Duration.ofDays(1));
        }
        queue.offer(new WorkQueue.Offer("another-job", 1, 0, "primes-on-workers", "alice", "{}"), "token-other",
                h.clock.instant(), Duration.ofDays(1));
        h.clock.advance(Duration.ofSeconds(1));

        JsonNode waiting = h.alice().get("/jobs/" + id).body().path("waitingForWorkers");
        assertEquals(2, waiting.path("subJobs").asInt(), waiting.toString());
        assertEquals(0, waiting.path("capabilities").size(), "any worker of alice's may take them");
        assertTrue(waiting.path("message").asText().startsWith("2 subjobs wait for an external worker of alice: none "
                + "has taken them yet. Start one as alice"), waiting.toString());
        assertTrue(waiting.path("message").asText().contains("conveyor worker --program primes-on-workers -- COMMAND"),
                waiting.toString());
        assertEquals(404, h.bob().get("/jobs/" + id).status(), "another user learns nothing of it");
    }

    @Test
    void retry_afterAnInputWasOverwrittenWithOtherBytes_isRefused() {
        ApiHarness.Response created = h.alice().post("/jobs", "{\"program\": \"checksum\", \"files\": "
                + "[{\"name\": \"a.txt\", \"content\": \"hello\"}], \"submit\": true}");
        String id = created.body().path("job").path("jobId").asText();
        assertEquals(200, h.alice().delete("/jobs/" + id).status());
        String bucket = h.deployment.settings().bucket();
        h.deployment.s3().putObject(r -> r.bucket(bucket).key(JobObjectLayout.input(id, "a.txt")),
                RequestBody.fromString("jello"));

        ApiHarness.Response refused = h.alice().post("/jobs/" + id + "/retry", null);
        assertEquals(409, refused.status(), refused.toString());
        assertEquals("InputsNotReady", refused.code());
        assertTrue(refused.message().contains("a.txt does not match its declared SHA-256"), refused.message());
        assertEquals(JobStatus.CANCELLED, h.stored(id).status());
    }

    @Test
    void retry_ofAFailedJob_queuesANewAttemptInANewExecution() {
        String id = h.submittedJob(h.alice());
        Job running = admitted(id);
        h.jobs.update(running.fail(new JobError("SubJob.Failed", "2 of 4 subjobs failed"), h.clock.instant()));

        ApiHarness.Response retried = h.alice().post("/jobs/" + id + "/retry", null);
        assertEquals(202, retried.status(), retried.toString());
        assertEquals("QUEUED", retried.body().path("status").asText());
        assertTrue(h.launcher.executions.containsKey(id + "-2"), h.launcher.executions.toString());
        assertEquals(1, retried.body().path("attempts").size(), "the failed attempt stays in the history");

        ApiHarness.Response notAgain = h.alice().post("/jobs/" + id + "/retry", null);
        assertEquals(409, notAgain.status());
        assertEquals("JobNotRetryable", notAgain.code());
    }

    @Test
    void expiredJob_answers410WithItsExpiryOnEveryRoute() {
        String id = h.submittedJob(h.alice());
        Job cancelled = h.jobs.update(h.stored(id).cancel(h.clock.instant()));
        h.clock.set(cancelled.expiresAt().plusSeconds(1));
        for (ApiHarness.Response response : List.of(h.alice().get("/jobs/" + id), h.alice().get("/jobs/" + id + "/subjobs"),
                h.alice().get("/jobs/" + id + "/result"), h.alice().delete("/jobs/" + id),
                h.alice().post("/jobs/" + id + "/retry", null), h.alice().post("/jobs/" + id + "/submit", null))) {
            assertEquals(410, response.status(), response.toString());
            assertEquals("JobExpired", response.code());
            assertTrue(response.message().contains(cancelled.expiresAt().toString()), response.message());
        }
    }

    @Test
    void programs_listTheirLimitsAndRecentStatistics() {
        h.statistics.record("primes", List.of(new ProgramStatisticsStore.Ended(Duration.ofMillis(120), false),
                new ProgramStatisticsStore.Ended(Duration.ofMillis(800), true)), h.clock.instant());

        ApiHarness.Response all = h.alice().get("/programs");
        assertEquals(200, all.status());
        List<String> names = new ArrayList<>();
        all.body().path("programs").forEach(p -> names.add(p.path("name").asText()));
        assertEquals(List.of("word-frequency", "checksum", "primes", "primes-on-workers"), names);

        JsonNode primes = h.bob().get("/programs/primes").body();
        assertEquals(50, primes.path("maxConcurrency").asInt());
        assertEquals("FULL", primes.path("retry").path("jitter").asText());
        assertEquals(2, primes.path("statistics").path("subJobs").asInt());
        assertEquals(800, primes.path("statistics").path("maxMillis").asLong());
        assertEquals(0.5, primes.path("statistics").path("errorRate").asDouble(), 1e-9);
        JsonNode to = primes.path("parameters").path("properties").path("to");
        assertEquals("integer", to.path("type").asText());
        assertEquals(1_000_000, to.path("default").asLong());
        assertEquals(false, primes.path("parameters").path("additionalProperties").asBoolean(true));

        assertTrue(primes.path("external").isMissingNode(), "primes runs its subjobs on Lambda: " + primes);
        JsonNode onWorkers = h.alice().get("/programs/primes-on-workers").body().path("external");
        assertEquals(0, onWorkers.path("capabilities").size(), "any worker of the job's owner takes them");
        assertEquals(10, onWorkers.path("heartbeatSeconds").asInt());

        ApiHarness.Response unknown = h.alice().get("/programs/nope");
        assertEquals(404, unknown.status());
        assertEquals("ProgramNotFound", unknown.code());
    }

    @Test
    void programStatistics_hourByHour_forTheRangeAsked() {
        java.time.Instant now = h.clock.instant();
        h.statistics.record("word-frequency", List.of(new ProgramStatisticsStore.Ended(Duration.ofMillis(200), false),
                new ProgramStatisticsStore.Ended(Duration.ofMillis(200), true)), now.minus(Duration.ofHours(2)));
        h.statistics.record("word-frequency", List.of(new ProgramStatisticsStore.Ended(Duration.ofMillis(40), false)), now);

        ApiHarness.Response day = h.alice().get("/programs/word-frequency/statistics");
        assertEquals(200, day.status(), day.toString());
        assertEquals(25, day.body().path("hours").size(), "every hour of the last day, the current one included");
        JsonNode twoHoursAgo = day.body().path("hours").get(22);
        assertEquals(now.truncatedTo(java.time.temporal.ChronoUnit.HOURS).minus(Duration.ofHours(2)).toString(),
                twoHoursAgo.path("hour").asText());
        assertEquals(2, twoHoursAgo.path("subJobs").asInt());
        assertEquals(0.5, twoHoursAgo.path("errorRate").asDouble(), 1e-9);
        assertTrue(twoHoursAgo.path("p95Millis").asLong() >= 200 / Math.sqrt(2), twoHoursAgo.toString());
        assertTrue(day.body().path("hours").get(0).path("p50Millis").isNull(), "an hour when nothing ended has no percentiles");

        ApiHarness.Response lastHour = h.bob().query("from", now.truncatedTo(java.time.temporal.ChronoUnit.HOURS).toString())
                .query("to", now.plus(Duration.ofDays(30)).toString()).get("/programs/word-frequency/statistics");
        assertEquals(200, lastHour.status(), lastHour.toString());
        assertEquals(1, lastHour.body().path("hours").size());
        assertEquals(now.toString(), lastHour.body().path("to").asText(), "a 'to' in the future reads as now");
        assertEquals(40, lastHour.body().path("hours").get(0).path("maxMillis").asLong());
    }

    @Test
    void programStatistics_refuseARangeTheyCannotAnswer() {
        java.time.Instant now = h.clock.instant();
        ApiHarness.Response tooOld = h.alice().query("from", now.minus(Duration.ofDays(8)).toString())
                .get("/programs/primes/statistics");
        assertEquals(400, tooOld.status());
        assertTrue(tooOld.message().contains("kept for 7 days"), tooOld.message());
        ApiHarness.Response notATime = h.alice().query("to", "yesterday").get("/programs/primes/statistics");
        assertEquals(400, notATime.status());
        assertTrue(notATime.message().contains("'to' must be an ISO-8601 time"), notATime.message());
        ApiHarness.Response backwards = h.alice().query("from", now.minus(Duration.ofHours(1)).toString())
                .query("to", now.minus(Duration.ofHours(2)).toString()).get("/programs/primes/statistics");
        assertEquals(400, backwards.status());
        assertTrue(backwards.message().contains("must not be after"), backwards.message());
        assertEquals(404, h.alice().get("/programs/nope/statistics").status());
    }

    private static List<String> jobIds(JsonNode jobs) {
        List<String> ids = new ArrayList<>();
        jobs.forEach(j -> ids.add(j.path("jobId").asText()));
        return ids;
    }
}
