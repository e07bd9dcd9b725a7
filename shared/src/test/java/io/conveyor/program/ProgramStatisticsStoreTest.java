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
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** Program statistics on the DynamoDB emulator. */
class ProgramStatisticsStoreTest {
    private static final Instant NOW = Instant.parse("2026-11-22T10:30:00Z");
    private ProgramStatisticsStore stats;
    private DynamoDbClient dynamoDb;
    private String table;

    @BeforeEach
    void freshTable() {
        LocalAws.Deployment deployment = LocalAws.get().newDeployment();
        dynamoDb = deployment.dynamoDb();
        table = deployment.settings().countersTable();
        stats = new ProgramStatisticsStore(dynamoDb, table);
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

    @Test
    void hourly_givesEveryHourOfTheRange_withItsOwnPercentilesAndErrorRate() {
        stats.record("primes", List.of(new ProgramStatisticsStore.Ended(Duration.ofMillis(100), false),
                new ProgramStatisticsStore.Ended(Duration.ofMillis(100), true)), NOW.minus(Duration.ofHours(2)));
        stats.record("primes", List.of(new ProgramStatisticsStore.Ended(Duration.ofSeconds(60), false)), NOW);
        stats.record("checksum", List.of(new ProgramStatisticsStore.Ended(Duration.ofSeconds(5), true)), NOW.minus(Duration.ofHours(1)));

        List<ProgramStatisticsStore.Hour> hours = stats.hourly("primes", NOW.minus(Duration.ofHours(3)), NOW);

        assertEquals(List.of(Instant.parse("2026-11-22T07:00:00Z"), Instant.parse("2026-11-22T08:00:00Z"),
                Instant.parse("2026-11-22T09:00:00Z"), Instant.parse("2026-11-22T10:00:00Z")),
                hours.stream().map(ProgramStatisticsStore.Hour::start).toList());
        assertEquals(List.of(0L, 2L, 0L, 1L), hours.stream().map(h -> h.statistics().subJobs()).toList());
        assertNull(hours.get(0).statistics().p50(), "an hour when nothing ended has no percentiles");
        assertEquals(0.5, hours.get(1).statistics().errorRate(), 1e-9);
        assertWithinRootTwo(100, hours.get(1).statistics().p95().toMillis());
        assertEquals(0.0, hours.get(3).statistics().errorRate());
        assertEquals(Duration.ofSeconds(60), hours.get(3).statistics().max());
        assertEquals(Duration.ofHours(1), hours.get(3).statistics().window());
    }

    @Test
    void hourly_readsTheWholeHistory_pastOneBatchOfKeys() {
        Instant oldest = NOW.minus(ProgramStatisticsStore.HISTORY);
        stats.record("primes", List.of(new ProgramStatisticsStore.Ended(Duration.ofMillis(3), false)), oldest);
        stats.record("primes", List.of(new ProgramStatisticsStore.Ended(Duration.ofMillis(4), false)), NOW);

        List<ProgramStatisticsStore.Hour> hours = stats.hourly("primes", oldest, NOW);

        assertEquals(7 * 24 + 1, hours.size());
        assertEquals(1, hours.get(0).statistics().subJobs());
        assertEquals(1, hours.get(hours.size() - 1).statistics().subJobs());
        assertEquals(2, hours.stream().mapToLong(h -> h.statistics().subJobs()).sum());
    }

    @Test
    void hourlyItems_expireADayAfterTheHistory() {
        stats.record("primes", List.of(new ProgramStatisticsStore.Ended(Duration.ofMillis(3), false)), NOW);
        var item = dynamoDb.getItem(b -> b.tableName(table).key(HourlyItems.key("stats", "primes", NOW))).item();
        assertEquals(NOW.plus(ProgramStatisticsStore.HISTORY).plusSeconds(86_400).getEpochSecond(),
                Long.parseLong(item.get("expiresAt").n()));
    }

    private static void assertWithinRootTwo(long expected, long actual) {
        assertTrue(actual >= expected / Math.sqrt(2) && actual <= expected * Math.sqrt(2),
                "expected about " + expected + " ms, got " + actual);
    }
}
