package io.conveyor.asl.engine;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A Task state's call to its resource.
 *
 * @param resource the state's Resource ARN
 * @param parameters the effective parameters (JSONPath) or arguments (JSONata)
 * @param stateName the Task state's name
 * @param executionArn the calling execution
 * @param taskToken the callback token for {@code .waitForTaskToken} resources, else null
 * @param timeoutSeconds the state's timeout, seconds, or null
 */
public record TaskRequest(String resource, JsonNode parameters, String stateName, String executionArn,
    String taskToken, Long timeoutSeconds) {
}
