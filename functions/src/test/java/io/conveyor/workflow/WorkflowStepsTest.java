package io.conveyor.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.conveyor.deployment.WorkflowErrors;
import io.conveyor.job.Attempt;
import io.conveyor.job.Job;
import io.conveyor.job.JobStatus;
import io.conveyor.job.Progress;
import io.conveyor.program.ProgramDefinition;
import io.conveyor.program.ProgramRegistry;
import io.conveyor.programs.SubJobDeclinedException;
import io.conveyor.subjob.SubJob;
import io.conveyor.subjob.SubJobStatus;
import io.conveyor.testing.Concurrently;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/** The workflow's steps on the DynamoDB emulator and S3Proxy, including repeated and concurrent deliveries. */
class WorkflowStepsTest {
    private final WorkflowHarness h = new WorkflowHarness();

    @Test
    void aWholeJob_stepByStep_succeedsWithItsResultAndReleasesItsSlot() throws Exception {
        Job job = h.queued("alice", "primes", Map.of("to", "1000", "subJobs", "4"), List.of());
        String dependencies = h.token();
        h.components.dependencies().await(job, dependencies);
        assertTrue(h.resumed(dependencies), "a job without dependencies passes at once");

        String admission = h.admit(job);
        assertTrue(h.resumed(admission));
        assertEquals("{\"attempt\":1}", h.callbacks.outcomes.get(admission).output());
        assertEquals(JobStatus.RUNNING, h.stored(job.id()).status());
        assertEquals(1, h.counters.activeForUser("alice"));

        JsonNode result = h.runToSuccess(job);
        assertEquals(168, result.path("primes").asLong());
        Job done = h.stored(job.id());
        assertEquals(JobStatus.SUCCEEDED, done.status());
        assertEquals(new Progress(4, 0, 4, 0), done.progress());
        assertEquals(Attempt.Outcome.SUCCEEDED, done.attempts().get(0).outcome());
        assertEquals(0, h.counters.activeForUser("alice"), "the slot is released");
        assertEquals(List.of(new RecordingEvents.Event(job.id(), JobStatus.RUNNING, JobStatus.SUCCEEDED, 1)), h.events.published);

        h.workflow().finalizeJob(job.id(), 1, done.resultKey());
        assertEquals(done, h.stored(job.id()), "a repeated Finalize changes nothing");
        assertEquals(1, h.events.published.size());
    }

    @Test
    void runSubJobs_batchDeliveredRepeatedlyAndConcurrently_countsEachSubjobOnce() throws Exception {
        Job job = h.queued("alice", "primes", Map.of("to", "100", "subJobs", "3"), List.of());
        h.admit(job);
        List<WorkflowSteps.BatchItem> batch = h.manifest(h.workflow().split(job.id(), 1));

        List<Concurrently.Outcome<Object>> outcomes = Concurrently.run(8, () -> {
            h.workflow().runSubJobs(job.id(), 1, batch);
            return null;
        });
        outcomes.forEach(o -> assertEquals(null, o.failure()));
        assertEquals(new Progress(3, 0, 3, 0), h.stored(job.id()).progress());
        h.workflow().runSubJobs(job.id(), 1, batch);
        assertEquals(new Progress(3, 0, 3, 0), h.stored(job.id()).progress());
        for (int i = 0; i < 3; i++) {
            assertEquals(SubJobStatus.SUCCEEDED, h.subJobs.get(job.id(), i).orElseThrow().status());
        }
    }

    /**
     * The batch's task times out while its invocation is still at work (a slow worker, or a slow machine), and the
     * state's Retry delivers the batch again: the repeated delivery waits for that invocation rather than running the
     * subjob's work a second time at once, and ends with its outcome.
     */
    @Test
    void runSubJobs_deliveredAgainWhileAnEarlierInvocationStillRunsIt_waitsForItsOutcomeInsteadOfRunningItTwice()
            throws Exception {
        OutcomeProgram.Gate gate = OutcomeProgram.Gate.closed();
        Job job = h.queued("alice", "outcomes", Map.of("outcomes", "gated"), List.of());
        h.admit(job);
        List<WorkflowSteps.BatchItem> batch = h.manifest(h.workflow().split(job.id(), 1));
        CompletableFuture<Void> waits = new CompletableFuture<>();
        h.workflow().pauseWith(pause -> {
            waits.complete(null);
            LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
        });
        ExecutorService invocations = Executors.newFixedThreadPool(2);
        try {
            CompletableFuture<Void> first = CompletableFuture.runAsync(() -> h.workflow().runSubJobs(job.id(), 1, batch),
                    invocations);
            gate.entered.await();
            CompletableFuture<Void> repeated = CompletableFuture.runAsync(() -> h.workflow().runSubJobs(job.id(), 1, batch),
                    invocations);
            // The repeated delivery either waits, or (the fault) has run the work again and ended.
            CompletableFuture.anyOf(waits, repeated).join();
            gate.open();
            first.join();
            repeated.join();
        } finally {
            invocations.shutdownNow();
        }
        assertEquals(1, gate.runs.get(), "the subjob's work ran once");
        SubJob done = h.subJobs.get(job.id(), 0).orElseThrow();
        assertEquals(SubJobStatus.SUCCEEDED, done.status());
        assertEquals(1, done.attempts(), "one invocation ran it: " + done);
        assertEquals(new Progress(1, 0, 1, 0), h.stored(job.id()).progress());
    }

    /**
     * A repeated delivery waits for the invocation that holds its subjobs no longer than Step Functions waits for it (the
     * batch's time limit), then fails for the Retry, having run nothing; the subjob is free for the next delivery once
     * that invocation lets go of it.
     */
    @Test
    void runSubJobs_deliveredAgain_waitsNoLongerThanTheBatchsTimeLimit_andRunsWhatTheEarlierInvocationLetGo()
            throws Exception {
        OutcomeProgram.Gate gate = OutcomeProgram.Gate.closed();
        Job job = h.queued("alice", "outcomes", Map.of("outcomes", "gated,declined"), List.of());
        h.admit(job);
        List<WorkflowSteps.BatchItem> batch = h.manifest(h.workflow().split(job.id(), 1));
        assertEquals(2, batch.size(), "both subjobs, delivered as one batch below");
        Duration timeLimit = ProgramRegistry.from(Map.of(ProgramRegistry.SETTING, OutcomeProgram.REGISTRATION))
                .find("outcomes").orElseThrow().subJobTimeout().multipliedBy(2);
        List<Duration> waited = new CopyOnWriteArrayList<>();
        h.workflow().pauseWith(pause -> {
            waited.add(pause);
            h.clock.advance(pause);
            // The timer that renews the first invocation's hold while it runs, on the test's clock.
            h.workflow().renewHolds();
        });
        ExecutorService invocations = Executors.newSingleThreadExecutor();
        try {
            CompletableFuture<Void> first = CompletableFuture.runAsync(() -> h.workflow().runSubJobs(job.id(), 1, batch),
                    invocations);
            gate.entered.await();
            SubJobDeclinedException gaveUp = assertThrows(SubJobDeclinedException.class,
                    () -> h.workflow().runSubJobs(job.id(), 1, batch));
            assertTrue(gaveUp.getMessage().contains("still running in an earlier invocation"), gaveUp.getMessage());
            assertEquals(timeLimit, waited.stream().reduce(Duration.ZERO, Duration::plus), "it waited the batch's time limit");
            assertEquals(1, gate.runs.get(), "and ran nothing");

            gate.open();
            CompletionException declined = assertThrows(CompletionException.class, first::join);
            assertInstanceOf(SubJobDeclinedException.class, declined.getCause(), "the first invocation declines subjob 1");
        } finally {
            invocations.shutdownNow();
        }
        assertEquals(SubJobStatus.SUCCEEDED, h.subJobs.get(job.id(), 0).orElseThrow().status());
        // Let go of as the first invocation ended: the next delivery runs subjob 1 without waiting.
        assertThrows(SubJobDeclinedException.class, () -> h.workflow().runSubJobs(job.id(), 1, batch));
        assertEquals(2, h.subJobs.get(job.id(), 1).orElseThrow().attempts());
        assertEquals(1, h.subJobs.get(job.id(), 0).orElseThrow().attempts());
        assertEquals(timeLimit, waited.stream().reduce(Duration.ZERO, Duration::plus), "no more waiting");
    }

    @Test
    void runSubJobs_aBatchWithMixedOutcomes_keepsWhatFinished_andRetriesOnlyTheDeclined() throws Exception {
        Job job = h.queued("alice", "outcomes", Map.of("outcomes", "ok,declined,failed,ok"), List.of());
        h.admit(job);
        List<WorkflowSteps.BatchItem> batch = h.manifest(h.workflow().split(job.id(), 1));

        assertThrows(io.conveyor.programs.SubJobDeclinedException.class, () -> h.workflow().runSubJobs(job.id(), 1, batch),
                "a declined subjob fails the invocation, for the state's Retry");
        // It never had the batch's turn on record (one write, at the end): it waits assigned, and nothing runs.
        assertEquals(new Progress(4, 0, 2, 1), h.stored(job.id()).progress());
        assertEquals(SubJobStatus.ASSIGNED, h.subJobs.get(job.id(), 1).orElseThrow().status());
        SubJob failed = h.subJobs.get(job.id(), 2).orElseThrow();
        assertEquals(SubJobStatus.FAILED, failed.status());
        assertEquals("Program.Failed", failed.error().code());
        assertEquals("this subjob cannot be done", failed.error().message());

        assertThrows(io.conveyor.programs.SubJobDeclinedException.class, () -> h.workflow().runSubJobs(job.id(), 1, batch));
        assertEquals(2, h.subJobs.get(job.id(), 1).orElseThrow().attempts(), "the retry ran the declined subjob again");
        assertEquals(1, h.subJobs.get(job.id(), 0).orElseThrow().attempts(), "and nothing that had finished");
        // The retry ran it first, so running; declined again, it stays so until the next try or its failure.
        assertEquals(new Progress(4, 1, 2, 1), h.stored(job.id()).progress());

        h.workflow().recordSubJobFailures(job.id(), 1, List.of(0, 1, 2, 3), WorkflowErrors.SUBJOB_DECLINED,
                "{\"errorMessage\":\"busy, try later\"}");
        assertEquals(new Progress(4, 0, 2, 2), h.stored(job.id()).progress());
        assertEquals("SubJob.Declined", h.subJobs.get(job.id(), 1).orElseThrow().error().code());
        assertEquals("Program.Failed", h.subJobs.get(job.id(), 2).orElseThrow().error().code(), "an outcome stays as it was");
        assertEquals(SubJobStatus.SUCCEEDED, h.subJobs.get(job.id(), 3).orElseThrow().status());
    }

    @Test
    void runSubJobs_failsForEachRetryableError_underAnErrorNameTheStateMachineRetries() throws Exception {
        for (String outcome : List.of("declined", "rejected", "busy")) {
            Job job = h.queued("alice", "outcomes", Map.of("outcomes", outcome), List.of());
            h.admit(job);
            List<WorkflowSteps.BatchItem> batch = h.manifest(h.workflow().split(job.id(), 1));
            RuntimeException thrown = assertThrows(RuntimeException.class, () -> h.workflow().runSubJobs(job.id(), 1, batch));
            // A Java Lambda function's error name is its exception's class name.
            assertTrue(WorkflowErrors.SUBJOB_RETRIED.contains(thrown.getClass().getName()), outcome + ": " + thrown);
        }
    }

    @Test
    void subJobsPerBatch_isOneForASmallJob_growsWithALargeOne_andFitsTheFunctionTimeout() {
        ProgramDefinition primes = io.conveyor.program.ProgramRegistry.samples().find("primes").orElseThrow();
        assertEquals(50, primes.maxConcurrency());
        assertEquals(1, WorkflowSteps.subJobsPerBatch(primes, 8), "a small job spreads over every slot");
        assertEquals(1, WorkflowSteps.subJobsPerBatch(primes, 200));
        assertEquals(2, WorkflowSteps.subJobsPerBatch(primes, 201));
        assertEquals(5, WorkflowSteps.subJobsPerBatch(primes, 1_000));
        assertEquals(15, WorkflowSteps.subJobsPerBatch(primes, 10_000), "15 subjobs of up to 60 s fill the 15-minute function");
    }

    @Test
    void split_repeated_registersTheSameSubjobs() throws Exception {
        Job job = h.queued("alice", "word-frequency", Map.of("chunkBytes", "1024"), List.of(), "a b c\n".repeat(1000));
        h.admit(job);
        WorkflowSteps.Split first = h.workflow().split(job.id(), 1);
        WorkflowSteps.Split again = h.workflow().split(job.id(), 1);
        assertEquals(first, again);
        assertEquals(first.subJobs(), h.stored(job.id()).progress().total());
        assertTrue(first.subJobs() >= 5);
    }

    @Test
    void subjobFailures_beyondTolerance_failTheConfirmationWithTheCounts() throws Exception {
        Job job = h.queued("alice", "primes", Map.of("to", "100", "subJobs", "4"), List.of());
        h.admit(job);
        h.workflow().split(job.id(), 1);
        h.workflow().recordSubJobFailures(job.id(), 1, List.of(0), "io.conveyor.programs.InvalidParametersException",
                "{\"errorMessage\":\"bad range\",\"errorType\":\"io.conveyor.programs.InvalidParametersException\"}");
        h.workflow().recordSubJobFailures(job.id(), 1, List.of(0), "io.conveyor.programs.InvalidParametersException", "again");
        for (int i = 1; i < 4; i++) {
            h.runSubJob(job, 1, i, "{\"from\": 1, \"to\": 10}");
        }
        SubJob failed = h.subJobs.get(job.id(), 0).orElseThrow();
        assertEquals(SubJobStatus.FAILED, failed.status());
        assertEquals("Program.InvalidParameters", failed.error().code());
        assertEquals("bad range", failed.error().message());
        ToleranceExceededException e = assertThrows(ToleranceExceededException.class, () -> h.workflow().confirmSubJobs(job.id(), 1));
        assertEquals("1 of 4 subjobs failed (25.0%); program primes tolerates 0.0%", e.getMessage());
    }

    @Test
    void retryableFailure_reregistersWithTheDelay_thenResumesAsANewAttempt() {
        Job job = h.queued("alice", "primes", Map.of(), List.of());
        h.admit(job);
        WorkflowSteps.FailureDecision decision = h.workflow().handleFailure(job.id(), "States.Timeout", "Task timed out after 60.00 seconds");
        assertEquals("REREGISTER", decision.decision());
        assertEquals(30, decision.waitSeconds());
        Job waiting = h.stored(job.id());
        assertEquals(JobStatus.RETRY_WAITING, waiting.status());
        assertEquals(1, h.counters.activeForUser("alice"), "a job waiting to re-register keeps its slot");

        assertEquals(2, h.workflow().resume(job.id()));
        assertEquals(JobStatus.RUNNING, h.stored(job.id()).status());
        assertEquals(60, h.workflow().handleFailure(job.id(), "States.Timeout", "again").waitSeconds(), "the delay doubles");
        h.workflow().resume(job.id());
        WorkflowSteps.FailureDecision last = h.workflow().handleFailure(job.id(), "States.Timeout", "and again");
        assertEquals("FAIL", last.decision(), "three attempts in all, then the job fails");
        Job failed = h.stored(job.id());
        assertEquals(JobStatus.FAILED, failed.status());
        assertEquals(List.of(Attempt.Outcome.REREGISTERED, Attempt.Outcome.REREGISTERED, Attempt.Outcome.FAILED),
                failed.attempts().stream().map(Attempt::outcome).toList());
        assertEquals(0, h.counters.activeForUser("alice"));
    }

    @Test
    void permanentFailure_failsTheJobWithAFriendlyCodeAndMessage() {
        Job job = h.queued("alice", "primes", Map.of(), List.of());
        h.admit(job);
        WorkflowSteps.FailureDecision decision = h.workflow().handleFailure(job.id(),
                "io.conveyor.programs.InvalidParametersException",
                "{\"errorMessage\":\"parameter 'to' must be a whole number\",\"errorType\":\"x\",\"stackTrace\":[]}");
        assertEquals("FAIL", decision.decision());
        assertEquals("Program.InvalidParameters", decision.error());
        assertEquals("parameter 'to' must be a whole number", h.stored(job.id()).error().message());
        assertEquals(JobStatus.FAILED, h.events.published.get(0).to());
    }

    @Test
    void toleranceExceededByRetryableFailures_reregisters_butByPermanentOnesFails() throws Exception {
        Job job = h.queued("alice", "primes", Map.of("to", "100", "subJobs", "2"), List.of());
        h.admit(job);
        h.workflow().split(job.id(), 1);
        h.workflow().recordSubJobFailures(job.id(), 1, List.of(0), WorkflowErrors.SUBJOB_DECLINED, "busy");
        assertEquals("REREGISTER", h.workflow().handleFailure(job.id(), "States.ExceedToleratedFailureThreshold", "x").decision());
        assertEquals("1 of 2 subjobs failed (50.0%); program primes tolerates 0.0%", h.stored(job.id()).error().message());

        h.workflow().resume(job.id());
        h.workflow().split(job.id(), 2);
        h.workflow().recordSubJobFailures(job.id(), 2, List.of(1), "java.lang.IllegalStateException", "bug");
        assertEquals("FAIL", h.workflow().handleFailure(job.id(), "States.ExceedToleratedFailureThreshold", "x").decision());
    }

    @Test
    void toleranceBreachOfLateTimeouts_saysSo_andReregisters() throws Exception {
        Job job = h.queued("alice", "primes", Map.of("to", "100", "subJobs", "2"), List.of());
        h.admit(job);
        h.workflow().split(job.id(), 1);
        for (int i = 0; i < 2; i++) {
            h.runSubJob(job, 1, i, "{\"from\": 1, \"to\": 10}");
        }
        // The map counted both as timed out before their results were recorded.
        WorkflowSteps.FailureDecision decision = h.workflow().handleFailure(job.id(), "States.ExceedToleratedFailureThreshold", "x");
        assertEquals("REREGISTER", decision.decision());
        assertEquals("subjobs timed out beyond the 0.0% program primes tolerates; their late results were kept "
                + "(2 of 2 succeeded, 0 failed)", decision.cause());
    }

    @Test
    void stepsOfACancelledJob_refuseToRun() throws Exception {
        Job job = h.queued("alice", "primes", Map.of("to", "100", "subJobs", "1"), List.of());
        h.admit(job);
        h.workflow().split(job.id(), 1);
        h.jobs.update(h.stored(job.id()).cancel(h.clock.instant()));
        assertThrows(JobNotRunningException.class,
                () -> h.runSubJob(job, 1, 0, "{\"from\":1,\"to\":2}"));
        assertThrows(JobNotRunningException.class, () -> h.workflow().aggregate(job.id(), 1));
        assertEquals("FAIL", h.workflow().handleFailure(job.id(), "JobNotRunning", "cancelled").decision());
        assertEquals(JobStatus.CANCELLED, h.stored(job.id()).status(), "the failure handler leaves a cancelled job alone");
    }

    @Test
    void wordFrequency_throughEveryStep_countsTheWordsOfAllInputs() throws Exception {
        Job job = h.queued("alice", "word-frequency", Map.of("top", "2", "chunkBytes", "1024"), List.of(),
                "alpha beta beta\n".repeat(300), "Beta gamma\n".repeat(200));
        h.admit(job);
        JsonNode result = h.runToSuccess(job);
        assertEquals(1300, result.path("totalWords").asLong());
        assertEquals("beta", result.path("top").get(0).path("word").asText());
        assertEquals(800, result.path("top").get(0).path("count").asLong());
        assertEquals(Optional.of(JobStatus.SUCCEEDED), h.jobs.get(job.id()).map(Job::status));
        assertFalse(h.subJobs.list(job.id(), 100, Optional.empty()).items().isEmpty());
    }
}
