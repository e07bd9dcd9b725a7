package io.conveyor.program;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conveyor.testing.LocalAws;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Program statistics on the DynamoDB emulator. */
class ProgramStatisticsStoreTest {
    private static final Instant NOW = Instant.parse("2026-11-22T10:30:00Z");
    private ProgramStatisticsStore stats;

    @BeforeEach
    void freshTable() {
        LocalAws.Deployment deployment = LocalAws.get().newDeployment();
        stats = new ProgramStatisticsStore(deployment.dynamoDb(), deployment.settings().countersTable());
    }

    @Test
    void noSubjobs_noFigures() {
        ProgramStatistics none = stats.read("primes", NOW);
        assertEquals(0, none.subJobs());
        assertNull(none.p50());
        assertEquals(0.0, none.errorRate());
    }

    @Test
    void percentiles_areWithinAFactorOfRootTwo_andTheMaximumIsExact() {
        // Five batches, one per hour, each spreading over many histogram buckets in one update.
        for (int hour = 0; hour < 5; hour++) {
            List<ProgramStatisticsStore.Ended> batch = new ArrayList<>();
            for (int i = 1; i <= 100; i++) {
                if (i % 5 == hour) {
                    batch.add(new ProgramStatisticsStore.Ended(Duration.ofMillis(i * 10L), i % 10 == 0));
                }
            }
            stats.record("primes", batch, NOW.minus(Duration.ofHours(hour)));
        }
        stats.record("checksum", List.of(new ProgramStatisticsStore.Ended(Duration.ofSeconds(99), false)), NOW);
        ProgramStatistics s = stats.read("primes", NOW);
        assertEquals(100, s.subJobs());
        assertEquals(10, s.failed());
        assertEquals(0.1, s.errorRate(), 1e-9);
        assertEquals(Duration.ofMillis(1000), s.max());
        assertWithinRootTwo(500, s.p50().toMillis());
        assertWithinRootTwo(950, s.p95().toMillis());
    }

    @Test
    void subjobsOlderThanTheWindow_areNotCounted() {
        stats.record("primes", List.of(new ProgramStatisticsStore.Ended(Duration.ofMillis(5), false)), NOW.minus(Duration.ofHours(30)));
        stats.record("primes", List.of(new ProgramStatisticsStore.Ended(Duration.ofMillis(7), false)), NOW.minus(Duration.ofHours(2)));
        assertEquals(1, stats.read("primes", NOW).subJobs());
        assertEquals(Duration.ofMillis(7), stats.read("primes", NOW).max());
    }

    private static void assertWithinRootTwo(long expected, long actual) {
        assertTrue(actual >= expected / Math.sqrt(2) && actual <= expected * Math.sqrt(2),
                "expected about " + expected + " ms, got " + actual);
    }
}
