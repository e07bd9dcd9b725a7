package io.conveyor.watchdog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The token bucket on a virtual clock that moves only when the bucket waits. */
class TokenBucketTest {
    private static final long SECOND = 1_000_000_000L;

    /** A clock that stands still until slept on, and records when each token was taken. */
    private static final class VirtualTicker implements TokenBucket.Ticker {
        long now = 42 * SECOND;

        @Override
        public long nanoTime() {
            return now;
        }

        @Override
        public void sleepNanos(long nanos) {
            now += nanos;
        }
    }

    @Test
    void afterItsBurst_noSecondHoldsMoreCallsThanTheRate() {
        VirtualTicker ticker = new VirtualTicker();
        TokenBucket bucket = new TokenBucket(5, 2, ticker);
        List<Long> takenAt = new ArrayList<>();
        for (int i = 0; i < 52; i++) {
            bucket.acquire();
            takenAt.add(ticker.now);
        }
        assertEquals(takenAt.get(0), takenAt.get(1), "the burst of two waits for nothing");
        assertEquals(10 * SECOND, takenAt.get(51) - takenAt.get(0), "fifty more at five a second take ten seconds");
        for (int i = 0; i + 7 < takenAt.size(); i++) {
            assertTrue(takenAt.get(i + 7) - takenAt.get(i) >= SECOND,
                    "any eight calls (burst 2 + rate 5 + 1) span at least a second");
        }
    }

    @Test
    void idleTime_refillsNoMoreThanTheCapacity() {
        VirtualTicker ticker = new VirtualTicker();
        TokenBucket bucket = new TokenBucket(10, 3, ticker);
        ticker.now += 3600 * SECOND;
        long start = ticker.now;
        for (int i = 0; i < 4; i++) {
            bucket.acquire();
        }
        assertEquals(SECOND / 10, ticker.now - start, "three from the full bucket, the fourth a tenth of a second on");
    }

    @Test
    void aRateOrCapacityThatCannotWork_isRefused() {
        VirtualTicker ticker = new VirtualTicker();
        assertThrows(IllegalArgumentException.class, () -> new TokenBucket(0, 1, ticker));
        assertThrows(IllegalArgumentException.class, () -> new TokenBucket(Double.NaN, 1, ticker));
        assertThrows(IllegalArgumentException.class, () -> new TokenBucket(1, 0, ticker));
    }
}
