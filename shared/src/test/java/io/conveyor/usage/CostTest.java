package io.conveyor.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class CostTest {
    private static final PriceTable PRICES = PriceTable.defaults();

    @Test
    void eachCategory_isItsUnitsTimesItsPrice() {
        // 10 transitions, 7 invocations of 1,024 MB for 1,000 ms in all (1 GB-s), 8 RRU, 16 WRU, 3 PUT-class and 2
        // GET-class requests, 1 GiB kept for a 730-hour month, 1 event.
        Usage usage = new Usage(10, 7, 1_024_000, 8, 16, 3, 2, 1L << 30, 1);
        Cost cost = Cost.of(usage, Duration.ofHours(730), PRICES);
        assertEquals(new BigDecimal("0.00025000"), cost.stepFunctions());
        assertEquals(new BigDecimal("0.00001473"), cost.lambda()); // 7 x 0.0000002 + 0.0000133334 = 0.0000147334
        assertEquals(new BigDecimal("0.00001100"), cost.dynamoDb()); // 8 x 0.000000125 + 16 x 0.000000625
        assertEquals(new BigDecimal("0.00001580"), cost.s3Requests()); // 3 x 0.000005 + 2 x 0.0000004
        assertEquals(new BigDecimal("0.02300000"), cost.s3Storage());
        assertEquals(new BigDecimal("0.00000100"), cost.eventBridge());
        assertEquals(PRICES.date(), cost.priceDate());
    }

    @Test
    void theTotal_isTheExactSumRoundedOnce() {
        // Half a read unit (0.0000000625) and 256 MB-ms (0.0000000033...): shown 0.00000006 and 0.00000000, while their
        // exact sum, 0.0000000658..., is shown 0.00000007.
        Usage usage = new Usage(0, 0, 256, 0.5, 0, 0, 0, 0, 0);
        Cost cost = Cost.of(usage, Duration.ZERO, PRICES);
        assertEquals(new BigDecimal("0.00000006"), cost.dynamoDb());
        assertEquals(new BigDecimal("0.00000000"), cost.lambda());
        assertEquals(new BigDecimal("0.00000007"), cost.total());
    }

    @Test
    void lambda_isPricedPerRequestAndPerGigabyteSecond() {
        // Three invocations of 128 MB for 1 ms each: 0.0000006 + 0.000375 GB-s x 0.0000133334 = 0.000000605000025.
        Usage usage = new Usage(0, 3, 3 * 128, 0, 0, 0, 0, 0, 0);
        assertEquals(0.000375, usage.lambdaGbSeconds(), 1e-15);
        assertEquals(new BigDecimal("0.00000061"), Cost.of(usage, Duration.ZERO, PRICES).lambda());
    }

    @Test
    void jobsTogether_costTheirExactSumRoundedOnce() {
        // Half a read unit each: 0.0000000625 each, shown 0.00000006; together 0.000000125, shown 0.00000013.
        Cost.Priced job = new Cost.Priced(Usage.dynamoDb(0.5, 0), Duration.ZERO);
        assertEquals(new BigDecimal("0.00000006"), Cost.sum(java.util.List.of(job), PRICES).total());
        assertEquals(new BigDecimal("0.00000013"), Cost.sum(java.util.List.of(job, job), PRICES).total());
        assertEquals(new BigDecimal("0.00000000"), Cost.sum(java.util.List.of(), PRICES).total());
    }

    @Test
    void storage_isPricedForHowLongTheObjectsAreKept() {
        Usage oneGib = Usage.s3(0, 0, 1L << 30);
        assertEquals(new BigDecimal("0.00075616"), Cost.of(oneGib, Duration.ofDays(1), PRICES).s3Storage()); // 0.023 x 24/730
        assertEquals(new BigDecimal("0.00000000"), Cost.of(oneGib, Duration.ZERO, PRICES).s3Storage());
    }
}
