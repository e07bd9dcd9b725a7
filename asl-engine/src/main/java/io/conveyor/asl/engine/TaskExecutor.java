package io.conveyor.asl.engine;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.CompletableFuture;

/**
 * Carries out Task states' resources (Lambda functions, service integrations). The returned future completes
 * with the task's result, or exceptionally with a {@link StatesError} naming the AWS error and cause.
 *
 * <p>Implementations must not block the calling thread for long: run slow calls on their own executor.
 */
public interface TaskExecutor {
  CompletableFuture<JsonNode> execute(TaskRequest request);
}
