package io.conveyor.asl.engine.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conveyor.asl.engine.StatesError;
import io.conveyor.asl.json.JsonValues;

/**
 * A task attempt's outcome as a {@link Journal} keeps it: {@code {"result": ...}} or {@code {"error": ...,
 * "cause": ...}}; and the error of an attempt that was in flight when the engine stopped.
 */
final class TaskOutcomes {
  /**
   * The error of a Lambda task whose invocation was in flight when the engine stopped. On AWS the service does not
   * stop, but an invocation it loses is a Lambda service error, which AWS's guidance (and every Lambda task of
   * Conveyor's workflow) retries: "Handle Lambda service exceptions" in the Step Functions developer guide.
   */
  static final String LAMBDA_LOST = "Lambda.ServiceException";
  static final String LOST_CAUSE = "The task was in flight when the Step Functions engine stopped; it may or may not "
      + "have run. Its state's Retry and Catch decide what follows.";

  private TaskOutcomes() {
  }

  static JsonNode success(JsonNode result) {
    ObjectNode o = JsonValues.object();
    o.set("result", result);
    return o;
  }

  static JsonNode failure(StatesError e) {
    ObjectNode o = JsonValues.object();
    if (e.error() != null) {
      o.put("error", e.error());
    }
    if (e.errorCause() != null) {
      o.put("cause", e.errorCause());
    }
    return o;
  }

  /** The recorded result, or null for a recorded failure. */
  static JsonNode result(JsonNode outcome) {
    return outcome.get("result");
  }

  /** The recorded failure (of an outcome that holds no result). */
  static StatesError error(JsonNode outcome) {
    return new StatesError(outcome.hasNonNull("error") ? outcome.get("error").asText() : null,
        outcome.hasNonNull("cause") ? outcome.get("cause").asText() : null);
  }

  /**
   * What an attempt in flight at a stop ends with: for a Lambda resource, Lambda's service error; for another
   * integration, the generic task failure.
   */
  static StatesError lost(String resource) {
    boolean lambda = resource.startsWith("arn:aws:lambda:") || resource.startsWith("arn:aws:states:::lambda:");
    return new StatesError(lambda ? LAMBDA_LOST : StatesError.TASK_FAILED, LOST_CAUSE);
  }
}
