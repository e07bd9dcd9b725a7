package io.conveyor.subjob;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conveyor.job.Job;
import io.conveyor.job.JobError;
import io.conveyor.job.JobStore;
import io.conveyor.job.Progress;
import io.conveyor.persistence.InvalidPageTokenException;
import io.conveyor.persistence.Page;
import io.conveyor.testing.Concurrently;
import io.conveyor.testing.ConflictingDynamoDb;
import io.conveyor.testing.LocalAws;
import io.conveyor.testing.SampleJobs;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/** The subjobs table and the progress counters it keeps on the job, on the DynamoDB emulator. */
class SubJobStoreTest {
    private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
    private static final JobError DECLINED = new JobError("SubJob.Declined", "input 4 is not UTF-8");
    /** What runs the subjobs of a Java program: the catalogue's RunSubJob function. */
    private static final SubJobRunner.Function RUN_SUBJOB = new SubJobRunner.Function("RunSubJob", null);
    /** Until when a RunSubJob invocation that starts subjobs about T0 holds them: the function's 15 minutes. */
    private static final Instant HELD_UNTIL = T0.plus(Duration.ofMinutes(15));

    private JobStore jobs;
    private SubJobStore subJobs;

    @BeforeEach
    void runningJob() {
        LocalAws.Deployment deployment = LocalAws.get().newDeployment();
        jobs = deployment.jobs();
        subJobs = deployment.subJobs();
        Job created = jobs.create(SampleJobs.created("j", "alice", "primes", T0));
        jobs.update(jobs.update(created.submit(T0)).admit(T0));
    }

    @Test
    void registerAll_refusesSubjobsThatAreNotTheJobsOwnInOrder() {
        List<SubJob> gap = List.of(SubJob.pending("j", 0, 1, "m"), SubJob.pending("j", 2, 1, "m"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> subJobs.registerAll("j", 1, gap));
        assertTrue(e.getMessage().contains("subjob 1 of the list"), e.getMessage());
        assertEquals(Progress.NONE, progress(), "nothing was written");
    }

    @Test
    void eachSubjobKeepsItsOwnInputKey_evenWhereTheyDiffer() {
        List<SubJob> registered = List.of(SubJob.pending("j", 0, 1, "m"), SubJob.pending("j", 1, 1, "other"),
                SubJob.pending("j", 2, 1, null), SubJob.pending("j", 3, 1, "m"));
        subJobs.registerAll("j", 1, registered);
        assertEquals(registered, subJobs.list("j", 10, Optional.empty()).items());
    }

    @Test
    void aBatchAcrossGroups_startsAndEnds_andEachSubjobReadsBackAsWritten() {
        int first = SubJobGroup.SIZE - 3; // the batch straddles the first two groups
        subJobs.registerAll("j", 1, pending(2 * SubJobGroup.SIZE));
        List<Integer> batch = IntStream.range(first, first + 6).boxed().toList();
        assertEquals(batch, subJobs.startAll("j", 1, batch, T0, HELD_UNTIL, RUN_SUBJOB));
        List<SubJobOutcome> outcomes = new ArrayList<>();
        batch.forEach(i -> outcomes.add(i % 2 == 0 ? succeeded(i)
                : SubJobOutcome.failed(i, new JobError("Program.Failed", "no " + i), Duration.ofMillis(i))));
        assertEquals(outcomes, subJobs.recordAll("j", 1, outcomes, first, OptionalInt.empty(), T0.plusSeconds(1)));

        for (int i = 0; i < 2 * SubJobGroup.SIZE; i++) {
            SubJob s = subJobs.get("j", i).orElseThrow();
            if (!batch.contains(i)) {
                assertEquals(SubJobStatus.PENDING, s.status(), "subjob " + i + " was not in the batch");
                continue;
            }
            assertEquals(i % 2 == 0 ? SubJobStatus.SUCCEEDED : SubJobStatus.FAILED, s.status());
            assertEquals(1, s.attempts());
            assertEquals(T0, s.startedAt());
            assertEquals(i % 2 == 0 ? "{\"n\":" + i + "}" : null, s.output());
            assertEquals(i % 2 == 0 ? null : new JobError("Program.Failed", "no " + i), s.error());
        }
        assertEquals(new Progress(2 * SubJobGroup.SIZE, 0, 3, 3), progress());
        assertEquals(Optional.empty(), subJobs.get("j", 2 * SubJobGroup.SIZE), "no such subjob");
    }

    @Test
    void aVeryLongErrorMessage_isKeptCut_soTheSubjobStillFitsItsItem() {
        subJobs.registerAll("j", 1, pending(SubJobGroup.SIZE));
        String longMessage = "why ".repeat(50_000);
        for (int i = 0; i < SubJobGroup.SIZE; i++) {
            assertTrue(subJobs.recordFailure("j", i, 1, new JobError("Program.Failed", longMessage), T0).isPresent());
        }
        String kept = subJobs.get("j", 5).orElseThrow().error().message();
        assertEquals(SubJobGroup.MAX_KEPT_MESSAGE_CHARS, kept.length());
        assertTrue(kept.startsWith("why why") && kept.endsWith("[cut to 4096 characters]"), kept.substring(kept.length() - 40));
        assertEquals(new Progress(SubJobGroup.SIZE, 0, 0, SubJobGroup.SIZE), progress());
    }

    @Test
    void aTransactionThatMeetsAnotherOnTheSameItem_isTriedAgain() {
        LocalAws.Deployment deployment = LocalAws.get().newDeployment();
        ConflictingDynamoDb dynamoDb = new ConflictingDynamoDb(deployment.dynamoDb());
        JobStore conflictingJobs = new JobStore(dynamoDb.client(), deployment.settings().jobsTable());
        SubJobStore store = new SubJobStore(dynamoDb.client(), deployment.settings().subJobsTable(), conflictingJobs);
        Job created = conflictingJobs.create(SampleJobs.created("c", "alice", "primes", T0));
        conflictingJobs.update(conflictingJobs.update(created.submit(T0)).admit(T0));
        store.registerAll("c", 1, List.of(SubJob.pending("c", 0, 1, "m")));

        dynamoDb.conflictNext(2);
        assertTrue(store.start("c", 0, 1, T0, RUN_SUBJOB), "started on the third try");
        assertEquals(new Progress(1, 1, 0, 0), conflictingJobs.get("c").orElseThrow().progress());
        assertEquals(1, store.get("c", 0).orElseThrow().attempts(), "written once");
    }

    private static List<SubJob> pending(int count) {
        return IntStream.range(0, count)
                .mapToObj(i -> SubJob.pending("j", i, 1, "jobs/j/attempts/1/manifest.json"))
                .toList();
    }

    private Progress progress() {
        return jobs.get("j").orElseThrow().progress();
    }

    @Test
    void registerAll_setsTheTotalAndListsInIndexOrderAcrossPages() {
        subJobs.registerAll("j", 1, pending(60));
        assertEquals(new Progress(60, 0, 0, 0), progress());

        List<Integer> seen = new ArrayList<>();
        Optional<String> token = Optional.empty();
        do {
            Page<SubJob> page = subJobs.list("j", 25, token);
            page.items().forEach(s -> seen.add(s.index()));
            token = page.nextToken();
        } while (token.isPresent());
        assertEquals(IntStream.range(0, 60).boxed().toList(), seen);
    }

    @Test
    void registerAll_twice_isHarmless() {
        subJobs.registerAll("j", 1, pending(3));
        subJobs.registerAll("j", 1, pending(3));
        assertEquals(new Progress(3, 0, 0, 0), progress());
        assertEquals(3, subJobs.list("j", 10, Optional.empty()).items().size());
    }

    @Test
    void registerAll_forAnAttemptTheJobIsNotRunning_isRefused() {
        assertThrows(TransactionCanceledException.class, () -> subJobs.registerAll("j", 2, pending(3).stream()
                .map(s -> SubJob.pending("j", s.index(), 2, s.manifestKey())).toList()));
        assertEquals(Progress.NONE, progress());
    }

    @Test
    void start_countsRunningOnce_andEachInvocationAsAnAttempt() {
        subJobs.registerAll("j", 1, pending(2));
        assertTrue(subJobs.start("j", 0, 1, T0.plusSeconds(1), RUN_SUBJOB));
        assertTrue(subJobs.start("j", 0, 1, T0.plusSeconds(5), RUN_SUBJOB), "a retry may run");
        SubJob retried = subJobs.get("j", 0).orElseThrow();
        assertEquals(SubJobStatus.RUNNING, retried.status());
        assertEquals(2, retried.attempts());
        assertEquals(T0.plusSeconds(1), retried.startedAt(), "the first start is kept");
        assertEquals(new Progress(2, 1, 0, 0), progress());
    }

    @Test
    void eachAttemptKeepsWhatRanIt_aFunctionOnceForAll_aWorkerPerAttempt_throughTheOutcome() {
        subJobs.registerAll("j", 1, pending(3));
        SubJobRunner.Function lambda = new SubJobRunner.Function("RunSubJob", "word-count:live");
        assertEquals(List.of(0, 1), subJobs.startAll("j", 1, List.of(0, 1), T0, HELD_UNTIL, lambda));
        subJobs.holds().release("j", 1, List.of(0, 1), HELD_UNTIL, T0.plusSeconds(1));
        assertEquals(List.of(0, 1), subJobs.startAll("j", 1, List.of(0, 1), T0.plusSeconds(1), HELD_UNTIL, lambda), "a retry");
        SubJobRunner.Worker doomed = new SubJobRunner.Worker("w-1", "gpu-box-1");
        SubJobRunner.Worker unnamed = new SubJobRunner.Worker("w-2", null);
        subJobs.start("j", 2, 1, T0, doomed);
        subJobs.start("j", 2, 1, T0.plusSeconds(30), unnamed);
        subJobs.recordAll("j", 1, List.of(SubJobOutcome.failed(2, DECLINED, Duration.ofSeconds(2))), 2,
                OptionalInt.empty(), T0.plusSeconds(32));

        assertEquals(List.of(lambda, lambda), subJobs.get("j", 0).orElseThrow().runners());
        assertEquals(List.of(lambda, lambda), subJobs.get("j", 1).orElseThrow().runners(), "assigned, then retaken");
        SubJob ended = subJobs.get("j", 2).orElseThrow();
        assertEquals(SubJobStatus.FAILED, ended.status());
        assertEquals(List.of(doomed, unnamed), ended.runners());
        assertEquals(List.of(), subJobs.list("j", 10, Optional.empty()).items().stream()
                .filter(s -> s.runners().size() != s.attempts()).toList(), "one runner per attempt");
    }

    @Test
    void recordedSuccess_countsOnce_andKeepsOutputAndDuration() {
        subJobs.registerAll("j", 1, pending(2));
        subJobs.start("j", 1, 1, T0, RUN_SUBJOB);
        assertEquals(List.of(succeeded(1)), subJobs.recordAll("j", 1, List.of(succeeded(1)), 1, OptionalInt.empty(), T0.plusMillis(1500)));
        assertEquals(List.of(), subJobs.recordAll("j", 1, List.of(succeeded(1)), 1, OptionalInt.empty(), T0.plusMillis(1700)),
                "a replay records nothing");
        assertEquals(Optional.empty(), subJobs.recordFailure("j", 1, 1, DECLINED, T0.plusSeconds(2)), "nor does a late failure");

        SubJob done = subJobs.get("j", 1).orElseThrow();
        assertEquals(SubJobStatus.SUCCEEDED, done.status());
        assertEquals("{\"n\":1}", done.output());
        assertEquals(Duration.ofMillis(15), done.duration(), "the worker's own time");
        assertEquals(new Progress(2, 0, 1, 0), progress());
        // Start after the outcome (a late duplicate delivery) changes nothing.
        assertFalse(subJobs.start("j", 1, 1, T0.plusSeconds(9), RUN_SUBJOB), "the subjob has ended: nothing runs");
        assertEquals(SubJobStatus.SUCCEEDED, subJobs.get("j", 1).orElseThrow().status());
        assertEquals(new Progress(2, 0, 1, 0), progress());
    }

    @Test
    void recordFailure_keepsTheError_andCountsAFailure() {
        subJobs.registerAll("j", 1, pending(3));
        subJobs.start("j", 2, 1, T0, RUN_SUBJOB);
        assertTrue(subJobs.recordFailure("j", 2, 1, DECLINED, T0.plusSeconds(1)).isPresent());
        assertEquals(DECLINED, subJobs.get("j", 2).orElseThrow().error());
        // A subjob that fails before any invocation started was never running.
        assertEquals(Optional.of(Duration.ZERO), subJobs.recordFailure("j", 0, 1, DECLINED, T0.plusSeconds(2)));
        assertEquals(new Progress(3, 0, 0, 2), progress());
        // A failure delivered for an attempt the subjob does not belong to records nothing.
        assertEquals(Optional.empty(), subJobs.recordFailure("j", 1, 2, DECLINED, T0.plusSeconds(3)));
        assertEquals(SubJobStatus.PENDING, subJobs.get("j", 1).orElseThrow().status());
        assertEquals(new Progress(3, 0, 0, 2), progress());
    }

    @Test
    void concurrentDuplicateOutcomes_countExactlyOnce() throws Exception {
        subJobs.registerAll("j", 1, pending(1));
        subJobs.start("j", 0, 1, T0, RUN_SUBJOB);
        List<Concurrently.Outcome<List<SubJobOutcome>>> outcomes =
                Concurrently.run(8, () -> subJobs.recordAll("j", 1, List.of(succeeded(0)), 0, OptionalInt.empty(), T0.plusSeconds(1)));
        long recorded = outcomes.stream().filter(o -> o.result() != null && !o.result().isEmpty()).count();
        assertEquals(1, recorded, "exactly one delivery records the outcome: " + outcomes);
        assertEquals(new Progress(1, 0, 1, 0), progress());
    }

    @Test
    void aBatch_startsAndEndsInBulk_andSkipsWhatEndedBefore() {
        subJobs.registerAll("j", 1, pending(250));
        subJobs.start("j", 7, 1, T0, RUN_SUBJOB);
        subJobs.recordFailure("j", 7, 1, DECLINED, T0.plusSeconds(1));
        List<Integer> batch = IntStream.range(0, 250).boxed().toList();

        List<Integer> started = subJobs.startAll("j", 1, batch, T0.plusSeconds(2), HELD_UNTIL, RUN_SUBJOB);
        assertEquals(249, started.size(), "the subjob that ended already does not run again");
        assertEquals(new Progress(250, 1, 0, 1), progress(), "a batch runs one subjob at a time");
        assertEquals(T0.plusSeconds(2), subJobs.get("j", started.get(0)).orElseThrow().startedAt());

        List<SubJobOutcome> outcomes = started.stream().map(SubJobStoreTest::succeeded).toList();
        assertEquals(249, subJobs.recordAll("j", 1, outcomes, started.get(0), OptionalInt.empty(), T0.plusSeconds(3)).size());
        assertEquals(new Progress(250, 0, 249, 1), progress());
        assertEquals(List.of(), subJobs.startAll("j", 1, batch, T0.plusSeconds(4), HELD_UNTIL, RUN_SUBJOB), "a repeated batch runs nothing");
        assertEquals(new Progress(250, 0, 249, 1), progress());
    }

    /** A batch runs its subjobs one after another: one is RUNNING, and each write of outcomes passes the turn on. */
    @Test
    void aBatch_showsOneSubjobRunningAtATime_andPassesTheTurnWithEachWrite() {
        subJobs.registerAll("j", 1, pending(20));
        List<Integer> batch = IntStream.range(0, 15).boxed().toList();
        assertEquals(batch, subJobs.startAll("j", 1, batch, T0, HELD_UNTIL, RUN_SUBJOB));
        assertEquals(new Progress(20, 1, 0, 0), progress());
        assertEquals(SubJobStatus.RUNNING, subJobs.get("j", 0).orElseThrow().status());
        assertEquals(SubJobStatus.ASSIGNED, subJobs.get("j", 1).orElseThrow().status());

        // Subjobs 0 to 2 ended (1 and 2 while still shown assigned); 3 runs next.
        subJobs.recordAll("j", 1, List.of(succeeded(0), succeeded(1), succeeded(2)), 0, OptionalInt.of(3), T0.plusSeconds(2));
        assertEquals(new Progress(20, 1, 3, 0), progress());
        assertEquals(SubJobStatus.RUNNING, subJobs.get("j", 3).orElseThrow().status());
        assertEquals(SubJobStatus.ASSIGNED, subJobs.get("j", 4).orElseThrow().status());
        assertEquals(1, subJobs.get("j", 2).orElseThrow().attempts(), "an assigned subjob that ran counts its attempt");

        // 3 was declined (no outcome, retried with the batch later), 4 ended: the turn passes to 5, 3 waits again.
        subJobs.recordAll("j", 1, List.of(succeeded(4)), 3, OptionalInt.of(5), T0.plusSeconds(4));
        assertEquals(new Progress(20, 1, 4, 0), progress());
        assertEquals(SubJobStatus.ASSIGNED, subJobs.get("j", 3).orElseThrow().status());
        assertEquals(SubJobStatus.RUNNING, subJobs.get("j", 5).orElseThrow().status());

        List<SubJobOutcome> rest = IntStream.range(5, 15).mapToObj(SubJobStoreTest::succeeded).toList();
        subJobs.recordAll("j", 1, rest, 5, OptionalInt.empty(), T0.plusSeconds(5));
        assertEquals(new Progress(20, 0, 14, 0), progress());

        // The invocation ends, letting go of 3; the batch is delivered again for it: it runs, and only it.
        subJobs.holds().release("j", 1, batch, HELD_UNTIL, T0.plusSeconds(6));
        assertEquals(List.of(3), subJobs.startAll("j", 1, batch, T0.plusSeconds(9), HELD_UNTIL, RUN_SUBJOB));
        assertEquals(new Progress(20, 1, 14, 0), progress());
        assertEquals(SubJobStatus.RUNNING, subJobs.get("j", 3).orElseThrow().status());
        assertEquals(2, subJobs.get("j", 3).orElseThrow().attempts());
    }

    /**
     * A batch of one whose subjob was declined: it stays running until the retry, which runs it once and records it,
     * while a late duplicate of the first invocation (timed out, not stopped) may record it first.
     */
    @Test
    void aDeclinedSubjob_staysRunning_andItsRetryRunsAndRecordsItOnce() {
        subJobs.registerAll("j", 1, pending(1));
        assertEquals(List.of(0), subJobs.startAll("j", 1, List.of(0), T0, HELD_UNTIL, RUN_SUBJOB));
        assertEquals(new Progress(1, 1, 0, 0), progress());
        subJobs.holds().release("j", 1, List.of(0), HELD_UNTIL, T0.plusSeconds(4));

        assertEquals(List.of(0), subJobs.startAll("j", 1, List.of(0), T0.plusSeconds(5), HELD_UNTIL, RUN_SUBJOB));
        assertEquals(SubJobStatus.RUNNING, subJobs.get("j", 0).orElseThrow().status());
        assertEquals(new Progress(1, 1, 0, 0), progress());
        assertEquals(List.of(succeeded(0)), subJobs.recordAll("j", 1, List.of(succeeded(0)), 0, OptionalInt.empty(),
                T0.plusSeconds(6)));
        SubJob done = subJobs.get("j", 0).orElseThrow();
        assertEquals(SubJobStatus.SUCCEEDED, done.status());
        assertEquals(2, done.attempts());
        assertEquals(new Progress(1, 0, 1, 0), progress());
        assertEquals(List.of(), subJobs.startAll("j", 1, List.of(0), T0.plusSeconds(7), HELD_UNTIL, RUN_SUBJOB), "nothing runs again");
    }

    /** A redelivered batch whose first delivery left one subjob running further on: still one running. */
    @Test
    void aRedeliveredBatch_runsItsFirstUnfinishedSubjob_andAssignsTheOthers() {
        subJobs.registerAll("j", 1, pending(6));
        List<Integer> batch = IntStream.range(0, 6).boxed().toList();
        subJobs.startAll("j", 1, batch, T0, HELD_UNTIL, RUN_SUBJOB);
        subJobs.recordAll("j", 1, List.of(succeeded(0), succeeded(1)), 0, OptionalInt.of(2), T0.plusSeconds(2));
        subJobs.recordAll("j", 1, List.of(succeeded(2)), 2, OptionalInt.of(3), T0.plusSeconds(3));
        // The invocation dies while 3 runs, holding what it had left; the retry that comes once its hold ran out runs it.
        assertEquals(List.of(3, 4, 5), subJobs.startAll("j", 1, batch, HELD_UNTIL, HELD_UNTIL.plus(Duration.ofMinutes(15)),
                RUN_SUBJOB));
        assertEquals(new Progress(6, 1, 3, 0), progress());
        assertEquals(SubJobStatus.RUNNING, subJobs.get("j", 3).orElseThrow().status());
        assertEquals(SubJobStatus.ASSIGNED, subJobs.get("j", 4).orElseThrow().status());
        assertEquals(2, subJobs.get("j", 4).orElseThrow().attempts(), "taken by two invocations");
    }

    @Test
    void aBatchRetried_whileAnotherDeliveryRecordedPartOfIt_countsEverySubjobOnce() {
        subJobs.registerAll("j", 1, pending(3));
        assertEquals(List.of(0, 1, 2), subJobs.startAll("j", 1, List.of(0, 1, 2), T0, HELD_UNTIL, RUN_SUBJOB));
        subJobs.holds().release("j", 1, List.of(0, 1, 2), HELD_UNTIL, T0.plusSeconds(4));
        assertEquals(List.of(0, 1, 2), subJobs.startAll("j", 1, List.of(0, 1, 2), T0.plusSeconds(5), HELD_UNTIL, RUN_SUBJOB));
        assertEquals(T0, subJobs.get("j", 0).orElseThrow().startedAt(), "a retry keeps the first start");
        assertEquals(2, subJobs.get("j", 0).orElseThrow().attempts());

        subJobs.recordAll("j", 1, List.of(succeeded(1)), 0, OptionalInt.empty(), T0.plusSeconds(6));
        // The retry's outcomes meet one already recorded: the others are still recorded, one by one.
        List<SubJobOutcome> recorded = subJobs.recordAll("j", 1, List.of(succeeded(0), succeeded(1), succeeded(2)),
                0, OptionalInt.empty(), T0.plusSeconds(7));
        assertEquals(List.of(0, 2), recorded.stream().map(SubJobOutcome::index).toList());
        assertEquals(new Progress(3, 0, 3, 0), progress());
    }

    /**
     * A hold is a lease: renewed, it keeps the subjob from a repeated delivery past the first hold's end; renewed by an
     * invocation whose hold ran out and went to another, it fails and changes nothing.
     */
    @Test
    void aRenewedHold_outlastsItsFirstEnd_andOneThatRanOutCannotBeRenewed() {
        subJobs.registerAll("j", 1, pending(1));
        Instant lease = T0.plusSeconds(30);
        assertEquals(List.of(0), subJobs.startAll("j", 1, List.of(0), T0, lease, RUN_SUBJOB));
        assertTrue(subJobs.holds().renew("j", 1, 0, lease, lease.plusSeconds(30)));
        assertEquals(List.of(), subJobs.startAll("j", 1, List.of(0), lease.plusSeconds(1), lease.plusSeconds(31), RUN_SUBJOB),
                "held past its first end");
        assertFalse(subJobs.holds().renew("j", 1, 0, lease, lease.plusSeconds(60)), "only the current hold renews");

        Instant taken = lease.plusSeconds(31);
        assertEquals(List.of(0), subJobs.startAll("j", 1, List.of(0), taken, taken.plusSeconds(30), RUN_SUBJOB),
                "the renewals stopped (the invocation crashed): another takes it once the hold ran out");
        assertFalse(subJobs.holds().renew("j", 1, 0, lease.plusSeconds(30), taken.plusSeconds(60)),
                "the crashed invocation, back, cannot take it again by renewing");
        assertEquals(List.of(), subJobs.startAll("j", 1, List.of(0), taken.plusSeconds(29), taken.plusSeconds(59), RUN_SUBJOB));
        assertEquals(2, subJobs.get("j", 0).orElseThrow().attempts());
    }

    /**
     * A task that times out is retried while the invocation it gave up on may still be running: the retry must not run
     * what that invocation holds, until it lets go of it (ending without an outcome) or could no longer be running.
     */
    @Test
    void aSubjobHeldByAnInvocation_isNotStartedByAnother_untilLetGoOrItsHoldRunsOut() throws Exception {
        subJobs.registerAll("j", 1, pending(2));
        assertEquals(List.of(0, 1), subJobs.startAll("j", 1, List.of(0, 1), T0, HELD_UNTIL, RUN_SUBJOB));
        Instant laterHold = HELD_UNTIL.plusSeconds(6);
        assertEquals(List.of(), subJobs.startAll("j", 1, List.of(0, 1), T0.plusSeconds(6), laterHold, RUN_SUBJOB),
                "the timed-out invocation still holds both");
        assertEquals(1, subJobs.get("j", 0).orElseThrow().attempts());
        assertEquals(1, subJobs.get("j", 1).orElseThrow().attempts());
        assertEquals(new SubJobHolds.Unfinished(List.of(0, 1), List.of()),
                subJobs.holds().unfinished("j", 1, List.of(0, 1), T0.plusSeconds(6)), "both unfinished, neither free");

        // It records 0 and ends, declining 1: 1 is free at once, 0 is done.
        subJobs.recordAll("j", 1, List.of(succeeded(0)), 0, OptionalInt.empty(), T0.plusSeconds(7));
        subJobs.holds().release("j", 1, List.of(1), HELD_UNTIL, T0.plusSeconds(7));
        assertEquals(new SubJobHolds.Unfinished(List.of(1), List.of(1)),
                subJobs.holds().unfinished("j", 1, List.of(0, 1), T0.plusSeconds(7)), "0 has its outcome, 1 was let go of");
        List<Concurrently.Outcome<List<Integer>>> racing = Concurrently.run(4,
                () -> subJobs.startAll("j", 1, List.of(0, 1), T0.plusSeconds(8), laterHold, RUN_SUBJOB));
        assertEquals(1, racing.stream().filter(o -> o.failure() == null && o.result().equals(List.of(1))).count(),
                "one racing delivery takes it: " + racing);
        assertEquals(2, subJobs.get("j", 1).orElseThrow().attempts());
        assertEquals(List.of(), subJobs.startAll("j", 1, List.of(1), T0.plusSeconds(9), laterHold, RUN_SUBJOB),
                "and holds it");
        subJobs.holds().release("j", 1, List.of(1), HELD_UNTIL, T0.plusSeconds(9));
        assertEquals(List.of(), subJobs.startAll("j", 1, List.of(1), T0.plusSeconds(9), laterHold, RUN_SUBJOB),
                "an older invocation cannot let go of what a newer one holds");

        // The invocation that holds 1 dies without letting go: once it could no longer be running, another takes it.
        assertEquals(List.of(1), subJobs.startAll("j", 1, List.of(1), laterHold, laterHold.plusSeconds(900), RUN_SUBJOB));
        assertEquals(3, subJobs.get("j", 1).orElseThrow().attempts());
        assertEquals(new Progress(2, 1, 1, 0), progress());
    }

    @Test
    void aLargeOutput_cannotBeKeptWithItsSubjob() {
        String large = "\"" + "x".repeat(SubJobOutcome.MAX_KEPT_OUTPUT_BYTES) + "\"";
        assertFalse(SubJobOutcome.fitsWithSubJob(large));
        assertThrows(IllegalArgumentException.class,
                () -> SubJobOutcome.succeededWithOutput(0, large, Duration.ZERO));
        assertTrue(SubJobOutcome.fitsWithSubJob("\"" + "é".repeat(2000) + "\""));
        assertFalse(SubJobOutcome.fitsWithSubJob("\"" + "é".repeat(2100) + "\""), "bytes count, not characters");
    }

    private static SubJobOutcome succeeded(int index) {
        return SubJobOutcome.succeededWithOutput(index, "{\"n\":" + index + "}", Duration.ofMillis(15));
    }

    @Test
    void progressUpdates_bumpTheJobVersion_soAStaleStatusChangeLoses() {
        subJobs.registerAll("j", 1, pending(1));
        Job before = jobs.get("j").orElseThrow();
        subJobs.start("j", 0, 1, T0, RUN_SUBJOB);
        assertThrows(io.conveyor.persistence.ConcurrentUpdateException.class,
                () -> jobs.update(before.cancel(T0.plusSeconds(1))));
    }

    @Test
    void subjobsStillInFlight_whenTheJobIsCancelled_countForNothing() {
        subJobs.registerAll("j", 1, pending(2));
        subJobs.start("j", 0, 1, T0, RUN_SUBJOB);
        jobs.update(jobs.get("j").orElseThrow().cancel(T0.plusSeconds(1)));
        Progress atCancel = progress();
        assertEquals(List.of(), subJobs.recordAll("j", 1, List.of(succeeded(0)), 0, OptionalInt.empty(), T0.plusSeconds(2)));
        assertFalse(subJobs.start("j", 1, 1, T0.plusSeconds(2), RUN_SUBJOB), "no new invocation runs for a cancelled job");
        assertEquals(List.of(), subJobs.startAll("j", 1, List.of(1), T0.plusSeconds(2), HELD_UNTIL, RUN_SUBJOB), "nor a new batch");
        assertEquals(atCancel, progress());
    }

    @Test
    void list_refusesAnotherJobsToken() {
        subJobs.registerAll("j", 1, pending(3));
        String token = subJobs.list("j", 1, Optional.empty()).nextToken().orElseThrow();
        assertThrows(InvalidPageTokenException.class, () -> subJobs.list("other", 1, Optional.of(token)));
    }

    @Test
    void deleteAll_removesEveryItemOfTheJobAcrossPages_leavesOtherJobsAlone_andRepeatsHarmlessly() {
        subJobs.registerAll("j", 1, pending(SubJobStore.MAX_PAGE_SIZE + 30));
        Job other = jobs.create(SampleJobs.created("k", "alice", "primes", T0));
        jobs.update(jobs.update(other.submit(T0)).admit(T0));
        subJobs.registerAll("k", 1, List.of(SubJob.pending("k", 0, 1, "jobs/k/attempts/1/manifest.json")));

        int items = (SubJobStore.MAX_PAGE_SIZE + 30 + SubJobGroup.SIZE - 1) / SubJobGroup.SIZE;
        assertEquals(items, subJobs.deleteAll("j"), "one item per group of subjobs");

        assertTrue(subJobs.list("j", 10, Optional.empty()).items().isEmpty());
        assertEquals(0, subJobs.deleteAll("j"), "nothing is left to delete");
        assertEquals(1, subJobs.list("k", 10, Optional.empty()).items().size());
    }
}
