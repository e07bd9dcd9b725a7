package io.conveyor.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conveyor.testing.Concurrently;
import io.conveyor.testing.LocalAws;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The waitlist on the DynamoDB emulator. */
class WaitlistStoreTest {
    private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
    private WaitlistStore waitlist;

    @BeforeEach
    void freshTable() {
        waitlist = LocalAws.get().newDeployment().waitlist();
    }

    private static Waiter waiter(String lane, String jobId, String owner, int second) {
        return new Waiter(lane, jobId, owner, "primes", "token-" + jobId, T0.plusSeconds(second));
    }

    @Test
    void lanes_listTheirWaitersInArrivalOrder() {
        waitlist.add(waiter(WaitlistStore.ADMISSION, "j3", "bob", 3));
        waitlist.add(waiter(WaitlistStore.ADMISSION, "j1", "alice", 1));
        waitlist.add(waiter(WaitlistStore.after("j0"), "j2", "alice", 2));
        assertEquals(List.of("j1", "j3"), waitlist.list(WaitlistStore.ADMISSION).stream().map(Waiter::jobId).toList());
        assertEquals(List.of("j2"), waitlist.list(WaitlistStore.after("j0")).stream().map(Waiter::jobId).toList());
    }

    @Test
    void remove_succeedsOnce() {
        Waiter w = waiter(WaitlistStore.ADMISSION, "j1", "alice", 1);
        waitlist.add(w);
        assertTrue(waitlist.remove(w));
        assertFalse(waitlist.remove(w));
        assertEquals(List.of(), waitlist.list(WaitlistStore.ADMISSION));
    }

    @Test
    void concurrentRemoves_exactlyOneWakesTheWaiter() throws Exception {
        Waiter w = waiter(WaitlistStore.ADMISSION, "j1", "alice", 1);
        waitlist.add(w);
        long winners = Concurrently.run(8, () -> waitlist.remove(w)).stream().filter(o -> Boolean.TRUE.equals(o.result())).count();
        assertEquals(1, winners);
    }

    @Test
    void removeJob_takesOnlyThatJobOutOfTheLane() {
        waitlist.add(waiter(WaitlistStore.ADMISSION, "j1", "alice", 1));
        waitlist.add(waiter(WaitlistStore.ADMISSION, "j2", "alice", 2));
        waitlist.removeJob(WaitlistStore.ADMISSION, "j1");
        assertEquals(List.of("j2"), waitlist.list(WaitlistStore.ADMISSION).stream().map(Waiter::jobId).toList());
    }
}
