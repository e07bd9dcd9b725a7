package io.conveyor.asl.engine.state;

import com.fasterxml.jackson.databind.JsonNode;
import io.conveyor.asl.definition.State;
import io.conveyor.asl.engine.StatesError;
import io.conveyor.asl.json.JsonValues;
import io.conveyor.asl.jsonata.JsonataSupport;
import io.conveyor.asl.path.Intrinsics;
import java.util.concurrent.CompletableFuture;

/** Fail: fails its branch with its Error and Cause (or ErrorPath and CausePath, or their JSONata). */
final class FailHandler implements StateHandler<State.Fail> {

  @Override
  public CompletableFuture<Step> run(State.Fail f, StateContext c) {
    String error = null;
    String cause = null;
    if (f.isJsonata()) {
      if (f.error() != null) {
        error = evaluated(f.error(), c, "Error");
      }
      if (f.cause() != null) {
        cause = evaluated(f.cause(), c, "Cause");
      }
    } else {
      error = f.error() == null ? null : f.error().asText();
      cause = f.cause() == null ? null : f.cause().asText();
      if (f.errorPath() != null) {
        error = selected(f.errorPath(), c, "ErrorPath");
      }
      if (f.causePath() != null) {
        cause = selected(f.causePath(), c, "CausePath");
      }
    }
    throw new StatesError(error, cause);
  }

  private static String evaluated(JsonNode template, StateContext c, String field) {
    JsonNode v = JsonataSupport.evaluateTemplate(template, c, field);
    if (!v.isTextual()) {
      throw StatesError.queryEvaluation("The " + field + " field must evaluate to a string, but was: "
          + JsonValues.write(v));
    }
    return v.textValue();
  }

  /** An ErrorPath or CausePath: a path or an intrinsic function call that gives a string. */
  private static String selected(String path, StateContext c, String field) {
    JsonNode v = Intrinsics.isCall(path) ? Intrinsics.evaluate(path, c) : Payloads.selectPath(path, c);
    if (!v.isTextual()) {
      throw StatesError.runtime("The " + field + " field refers to value " + JsonValues.write(v)
          + " which is not a valid string: " + path);
    }
    return v.textValue();
  }
}
