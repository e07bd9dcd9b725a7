package io.conveyor.local.runtime.lambda;

import io.conveyor.asl.task.LambdaInvoker.LambdaServiceException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Lambda's concurrency limits: the account runs at most {@link #accountLimit()} invocations at once; a function with
 * reserved concurrency runs at most that many, which no other function may use; the others share what is left (the
 * unreserved pool). An invocation over its limit is refused at once, before any handler runs, with Lambda's
 * {@code TooManyRequestsException} (the Step Functions engine reports it as {@code Lambda.TooManyRequestsException};
 * the Invoke endpoint answers 429). Nothing is queued: callers retry, as on AWS. Thread-safe.
 */
public final class ConcurrencyLimits {
    /** The message Lambda gives a throttled invocation. */
    static final String THROTTLED = "Rate Exceeded.";
    /** Lambda's {@code Reason} for a function over its reserved concurrency. */
    public static final String RESERVED_LIMIT = "ReservedFunctionConcurrentInvocationLimitExceeded";
    /** Lambda's {@code Reason} for an unreserved function when the account's pool is used up. */
    public static final String ACCOUNT_LIMIT = "ConcurrentInvocationLimitExceeded";
    /** An AWS account's default limit of concurrent executions. */
    public static final int DEFAULT_ACCOUNT_LIMIT = 1000;

    private final int accountLimit;
    private final Map<String, Integer> reserved = new HashMap<>();
    private final Map<String, Integer> running = new HashMap<>();
    private int reservedTotal;
    private int unreservedRunning;

    /** @param accountLimit the account's concurrent executions, at least 1 */
    public ConcurrencyLimits(int accountLimit) {
        if (accountLimit < 1) {
            throw new IllegalArgumentException("the account's concurrency limit must be at least 1, was " + accountLimit);
        }
        this.accountLimit = accountLimit;
    }

    public int accountLimit() {
        return accountLimit;
    }

    /**
     * Sets (or, with 0, removes) the concurrency reserved for {@code function}.
     *
     * @throws IllegalArgumentException when the reservations would exceed the account's limit
     */
    synchronized void reserve(String function, int concurrency) {
        int others = reservedTotal - reserved.getOrDefault(function, 0);
        if (others + concurrency > accountLimit) {
            throw new IllegalArgumentException("reserving " + concurrency + " for " + function + " takes the account's "
                    + "reservations to " + (others + concurrency) + ", over its limit of " + accountLimit
                    + " concurrent executions: lower a reservation or raise the account's limit");
        }
        if (concurrency == 0) {
            reserved.remove(function);
        } else {
            reserved.put(function, concurrency);
        }
        reservedTotal = others + concurrency;
    }

    /**
     * Admits one invocation of {@code function}.
     *
     * @return what ends it: releases its concurrency, once however often it is run
     * @throws LambdaServiceException {@code TooManyRequestsException} when the function or the account is at its limit
     */
    synchronized Runnable admit(String function) {
        Integer reservation = reserved.get(function);
        int now = running.getOrDefault(function, 0);
        if (reservation != null) {
            if (now >= reservation) {
                throw throttled(function, RESERVED_LIMIT);
            }
        } else if (unreservedRunning >= accountLimit - reservedTotal) {
            throw throttled(function, ACCOUNT_LIMIT);
        } else {
            unreservedRunning++;
        }
        running.put(function, now + 1);
        AtomicBoolean released = new AtomicBoolean();
        return () -> {
            if (released.compareAndSet(false, true)) {
                release(function, reservation != null);
            }
        };
    }

    private synchronized void release(String function, boolean wasReserved) {
        running.merge(function, -1, Integer::sum);
        if (!wasReserved) {
            unreservedRunning--;
        }
    }

    /** How many invocations of {@code function} run now. */
    public synchronized int running(String function) {
        return running.getOrDefault(function, 0);
    }

    /** Why {@code function} would be throttled: the reason Lambda gives in a 429's body. */
    synchronized String reasonFor(String function) {
        return reserved.containsKey(function) ? RESERVED_LIMIT : ACCOUNT_LIMIT;
    }

    private static LambdaServiceException throttled(String function, String reason) {
        return new LambdaServiceException("TooManyRequestsException", THROTTLED + " (" + reason + ": " + function + ")");
    }
}
