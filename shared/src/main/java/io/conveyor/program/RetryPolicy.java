package io.conveyor.program;

import java.time.Duration;
import java.util.Objects;

/**
 * How a failed subjob invocation is retried inside one job attempt; maps onto a Step Functions Retrier.
 *
 * @param interval    the delay before the first retry, at least one second
 * @param backoffRate the factor the delay grows by with each retry, at least 1.0
 * @param maxDelay    the cap on any one delay
 * @param jitter      how the delay is randomised
 * @param maxAttempts retries after the first invocation, 0 to 99 (0 means no retry)
 */
public record RetryPolicy(Duration interval, double backoffRate, Duration maxDelay, JitterStrategy jitter,
        int maxAttempts) {

    public static final RetryPolicy DEFAULT =
            new RetryPolicy(Duration.ofSeconds(1), 2.0, Duration.ofSeconds(30), JitterStrategy.FULL, 3);

    public RetryPolicy {
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(maxDelay, "maxDelay");
        Objects.requireNonNull(jitter, "jitter");
        if (interval.toSeconds() < 1) {
            throw new IllegalArgumentException("retry interval must be at least 1 second, was " + interval);
        }
        if (backoffRate < 1.0) {
            throw new IllegalArgumentException("retry backoffRate must be at least 1.0, was " + backoffRate);
        }
        if (maxDelay.compareTo(interval) < 0) {
            throw new IllegalArgumentException("retry maxDelay (" + maxDelay + ") must not be shorter than interval (" + interval + ")");
        }
        if (maxAttempts < 0 || maxAttempts > 99) {
            throw new IllegalArgumentException("retry maxAttempts must be between 0 and 99, was " + maxAttempts);
        }
    }
}
