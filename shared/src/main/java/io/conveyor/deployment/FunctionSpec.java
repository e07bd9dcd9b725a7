package io.conveyor.deployment;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * One Lambda function of the deployment.
 *
 * @param name                the logical name, also the stem of its {@code ${<name>FunctionArn}} substitution
 * @param handler             the handler class ({@code RequestHandler}), in the functions jar
 * @param memoryMb            its memory, which also sets its CPU share on Lambda
 * @param timeout             its timeout
 * @param access              what it may read and write; the CDK stack grants exactly this
 * @param reservedConcurrency the concurrent executions reserved for it (and its cap), from 1 to
 *                            {@value #MAX_RESERVED_CONCURRENCY}; empty: it shares the account's unreserved pool
 */
public record FunctionSpec(String name, String handler, int memoryMb, Duration timeout, List<Access> access,
        OptionalInt reservedConcurrency) {
    /** AWS keeps at least 100 of an account's default 1,000 concurrent executions unreserved. */
    public static final int MAX_RESERVED_CONCURRENCY = 900;

    public FunctionSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(handler, "handler");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(reservedConcurrency, "reservedConcurrency");
        access = List.copyOf(access);
        if (reservedConcurrency.isPresent()
                && (reservedConcurrency.getAsInt() < 1 || reservedConcurrency.getAsInt() > MAX_RESERVED_CONCURRENCY)) {
            throw new IllegalArgumentException("the reserved concurrency of " + name + " must be from 1 to "
                    + MAX_RESERVED_CONCURRENCY + ", was " + reservedConcurrency.getAsInt());
        }
    }

    /** A function without reserved concurrency. */
    public FunctionSpec(String name, String handler, int memoryMb, Duration timeout, List<Access> access) {
        this(name, handler, memoryMb, timeout, access, OptionalInt.empty());
    }

    /** This function with {@code reserved} concurrent executions reserved for it. */
    public FunctionSpec withReservedConcurrency(int reserved) {
        return new FunctionSpec(name, handler, memoryMb, timeout, access, OptionalInt.of(reserved));
    }
}
