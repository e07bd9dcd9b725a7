package io.conveyor.snapstart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Priming runs only where Lambda takes a SnapStart snapshot, and never fails it. */
class SnapStartPrimingTest {

    @Test
    void register_withoutSnapStart_registersNothing() {
        AtomicInteger runs = new AtomicInteger();

        assertFalse(SnapStartPriming.register(Map.of(), "Handler", runs::incrementAndGet));
        assertFalse(SnapStartPriming.register(Map.of(SnapStartPriming.INITIALIZATION_TYPE, "on-demand"), "Handler",
                runs::incrementAndGet));
        assertEquals(0, runs.get());
    }

    @Test
    void register_inASnapStartEnvironment_registersWithoutRunningThePrimingYet() {
        AtomicInteger runs = new AtomicInteger();

        assertTrue(SnapStartPriming.register(Map.of(SnapStartPriming.INITIALIZATION_TYPE, SnapStartPriming.SNAPSTART),
                "Handler", runs::incrementAndGet));
        assertEquals(0, runs.get());
    }

    @Test
    void beforeTheSnapshot_aFailingPrimingIsLoggedNotThrown() {
        assertFalse(new SnapStartPriming("Handler", () -> {
            throw new IllegalStateException("the table is not reachable");
        }).prime());
    }

    @Test
    void beforeTheSnapshot_thePrimingRuns() {
        AtomicInteger runs = new AtomicInteger();

        assertTrue(new SnapStartPriming("Handler", runs::incrementAndGet).prime());
        assertEquals(1, runs.get());
    }

    @Test
    void objectStorePriming_buildsTheS3ClientAndPresigner_andReadsNothingThatExists() {
        io.conveyor.testing.LocalAws.Deployment deployment = io.conveyor.testing.LocalAws.get().newDeployment();
        AtomicInteger built = new AtomicInteger();
        io.conveyor.storage.ObjectStore objects = io.conveyor.storage.ObjectStore.builtOnFirstUse(() -> {
            built.incrementAndGet();
            return deployment.s3();
        }, () -> {
            built.incrementAndGet();
            return deployment.presigner();
        }, deployment.settings().bucket(), java.time.Clock.systemUTC());

        assertTrue(new SnapStartPriming("Handler", () -> SnapStartPriming.primeObjectStore(objects)).prime());
        assertEquals(2, built.get(), "the client and the presigner");
    }
}
