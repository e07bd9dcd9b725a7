package io.conveyor.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conveyor.admission.Admissions;
import io.conveyor.admission.DependencyGate;
import io.conveyor.admission.Waiter;
import io.conveyor.admission.WaitlistStore;
import io.conveyor.job.Job;
import io.conveyor.job.JobStatus;
import io.conveyor.persistence.StoredJson;
import io.conveyor.testing.Concurrently;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Quota admission and the dependency gate, on the DynamoDB emulator. */
class AdmissionAndDependenciesTest {

    @Test
    void overTheUserLimit_jobsWait_andAreAdmittedInSubmissionOrderAsSlotsFree() {
        WorkflowHarness h = new WorkflowHarness(Map.of("CONVEYOR_MAX_ACTIVE_JOBS_PER_USER", "1"));
        Job a1 = h.queued("alice", "primes", Map.of(), List.of());
        Job a2 = h.queued("alice", "primes", Map.of(), List.of());
        Job a3 = h.queued("alice", "primes", Map.of(), List.of());
        String t1 = h.admit(a1);
        String t2 = h.admit(a2);
        String t3 = h.admit(a3);
        assertTrue(h.resumed(t1));
        assertFalse(h.resumed(t2));
        assertFalse(h.resumed(t3));
        assertEquals(JobStatus.QUEUED, h.stored(a2.id()).status());

        h.workflow().handleFailure(a1.id(), "io.conveyor.programs.InvalidParametersException", "bad");
        assertTrue(h.resumed(t2), "the oldest waiting job of the user goes first");
        assertFalse(h.resumed(t3));
    }

    /** Lambda may deliver the Admit step again after it ran, and the local engine does after a restart. */
    @Test
    void anAdmitDeliveredAgainAfterItAdmittedTheJob_resumesTheNewToken_withoutTakingASecondSlot() {
        WorkflowHarness h = new WorkflowHarness(Map.of("CONVEYOR_MAX_ACTIVE_JOBS_PER_USER", "1"));
        Job a1 = h.queued("alice", "primes", Map.of(), List.of());
        Job a2 = h.queued("alice", "primes", Map.of(), List.of());
        assertTrue(h.resumed(h.admit(a1)));

        AdmitHandler admit = new AdmitHandler(h.components);
        String again = "token-of-the-second-delivery";
        admit.handle(StoredJson.MAPPER.createObjectNode().put("jobId", a1.id()).put("taskToken", again));
        assertTrue(h.resumed(again), "the workflow goes on");
        assertEquals("{\"attempt\":1}", h.callbacks.outcomes.get(again).output());
        assertEquals(JobStatus.RUNNING, h.stored(a1.id()).status());

        String t2 = h.admit(a2);
        assertFalse(h.resumed(t2), "a1 still holds alice's one slot, once");
    }

    @Test
    void jobsWhoseAdmitStepsRunOutOfOrder_stillWaitInSubmissionOrder() {
        WorkflowHarness h = new WorkflowHarness(Map.of("CONVEYOR_MAX_ACTIVE_JOBS_PER_USER", "1"));
        Job a1 = h.queued("alice", "primes", Map.of(), List.of());
        Job a2 = h.queued("alice", "primes", Map.of(), List.of());
        Job a3 = h.queued("alice", "primes", Map.of(), List.of());
        String t1 = h.admit(a1);
        h.clock.advance(Duration.ofSeconds(1));
        String t3 = h.admit(a3);
        h.clock.advance(Duration.ofSeconds(1));
        String t2 = h.admit(a2);
        assertTrue(h.resumed(t1));

        h.workflow().handleFailure(a1.id(), "io.conveyor.programs.InvalidParametersException", "bad");
        assertTrue(h.resumed(t2), "a2 was submitted before a3, though its workflow reached the line after a3's");
        assertFalse(h.resumed(t3));
    }

    @Test
    void freeSlots_goRoundRobinBetweenUsers_notToWhoeverSubmittedMost() {
        WorkflowHarness h = new WorkflowHarness(Map.of("CONVEYOR_MAX_ACTIVE_JOBS_PER_PROGRAM", "1"));
        Job first = h.queued("alice", "primes", Map.of(), List.of());
        h.admit(first);
        Job a2 = h.queued("alice", "primes", Map.of(), List.of());
        Job a3 = h.queued("alice", "primes", Map.of(), List.of());
        Job b1 = h.queued("bob", "primes", Map.of(), List.of());
        Job c1 = h.queued("carol", "primes", Map.of(), List.of());
        String ta2 = h.admit(a2);
        String ta3 = h.admit(a3);
        String tb1 = h.admit(b1);
        String tc1 = h.admit(c1);

        h.workflow().handleFailure(first.id(), "io.conveyor.programs.InvalidParametersException", "x");
        assertTrue(h.resumed(tb1), "after alice, bob's turn, though alice's jobs came first");
        h.workflow().handleFailure(b1.id(), "io.conveyor.programs.InvalidParametersException", "x");
        assertTrue(h.resumed(tc1), "then carol's");
        h.workflow().handleFailure(c1.id(), "io.conveyor.programs.InvalidParametersException", "x");
        assertTrue(h.resumed(ta2), "then alice again, her oldest first");
        assertFalse(h.resumed(ta3));
    }

    @Test
    void fairOrder_startsAfterTheLastAdmittedUser_andTakesEachUsersOldestJob() {
        Instant t = Instant.parse("2026-11-22T10:00:00Z");
        List<Waiter> waiting = List.of(
                new Waiter("admission", "a1", "alice", "p", "t", t),
                new Waiter("admission", "c1", "carol", "p", "t", t.plusSeconds(1)),
                new Waiter("admission", "a2", "alice", "p", "t", t.plusSeconds(2)),
                new Waiter("admission", "b1", "bob", "p", "t", t.plusSeconds(3)));
        assertEquals(List.of("a1", "b1", "c1"), ids(Admissions.headsInFairOrder(waiting, Optional.empty())));
        assertEquals(List.of("c1", "a1", "b1"), ids(Admissions.headsInFairOrder(waiting, Optional.of("bob"))));
        assertEquals(List.of("a1", "b1", "c1"), ids(Admissions.headsInFairOrder(waiting, Optional.of("carol"))));
    }

    @Test
    void concurrentAdmissionPasses_admitEachWaiterOnce_andNeverExceedTheLimit() throws Exception {
        WorkflowHarness h = new WorkflowHarness(Map.of("CONVEYOR_MAX_ACTIVE_JOBS_PER_USER", "3"));
        for (int i = 0; i < 6; i++) {
            h.components.admissions().enqueue(h.queued("alice", "primes", Map.of(), List.of()), "token-" + i);
        }
        h.callbacks.outcomes.clear();
        Concurrently.run(4, () -> h.components.admissions().admitWaiting());
        assertEquals(3, h.counters.activeForUser("alice"));
        assertTrue(h.callbacks.ignored.isEmpty(), "no waiter was resumed twice");
    }

    @Test
    void cancelledWhileWaiting_isNeverAdmitted() {
        WorkflowHarness h = new WorkflowHarness(Map.of("CONVEYOR_MAX_ACTIVE_JOBS_PER_USER", "1"));
        Job a1 = h.queued("alice", "primes", Map.of(), List.of());
        Job a2 = h.queued("alice", "primes", Map.of(), List.of());
        h.admit(a1);
        String t2 = h.admit(a2);
        Job cancelled = h.jobs.update(h.stored(a2.id()).cancel(h.clock.instant()));
        h.components.endings().ended(cancelled, JobStatus.QUEUED);
        h.workflow().handleFailure(a1.id(), "io.conveyor.programs.InvalidParametersException", "x");
        assertFalse(h.resumed(t2));
        assertEquals(0, h.counters.activeForUser("alice"));
        assertEquals(List.of(), h.deployment.waitlist().list(WaitlistStore.ADMISSION));
    }

    @Test
    void dependencyChain_eachJobStartsWhenItsDependencySucceeded() throws Exception {
        WorkflowHarness h = new WorkflowHarness();
        Job a = h.queued("alice", "primes", Map.of("to", "100", "subJobs", "1"), List.of());
        Job b = h.queued("alice", "primes", Map.of("to", "100", "subJobs", "1"), List.of(a.id()));
        Job c = h.queued("alice", "primes", Map.of("to", "100", "subJobs", "1"), List.of(a.id(), b.id()));
        String tb = h.token();
        String tc = h.token();
        h.components.dependencies().await(b, tb);
        h.components.dependencies().await(c, tc);
        assertFalse(h.resumed(tb));

        h.admit(a);
        h.runToSuccess(a);
        assertTrue(h.resumed(tb), "b starts once a succeeded");
        assertFalse(h.resumed(tc), "c still waits for b");
        h.admit(b);
        h.runToSuccess(b);
        assertTrue(h.resumed(tc));
    }

    @Test
    void failedDependency_failsItsDependentsAtOnce_namingIt() {
        WorkflowHarness h = new WorkflowHarness();
        Job a = h.queued("alice", "primes", Map.of(), List.of());
        Job b = h.queued("alice", "primes", Map.of(), List.of(a.id()));
        String tb = h.token();
        h.components.dependencies().await(b, tb);
        h.admit(a);
        h.workflow().handleFailure(a.id(), "io.conveyor.programs.InvalidParametersException", "x");

        RecordingCallbacks.Outcome outcome = h.callbacks.outcomes.get(tb);
        assertFalse(outcome.succeeded());
        assertEquals(DependencyGate.DEPENDENCY_FAILED, outcome.error());
        assertEquals("Job " + b.id() + " depends on job " + a.id() + ", which failed.", outcome.cause());

        String late = h.token();
        Job c = h.queued("alice", "primes", Map.of(), List.of(a.id()));
        h.components.dependencies().await(c, late);
        assertFalse(h.callbacks.outcomes.get(late).succeeded(), "a dependency that already failed fails the dependent at once");
    }

    private static List<String> ids(List<Waiter> waiters) {
        return waiters.stream().map(Waiter::jobId).toList();
    }
}
