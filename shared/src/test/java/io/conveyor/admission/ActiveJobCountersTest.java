package io.conveyor.admission;

import static io.conveyor.admission.ActiveJobCounters.Acquisition.ACQUIRED;
import static io.conveyor.admission.ActiveJobCounters.Acquisition.ALREADY_HELD;
import static io.conveyor.admission.ActiveJobCounters.Acquisition.PROGRAM_LIMIT_REACHED;
import static io.conveyor.admission.ActiveJobCounters.Acquisition.USER_LIMIT_REACHED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conveyor.testing.Concurrently;
import io.conveyor.testing.LocalAws;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Quota slots on the DynamoDB emulator. */
class ActiveJobCountersTest {
    private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
    private ActiveJobCounters counters;

    @BeforeEach
    void freshTable() {
        counters = LocalAws.get().newDeployment().counters();
    }

    @Test
    void acquire_upToTheUserLimit_thenRefuses() {
        assertEquals(ACQUIRED, counters.acquire("j1", "alice", "primes", 2, 10, T0));
        assertEquals(ACQUIRED, counters.acquire("j2", "alice", "primes", 2, 10, T0));
        assertEquals(USER_LIMIT_REACHED, counters.acquire("j3", "alice", "primes", 2, 10, T0));
        assertEquals(ACQUIRED, counters.acquire("j4", "bob", "primes", 2, 10, T0), "limits are per user");
        assertEquals(2, counters.activeForUser("alice"));
        assertEquals(3, counters.activeForProgram("primes"));
        assertFalse(counters.holds("j3"));
    }

    @Test
    void acquire_upToTheProgramLimit_acrossUsers() {
        assertEquals(ACQUIRED, counters.acquire("j1", "alice", "primes", 5, 2, T0));
        assertEquals(ACQUIRED, counters.acquire("j2", "bob", "primes", 5, 2, T0));
        assertEquals(PROGRAM_LIMIT_REACHED, counters.acquire("j3", "carol", "primes", 5, 2, T0));
        assertEquals(0, counters.activeForUser("carol"), "a refused acquire counts nothing");
        assertEquals(ACQUIRED, counters.acquire("j4", "carol", "checksum", 5, 2, T0));
    }

    @Test
    void acquireAndRelease_areIdempotent() {
        assertEquals(ACQUIRED, counters.acquire("j1", "alice", "primes", 5, 5, T0));
        assertEquals(ALREADY_HELD, counters.acquire("j1", "alice", "primes", 5, 5, T0));
        assertEquals(1, counters.activeForUser("alice"));
        assertTrue(counters.release("j1", "alice", "primes"));
        assertFalse(counters.release("j1", "alice", "primes"));
        assertEquals(0, counters.activeForUser("alice"));
        assertEquals(0, counters.activeForProgram("primes"));
        assertFalse(counters.release("never-admitted", "alice", "primes"));
    }

    @Test
    void release_freesASlotForTheNextJob() {
        counters.acquire("j1", "alice", "primes", 1, 5, T0);
        assertEquals(USER_LIMIT_REACHED, counters.acquire("j2", "alice", "primes", 1, 5, T0));
        counters.release("j1", "alice", "primes");
        assertEquals(ACQUIRED, counters.acquire("j2", "alice", "primes", 1, 5, T0));
    }

    @Test
    void concurrentAcquires_neverExceedTheLimit() throws Exception {
        AtomicInteger next = new AtomicInteger();
        List<Concurrently.Outcome<ActiveJobCounters.Acquisition>> outcomes = Concurrently.run(10,
                () -> acquireRetryingConflicts("j" + next.incrementAndGet()));
        long acquired = outcomes.stream().filter(o -> o.result() == ACQUIRED).count();
        assertEquals(3, acquired, outcomes.toString());
        assertEquals(3, counters.activeForUser("alice"));
    }

    /** DynamoDB cancels transactions that race on one item (TransactionConflict): callers try again. */
    private ActiveJobCounters.Acquisition acquireRetryingConflicts(String jobId) {
        for (int attempt = 0; ; attempt++) {
            try {
                return counters.acquire(jobId, "alice", "primes", 3, 100, T0);
            } catch (software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException e) {
                if (attempt > 50) {
                    throw e;
                }
            }
        }
    }
}
