package io.conveyor.program;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conveyor.testing.LocalAws;
import java.math.BigDecimal;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The programs' cost statistics on the DynamoDB emulator. */
class ProgramCostStoreTest {
    private static final Instant NOW = Instant.parse("2026-12-06T12:30:00Z");
    private static final BigDecimal SQRT_2 = new BigDecimal("1.41421357");

    private static void assertWithinABucket(String expected, BigDecimal actual) {
        BigDecimal value = new BigDecimal(expected);
        assertTrue(actual.compareTo(value) >= 0 && actual.compareTo(value.multiply(SQRT_2)) <= 0,
                actual + " is not within a factor of the square root of 2 above " + expected);
    }

    @Test
    void jobsThatEnded_givePercentilesPerJobAndPerSubjob_overTheLastDay() {
        LocalAws.Deployment aws = LocalAws.get().newDeployment();
        ProgramCostStore costs = new ProgramCostStore(aws.dynamoDb(), aws.settings().countersTable());
        costs.record("primes", new BigDecimal("0.001"), 10, NOW.minusSeconds(7200));
        costs.record("primes", new BigDecimal("0.002"), 100, NOW.minusSeconds(60));
        costs.record("primes", new BigDecimal("0.02"), 1000, NOW);
        costs.record("primes", new BigDecimal("0.5"), 1, NOW.minus(ProgramCostStore.WINDOW).minusSeconds(3600));
        costs.record("checksum", new BigDecimal("0.9"), 0, NOW);

        ProgramCostStore.CostStatistics primes = costs.read("primes", NOW);
        assertEquals(3, primes.jobs(), "the job of two days ago is out of the window");
        assertWithinABucket("0.002", primes.perJobP50());
        assertWithinABucket("0.02", primes.perJobP95());
        // Per subjob: 0.0001, 0.00002 and 0.00002.
        assertWithinABucket("0.00002", primes.perSubJobP50());
        assertWithinABucket("0.0001", primes.perSubJobP95());

        ProgramCostStore.CostStatistics checksum = costs.read("checksum", NOW);
        assertEquals(1, checksum.jobs());
        assertNull(checksum.perSubJobP50(), "a job without subjobs has no cost per subjob");
        ProgramCostStore.CostStatistics none = costs.read("word-frequency", NOW);
        assertEquals(0, none.jobs());
        assertNull(none.perJobP50());
    }

    @Test
    void costs_countInWholeNanoDollars_roundedUp() {
        assertEquals(1, ProgramCostStore.nanoDollars(new BigDecimal("0.0000000001")));
        assertEquals(1_234_568, ProgramCostStore.nanoDollars(new BigDecimal("0.00123456789")));
        assertEquals(0, ProgramCostStore.nanoDollars(BigDecimal.ZERO));
    }
}
