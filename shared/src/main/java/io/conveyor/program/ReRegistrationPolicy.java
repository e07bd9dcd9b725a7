package io.conveyor.program;

import java.time.Duration;
import java.util.Objects;

/**
 * How a job whose attempt failed with a retryable error is run again as a new attempt.
 *
 * @param delay       the wait before the second attempt; it doubles for each attempt after that
 * @param maxAttempts attempts in all, including the first (1 means never re-register)
 */
public record ReRegistrationPolicy(Duration delay, int maxAttempts) {

    public static final ReRegistrationPolicy DEFAULT = new ReRegistrationPolicy(Duration.ofSeconds(30), 3);

    public ReRegistrationPolicy {
        Objects.requireNonNull(delay, "delay");
        if (delay.isNegative()) {
            throw new IllegalArgumentException("re-registration delay must not be negative, was " + delay);
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("re-registration maxAttempts must be at least 1, was " + maxAttempts);
        }
    }

    /** Whether a job that just ended attempt {@code attempt} (1-based) may run again. */
    public boolean allowsAnotherAfter(int attempt) {
        return attempt < maxAttempts;
    }

    /** The wait after attempt {@code attempt} (1-based) ended: delay × 2^(attempt-1). */
    public Duration delayAfter(int attempt) {
        if (attempt < 1) {
            throw new IllegalArgumentException("attempts are numbered from 1, was " + attempt);
        }
        return delay.multipliedBy(1L << Math.min(attempt - 1, 20));
    }
}
