package io.conveyor.local.runtime.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conveyor.asl.task.LambdaInvoker.LambdaServiceException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Lambda's concurrency rules: reserved concurrency per function, the account's limit for the rest. */
class ConcurrencyLimitsTest {

    @Test
    void aReservedFunction_runsUpToItsReservation_andIsThrottledBeyondIt_untilOneEnds() {
        ConcurrencyLimits limits = new ConcurrencyLimits(10);
        limits.reserve("RunSubJob", 2);
        Runnable first = limits.admit("RunSubJob");
        limits.admit("RunSubJob");

        LambdaServiceException throttled = assertThrows(LambdaServiceException.class, () -> limits.admit("RunSubJob"));
        assertEquals("TooManyRequestsException", throttled.errorCode());
        assertTrue(throttled.getMessage().startsWith("Rate Exceeded."), throttled.getMessage());
        assertTrue(throttled.getMessage().contains(ConcurrencyLimits.RESERVED_LIMIT), throttled.getMessage());
        assertEquals(2, limits.running("RunSubJob"));

        first.run();
        first.run();
        assertEquals(1, limits.running("RunSubJob"), "ending an invocation twice frees one execution");
        limits.admit("RunSubJob");
        assertThrows(LambdaServiceException.class, () -> limits.admit("RunSubJob"));
    }

    @Test
    void unreservedFunctions_shareWhatTheReservationsLeave_andNeverTouchAReservation() {
        ConcurrencyLimits limits = new ConcurrencyLimits(5);
        limits.reserve("Api", 2);
        List<Runnable> running = new ArrayList<>();
        running.add(limits.admit("Split"));
        running.add(limits.admit("RunSubJob"));
        running.add(limits.admit("RunSubJob"));
        LambdaServiceException throttled = assertThrows(LambdaServiceException.class, () -> limits.admit("Finalize"));
        assertTrue(throttled.getMessage().contains(ConcurrencyLimits.ACCOUNT_LIMIT), throttled.getMessage());

        limits.admit("Api");
        limits.admit("Api");
        assertEquals(2, limits.running("Api"), "the API's reserve is there while the pool is used up");

        running.get(0).run();
        limits.admit("Finalize");
        assertEquals(ConcurrencyLimits.ACCOUNT_LIMIT, limits.reasonFor("Finalize"));
        assertEquals(ConcurrencyLimits.RESERVED_LIMIT, limits.reasonFor("Api"));
    }

    @Test
    void reservationsOverTheAccountsLimit_areRefused_andAReservationCanBeReplaced() {
        ConcurrencyLimits limits = new ConcurrencyLimits(100);
        limits.reserve("Api", 60);
        IllegalArgumentException over = assertThrows(IllegalArgumentException.class, () -> limits.reserve("RunSubJob", 41));
        assertTrue(over.getMessage().contains("over its limit of 100"), over.getMessage());
        limits.reserve("Api", 50);
        limits.reserve("RunSubJob", 50);
        limits.reserve("Api", 0);
        for (int i = 0; i < 50; i++) {
            limits.admit("Api");
        }
        assertThrows(LambdaServiceException.class, () -> limits.admit("Api"),
                "without its reservation the API shares the 50 the other reservation leaves");
        assertThrows(IllegalArgumentException.class, () -> new ConcurrencyLimits(0));
    }
}
