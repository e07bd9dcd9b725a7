package io.conveyor.watchdog;

/**
 * A token bucket: at most {@code capacity} calls at once, then {@code ratePerSecond} calls a second on average.
 * {@link #acquire()} blocks until a token is free. Thread-safe: callers take tokens one at a time.
 */
public final class TokenBucket {
    /** Where time comes from and how to wait for it; {@link #SYSTEM} in production, a virtual one in tests. */
    public interface Ticker {
        long nanoTime();

        void sleepNanos(long nanos) throws InterruptedException;
    }

    public static final Ticker SYSTEM = new Ticker() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public void sleepNanos(long nanos) throws InterruptedException {
            java.util.concurrent.TimeUnit.NANOSECONDS.sleep(nanos);
        }
    };

    private final double nanosPerToken;
    private final double capacity;
    private final Ticker ticker;
    private double tokens;
    private long refilledAt;

    /**
     * @param ratePerSecond tokens added a second, above 0
     * @param capacity      the most tokens held (and so the largest burst), at least 1; the bucket starts full
     */
    public TokenBucket(double ratePerSecond, int capacity, Ticker ticker) {
        if (!(ratePerSecond > 0)) {
            throw new IllegalArgumentException("the rate must be above 0 a second, was " + ratePerSecond);
        }
        if (capacity < 1) {
            throw new IllegalArgumentException("the capacity must be at least 1, was " + capacity);
        }
        this.nanosPerToken = 1e9 / ratePerSecond;
        this.capacity = capacity;
        this.ticker = ticker;
        this.tokens = capacity;
        this.refilledAt = ticker.nanoTime();
    }

    /**
     * Takes one token, waiting for it if none is free.
     *
     * @throws IllegalStateException when interrupted while waiting (the interrupt flag is set again)
     */
    public synchronized void acquire() {
        refill();
        while (tokens < 1) {
            try {
                ticker.sleepNanos((long) Math.ceil((1 - tokens) * nanosPerToken));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for a token", e);
            }
            refill();
        }
        tokens -= 1;
    }

    private void refill() {
        long now = ticker.nanoTime();
        tokens = Math.min(capacity, tokens + (now - refilledAt) / nanosPerToken);
        refilledAt = now;
    }
}
