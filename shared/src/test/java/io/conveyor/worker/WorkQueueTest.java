package io.conveyor.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conveyor.testing.LocalAws;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The work queue on the DynamoDB emulator: offers, exclusive claims, re-offers, declines, and worker deadlines. */
class WorkQueueTest {
    private static final Instant NOW = Instant.parse("2026-12-06T10:00:00Z");
    private static final Duration KEEP = Duration.ofMinutes(10);
    /** When the workers below come: after every offer, before any claim's lease runs out. */
    private static final Instant LATER = NOW.plusSeconds(2);
    private WorkQueue queue;

    @BeforeEach
    void freshTable() {
        LocalAws.Deployment deployment = LocalAws.get().newDeployment();
        queue = new WorkQueue(deployment.dynamoDb(), deployment.settings().workQueueTable());
    }

    private static WorkQueue.Offer offer(String owner, int index) {
        return new WorkQueue.Offer("job-1", 1, index, "render", owner, "{\"frame\":" + index + "}");
    }

    @Test
    void readyOffers_areListedOldestFirst_perProgramAndOwner() {
        queue.offer(offer("alice", 1), "token-1", NOW.plusSeconds(1), KEEP);
        queue.offer(offer("alice", 0), "token-0", NOW, KEEP);
        queue.offer(offer("bob", 2), "token-2", NOW, KEEP);
        List<WorkQueue.Held> alices = queue.ready("render", "alice", LATER, 10);
        assertEquals(List.of(0, 1), alices.stream().map(h -> h.offer().index()).toList());
        assertEquals("{\"frame\":0}", alices.get(0).offer().input());
        assertEquals(List.of(), queue.ready("other", "alice", LATER, 10));
    }

    @Test
    void ofTwoWorkersClaimingOneOffer_exactlyOneGetsIt_evenAtOnce() throws Exception {
        queue.offer(offer("alice", 0), "token-0", NOW, KEEP);
        WorkQueue.Held ready = queue.ready("render", "alice", LATER, 1).get(0);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Optional<WorkQueue.Held>>> claims = new java.util.ArrayList<>();
            for (int w = 0; w < 8; w++) {
                String worker = "w" + w;
                claims.add(() -> queue.claim(ready, worker, "alice", "claim-" + worker, LATER));
            }
            long won = 0;
            for (Future<Optional<WorkQueue.Held>> f : pool.invokeAll(claims)) {
                won += f.get().isPresent() ? 1 : 0;
            }
            assertEquals(1, won);
        } finally {
            pool.shutdownNow();
        }
        assertEquals(List.of(), queue.ready("render", "alice", LATER, 10), "a claimed offer is not claimable while leased");
    }

    @Test
    void offeringAgain_replacesTheClaim_soTheFormerHoldersClaimNoLongerMatches() {
        queue.offer(offer("alice", 0), "token-0", NOW, KEEP);
        WorkQueue.Held claimed = queue.claim(queue.ready("render", "alice", LATER, 1).get(0), "dead", "alice", "claim-1", LATER).orElseThrow();
        assertEquals("claim-1", claimed.claimId());
        assertTrue(queue.handOver("job-1", 1, 0, "claim-1", "run-token-1"));

        queue.offer(offer("alice", 0), "token-0b", NOW.plusSeconds(1), KEEP);
        WorkQueue.Held reoffered = queue.offer("job-1", 1, 0).orElseThrow();
        assertEquals(null, reoffered.claimId());
        assertEquals(null, reoffered.runToken());
        assertFalse(queue.handOver("job-1", 1, 0, "claim-1", "late"), "the former claim is gone");
        assertFalse(queue.release("job-1", 1, 0, "claim-1", Optional.empty(), NOW));

        WorkQueue.Held second = queue.claim(queue.ready("render", "alice", LATER, 1).get(0), "alive", "alice", "claim-2", LATER).orElseThrow();
        assertEquals("alive", second.workerId());
    }

    @Test
    void aClaimThatCouldNotBePassedOn_putsTheOfferBackInTheIndex() {
        queue.offer(offer("alice", 0), "token-0", NOW, KEEP);
        WorkQueue.Held ready = queue.ready("render", "alice", LATER, 1).get(0);
        WorkQueue.Held claimed = queue.claim(ready, "w1", "alice", "claim-1", LATER).orElseThrow();
        queue.unclaim(claimed, "claim-1");
        WorkQueue.Held again = queue.ready("render", "alice", LATER, 1).get(0);
        assertEquals(null, again.claimId());
        assertTrue(queue.claim(again, "w2", "alice", "claim-2", LATER).isPresent());
    }

    @Test
    void theSameOfferDeliveredAgain_leavesItsClaimAlone() {
        queue.offer(offer("alice", 0), "token-0", NOW, KEEP);
        queue.claim(queue.ready("render", "alice", LATER, 1).get(0), "w1", "alice", "claim-1", LATER).orElseThrow();
        queue.offer(offer("alice", 0), "token-0", NOW.plusSeconds(1), KEEP);
        assertEquals("claim-1", queue.offer("job-1", 1, 0).orElseThrow().claimId());
        assertEquals(List.of(), queue.ready("render", "alice", LATER, 10));
    }

    @Test
    void aDeclinedSubjob_offeredAgain_goesToAnotherWorkerOnly() {
        queue.offer(offer("alice", 0), "token-0", NOW, KEEP);
        queue.claim(queue.ready("render", "alice", LATER, 1).get(0), "picky", "alice", "claim-1", LATER).orElseThrow();
        assertTrue(queue.release("job-1", 1, 0, "claim-1", Optional.of("picky"), NOW));
        queue.offer(offer("alice", 0), "token-0b", NOW.plusSeconds(1), KEEP);
        WorkQueue.Held ready = queue.ready("render", "alice", LATER, 1).get(0);
        assertEquals(List.of("picky"), ready.declinedBy());
        assertTrue(queue.claim(ready, "picky", "alice", "claim-2", LATER).isEmpty());
        assertTrue(queue.claim(ready, "other", "alice", "claim-3", LATER).isPresent());
    }

    @Test
    void aClaimTheWorkflowNeverTook_isClaimableAgainOnceItsLeaseRunsOut_andOnlyThen() {
        queue.offer(offer("alice", 0), "token-0", NOW, KEEP);
        queue.claim(queue.ready("render", "alice", NOW, 1).get(0), "lost", "alice", "claim-1", NOW).orElseThrow();
        Instant leaseOver = NOW.plus(WorkQueue.CLAIM_LEASE);
        assertEquals(List.of(), queue.ready("render", "alice", leaseOver.minusMillis(1), 10), "still leased");

        WorkQueue.Held expired = queue.ready("render", "alice", leaseOver.plusMillis(1), 10).get(0);
        assertEquals("claim-1", expired.claimId());
        WorkQueue.Held retaken = queue.claim(expired, "w2", "alice", "claim-2", leaseOver.plusMillis(1)).orElseThrow();
        assertEquals("w2", retaken.workerId());
        assertTrue(queue.claim(expired, "w3", "alice", "claim-3", leaseOver.plusMillis(2)).isEmpty(), "claimed by w2 already");
        assertFalse(queue.handOver("job-1", 1, 0, "claim-1", "run-late"), "the expired claim no longer stands");
        assertTrue(queue.handOver("job-1", 1, 0, "claim-2", "run-2"));
        assertEquals(List.of(), queue.ready("render", "alice", leaseOver.plus(WorkQueue.CLAIM_LEASE).plusSeconds(1), 10),
                "a handed-over offer is never claimable again");
    }

    @Test
    void anExpiredClaimWhoseOfferTaskEnded_isRetired_andItsHandOverStillStands() {
        queue.offer(offer("alice", 0), "token-0", NOW, KEEP);
        queue.claim(queue.ready("render", "alice", NOW, 1).get(0), "slow", "alice", "claim-1", NOW).orElseThrow();
        Instant leaseOver = NOW.plus(WorkQueue.CLAIM_LEASE).plusSeconds(1);
        queue.retire(queue.ready("render", "alice", leaseOver, 1).get(0), leaseOver);
        assertEquals(List.of(), queue.ready("render", "alice", leaseOver, 10));
        assertTrue(queue.handOver("job-1", 1, 0, "claim-1", "run-1"));
        assertEquals("slow", queue.offer("job-1", 1, 0).orElseThrow().workerId());
    }

    @Test
    void workersOf_listsAnOwnersWorkers_withWhatEachHoldsNow_andNoOneElses() {
        queue.register(worker("w1", "alice"));
        queue.register(worker("w2", "alice"));
        queue.register(worker("w3", "mallory"));
        queue.offer(offer("alice", 0), "token-0", NOW, KEEP);
        queue.offer(offer("alice", 1), "token-1", NOW, KEEP);
        queue.offer(offer("alice", 2), "token-2", NOW, KEEP);
        List<WorkQueue.Held> ready = queue.ready("render", "alice", LATER, 3);
        queue.claim(ready.get(0), "w1", "alice", "claim-0", LATER).orElseThrow();
        queue.claim(ready.get(1), "w1", "alice", "claim-1", LATER).orElseThrow();
        queue.claim(ready.get(2), "w2", "alice", "claim-2", LATER).orElseThrow();
        assertTrue(queue.release("job-1", 1, 1, "claim-1", Optional.empty(), NOW), "w1 answered subjob 1");
        queue.offer(offer("alice", 2), "token-2b", NOW.plusSeconds(30), KEEP); // taken from w2 and offered again

        List<WorkQueue.Holding> alices = queue.workersOf("alice");
        assertEquals(List.of("w1", "w2"), alices.stream().map(h -> h.worker().id()).toList());
        assertEquals(List.of(0), alices.get(0).held().stream().map(WorkQueue.Offer::index).toList());
        assertEquals("job-1", alices.get(0).held().get(0).jobId());
        assertEquals(List.of(), alices.get(1).held());
        assertEquals(List.of("w3"), queue.workersOf("mallory").stream().map(h -> h.worker().id()).toList());
        assertTrue(queue.deregister("w2", "alice"));
        assertEquals(List.of("w1"), queue.workersOf("alice").stream().map(h -> h.worker().id()).toList());
    }

    private static WorkQueue.Worker worker(String id, String owner) {
        return new WorkQueue.Worker(id, owner, List.of("render"), List.of("gpu"), Duration.ofSeconds(30),
                NOW.plusSeconds(30), NOW, null, List.of(owner));
    }

    @Test
    void aWorkerStaysAliveWhileItCallsInBeforeItsDeadline_andIsDeadForGoodAfter() {
        queue.register(new WorkQueue.Worker("w1", "alice", List.of("render"), List.of("gpu"), Duration.ofSeconds(30),
                NOW.plusSeconds(30), NOW, "gpu-box-1", List.of("alice")));
        WorkQueue.Refresh alive = queue.refresh("w1", "alice", NOW.plusSeconds(20));
        assertEquals(NOW.plusSeconds(50), assertInstanceOf(WorkQueue.Refresh.Alive.class, alive).worker().deadline());
        assertEquals("gpu-box-1", queue.worker("w1").orElseThrow().name());
        assertInstanceOf(WorkQueue.Refresh.Unknown.class, queue.refresh("w1", "mallory", NOW.plusSeconds(21)),
                "another user's worker is not found");
        assertInstanceOf(WorkQueue.Refresh.Dead.class, queue.refresh("w1", "alice", NOW.plusSeconds(51)));
        assertInstanceOf(WorkQueue.Refresh.Dead.class, queue.refresh("w1", "alice", NOW.plusSeconds(52)),
                "a dead worker does not come back");
        assertFalse(queue.deregister("w1", "mallory"));
        assertTrue(queue.deregister("w1", "alice"));
        assertInstanceOf(WorkQueue.Refresh.Unknown.class, queue.refresh("w1", "alice", NOW));
    }
}
