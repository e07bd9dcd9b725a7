package io.conveyor.local.runtime.lambda;

import java.time.Duration;

/**
 * The outcome of one in-process invocation, as Lambda's Invoke API reports it.
 *
 * @param requestId     the invocation's request id (also in its {@code Context})
 * @param function      the function's name
 * @param payload       the response payload, JSON text; for an error, Lambda's error document
 * @param functionError null on success, else {@code Unhandled}
 * @param duration      how long the handler ran (not counting a cold start's construction)
 * @param coldStart     whether a new execution environment was built for it
 */
public record Invocation(String requestId, String function, String payload, String functionError, Duration duration,
        boolean coldStart) {
    public boolean failed() {
        return functionError != null;
    }
}
