package io.conveyor.job;

import io.conveyor.programs.DeclaredInput;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The job lifecycle, move by move. Each test drives a job through {@link Job}'s methods; {@link #everyDeclaredTransitionIsExercised}
 * fails when the table declares a move that no test here makes.
 */
class JobLifecycleTest {
    private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
    private static final Duration RETENTION = Duration.ofDays(7);
    private static final JobError DECLINED = new JobError("SubJob.Declined", "the worker declined subjob 3");
    private static final Set<JobLifecycle.Transition> exercised = new LinkedHashSet<>();

    private static Job created() {
        return Job.create("job-1", "alice", "word-frequency", Map.of("top", "10"),
                List.of(new DeclaredInput("a.txt", 12, "text/plain", null)), List.of(), null, RETENTION, T0);
    }

    /** Applies one move and records which row of the table it exercised. */
    private static Job step(Job job, JobEvent event, UnaryOperator<Job> move) {
        Job after = move.apply(job);
        exercised.add(new JobLifecycle.Transition(job.status(), event, after.status()));
        assertEquals(JobLifecycle.next(job.status(), event), after.status());
        return after;
    }

    private static Job running() {
        Job queued = step(created(), JobEvent.SUBMIT, j -> j.submit(T0.plusSeconds(1)));
        return step(queued, JobEvent.ADMIT, j -> j.admit(T0.plusSeconds(2)));
    }

    @Test
    void submitThenAdmit_startsTheFirstAttempt() {
        Job job = running();
        assertEquals(JobStatus.RUNNING, job.status());
        assertEquals(1, job.attempts().size());
        Attempt first = job.attempts().get(0);
        assertEquals(1, first.number());
        assertEquals(T0.plusSeconds(2), first.startedAt());
        assertNull(first.endedAt());
        assertNull(job.expiresAt());
        assertEquals(T0.plusSeconds(2), job.updatedAt());
        assertEquals("job-1-1", job.executionName());
    }

    @Test
    void succeed_endsTheAttemptKeepsTheResultAndExpiresAfterRetention() {
        Job job = step(running(), JobEvent.SUCCEED, j -> j.succeed("jobs/job-1/attempts/1/result.json", T0.plusSeconds(60)));
        assertEquals("jobs/job-1/attempts/1/result.json", job.resultKey());
        assertEquals(Attempt.Outcome.SUCCEEDED, job.attempts().get(0).outcome());
        assertEquals(T0.plusSeconds(60), job.attempts().get(0).endedAt());
        assertEquals(T0.plusSeconds(60).plus(RETENTION), job.expiresAt());
        assertTrue(job.status().isTerminal());
    }

    @Test
    void fail_whileRunning_recordsTheErrorOnJobAndAttempt() {
        Job job = step(running(), JobEvent.FAIL, j -> j.fail(DECLINED, T0.plusSeconds(30)));
        assertEquals(DECLINED, job.error());
        assertEquals(Attempt.Outcome.FAILED, job.attempts().get(0).outcome());
        assertEquals(DECLINED, job.attempts().get(0).error());
        assertEquals(T0.plusSeconds(30).plus(RETENTION), job.expiresAt());
    }

    @Test
    void fail_whileQueued_byAFailedDependency_hasNoAttempt() {
        Job queued = step(created(), JobEvent.SUBMIT, j -> j.submit(T0));
        JobError dependencyFailed = new JobError("Dependency.Failed", "job job-0 failed");
        Job job = step(queued, JobEvent.FAIL, j -> j.fail(dependencyFailed, T0.plusSeconds(5)));
        assertEquals(JobStatus.FAILED, job.status());
        assertTrue(job.attempts().isEmpty());
        assertEquals(dependencyFailed, job.error());
    }

    @Test
    void reregisterThenResume_addsASecondAttemptToTheHistory() {
        Job waiting = step(running(), JobEvent.REREGISTER, j -> j.reregister(DECLINED, T0.plusSeconds(10)));
        assertEquals(JobStatus.RETRY_WAITING, waiting.status());
        assertEquals(Attempt.Outcome.REREGISTERED, waiting.attempts().get(0).outcome());

        Job resumed = step(waiting, JobEvent.RESUME, j -> j.resume(T0.plusSeconds(40)));
        assertEquals(JobStatus.RUNNING, resumed.status());
        assertEquals(List.of(1, 2), resumed.attempts().stream().map(Attempt::number).toList());
        assertEquals(T0.plusSeconds(40), resumed.attempts().get(1).startedAt());
        assertEquals(Progress.NONE, resumed.progress());
    }

    @Test
    void fail_whileWaitingToReregister_endsTheJobWithTheNewError() {
        Job waiting = step(running(), JobEvent.REREGISTER, j -> j.reregister(DECLINED, T0.plusSeconds(10)));
        JobError gone = new JobError("Job.Internal", "the next attempt could not start");
        Job failed = step(waiting, JobEvent.FAIL, j -> j.fail(gone, T0.plusSeconds(20)));
        assertEquals(JobStatus.FAILED, failed.status());
        assertEquals(gone, failed.error());
        assertEquals(Attempt.Outcome.REREGISTERED, failed.attempts().get(0).outcome(), "the ended attempt keeps its outcome");
    }

    @Test
    void cancel_isAllowedFromEveryNonTerminalStatus() {
        Job created = created();
        Job queued = step(created, JobEvent.SUBMIT, j -> j.submit(T0));
        Job running = running();
        Job waiting = step(running(), JobEvent.REREGISTER, j -> j.reregister(DECLINED, T0.plusSeconds(3)));
        for (Job job : List.of(created, queued, running, waiting)) {
            Job cancelled = step(job, JobEvent.CANCEL, j -> j.cancel(T0.plusSeconds(9)));
            assertEquals(JobStatus.CANCELLED, cancelled.status());
            assertEquals(T0.plusSeconds(9).plus(RETENTION), cancelled.expiresAt());
        }
        Job cancelledWhileRunning = running.cancel(T0.plusSeconds(9));
        assertEquals(Attempt.Outcome.CANCELLED, cancelledWhileRunning.attempts().get(0).outcome());
    }

    @Test
    void retry_ofAFailedOrCancelledJob_queuesItAgainAndClearsTheExpiry() {
        Job failed = withProgress(running(), new Progress(4, 0, 1, 3)).fail(DECLINED, T0.plusSeconds(30));
        Job cancelled = created().cancel(T0.plusSeconds(30));
        for (Job job : List.of(failed, cancelled)) {
            Job again = step(job, JobEvent.RETRY, j -> j.retry(T0.plusSeconds(100)));
            assertEquals(JobStatus.QUEUED, again.status());
            assertNull(again.expiresAt(), "a job that runs again is not expiring");
            assertEquals(Progress.NONE, again.progress(), "the failed attempt's counters are not the new one's");
            assertNull(again.error());
        }
        Job readmitted = failed.retry(T0.plusSeconds(100)).admit(T0.plusSeconds(101));
        assertEquals(2, readmitted.attempts().size());
        assertEquals("job-1-2", readmitted.executionName(), "a retry runs in an execution of its own");
    }

    @Test
    void retry_ofAJobCancelledBeforeItStarted_runsInANewExecution() {
        Job cancelled = created().submit(T0).cancel(T0.plusSeconds(1));
        assertEquals("job-1-1", cancelled.executionName());
        assertEquals("job-1-2", cancelled.retry(T0.plusSeconds(2)).executionName(),
                "the stopped execution's name cannot be used again");
    }

    @Test
    void retry_afterTheRetentionPassed_isRefused() {
        Job failed = running().fail(DECLINED, T0);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> failed.retry(T0.plus(RETENTION)));
        assertTrue(e.getMessage().contains("expired"), e.getMessage());
    }

    @Test
    void illegalMove_namesTheStatusAndTheEvent() {
        Job succeeded = running().succeed("r", T0.plusSeconds(5));
        IllegalTransitionException e = assertThrows(IllegalTransitionException.class, () -> succeeded.cancel(T0));
        assertEquals(JobStatus.SUCCEEDED, e.from());
        assertEquals(JobEvent.CANCEL, e.event());
        assertTrue(e.getMessage().contains("SUCCEEDED") && e.getMessage().contains("CANCEL"), e.getMessage());
        assertThrows(IllegalTransitionException.class, () -> created().admit(T0));
        assertThrows(IllegalTransitionException.class, () -> running().submit(T0));
    }

    @Test
    void terminalStatuses_allowOnlyRetry_andSucceededAllowsNothing() {
        for (JobStatus status : JobStatus.values()) {
            if (status.isTerminal()) {
                Set<JobEvent> allowed = status == JobStatus.SUCCEEDED ? Set.of() : Set.of(JobEvent.RETRY);
                assertEquals(allowed, JobLifecycle.eventsFrom(status), status.name());
            }
        }
    }

    @Test
    void expiry_isRoundedUpToTheSecond() {
        Job job = running().succeed("r", T0.plusMillis(1500));
        assertEquals(T0.plusSeconds(2).plus(RETENTION), job.expiresAt());
        assertFalse(job.isExpired(T0.plusSeconds(1).plus(RETENTION)));
        assertTrue(job.isExpired(T0.plusSeconds(2).plus(RETENTION)));
    }

    /** The job as the store would return it after subjob counters moved. */
    private static Job withProgress(Job j, Progress p) {
        return new Job(j.id(), j.owner(), j.program(), j.parameters(), j.inputs(), j.dependsOn(), j.idempotencyKey(),
                j.executionName(), j.status(), p, j.usage(), j.attempts(), j.resultKey(), j.error(), j.createdAt(), j.updatedAt(),
                j.retention(), j.expiresAt(), j.version());
    }

    @AfterAll
    static void everyDeclaredTransitionIsExercised() {
        Set<JobLifecycle.Transition> missing = new LinkedHashSet<>(JobLifecycle.transitions());
        missing.removeAll(exercised);
        assertTrue(missing.isEmpty(), "declared transitions no test exercises: " + missing);
    }
}
