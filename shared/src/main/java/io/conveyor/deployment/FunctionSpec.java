package io.conveyor.deployment;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * One Lambda function of the deployment.
 *
 * @param name     the logical name, also the stem of its {@code ${<name>FunctionArn}} substitution
 * @param handler  the handler class ({@code RequestHandler}), in the functions jar
 * @param memoryMb its memory, which also sets its CPU share on Lambda
 * @param timeout  its timeout
 * @param access   what it may read and write; the CDK stack grants exactly this
 */
public record FunctionSpec(String name, String handler, int memoryMb, Duration timeout, List<Access> access) {
    public FunctionSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(handler, "handler");
        Objects.requireNonNull(timeout, "timeout");
        access = List.copyOf(access);
    }
}
