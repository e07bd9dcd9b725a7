package io.conveyor.asl.definition;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * One element of a state's {@code Retry} array.
 *
 * @param errorEquals error names this retrier matches ({@code States.ALL} matches any except a few)
 * @param intervalSeconds delay before the first retry, seconds (default 1)
 * @param maxAttempts maximum number of retries (default 3; 0 means never retry)
 * @param backoffRate multiplier applied to the interval on each retry (default 2.0)
 * @param maxDelaySeconds cap on the delay, seconds, or null for none
 * @param jitterFull true for {@code JitterStrategy: FULL}
 */
public record Retrier(List<String> errorEquals, long intervalSeconds, int maxAttempts, double backoffRate,
    Long maxDelaySeconds, boolean jitterFull) {
}
