package io.conveyor.asl.engine.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conveyor.asl.definition.State;
import io.conveyor.asl.engine.StatesError;
import io.conveyor.asl.json.JsonValues;
import io.conveyor.asl.jsonata.JsonataSupport;
import io.conveyor.asl.path.JsonPaths;
import io.conveyor.asl.path.PathNotFoundException;
import io.conveyor.asl.path.PathScope;
import io.conveyor.asl.path.PayloadTemplate;
import io.conveyor.asl.path.Sampler;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a state's input becomes its output, the rules every state shares: with JSONPath, InputPath, Parameters,
 * ResultSelector, ResultPath and OutputPath; with JSONata, Arguments and Output; with both, Assign. Pure
 * functions of the state and its context.
 */
public final class Payloads {

  /** AWS's payload limit for inputs, outputs and results: 256 KiB of UTF-8. */
  public static final int MAX_PAYLOAD_BYTES = 256 * 1024;

  /** {"truncated":false}, an event's inputDetails or outputDetails: shared by them all, so never changed. */
  public static final ObjectNode NOT_TRUNCATED = JsonValues.object().put("truncated", false);

  private Payloads() {
  }

  /** The state's effective input: its raw input through InputPath (null InputPath gives {}). */
  static JsonNode inputPath(State s, StateContext c) {
    JsonNode ip = s.common().inputPath();
    if (ip.isMissingNode()) {
      return c.input();
    }
    if (ip.isNull()) {
      return JsonValues.object();
    }
    return selectPath(ip.asText(), c);
  }

  /** A Path field (InputPath, OutputPath, ItemsPath...), failing with AWS's "Invalid path" message. */
  static JsonNode selectPath(String path, PathScope scope) {
    try {
      return Sampler.select(path, scope);
    } catch (PathNotFoundException | com.jayway.jsonpath.InvalidPathException e) {
      throw StatesError.runtime("Invalid path '" + path + "' : " + e.getMessage());
    }
  }

  /** The payload a Task sends or a Parallel's branches get: Arguments, or Parameters over the effective input. */
  static JsonNode arguments(State s, StateContext c) {
    if (s.isJsonata()) {
      return s.common().arguments() != null
          ? JsonataSupport.evaluateTemplate(s.common().arguments(), c, "Arguments") : c.input();
    }
    JsonNode effective = inputPath(s, c);
    return s.common().parameters() != null
        ? PayloadTemplate.evaluate(s.common().parameters(), c.withInput(effective)) : effective;
  }

  /** {@code result} placed into {@code raw} at ResultPath (absent: the result itself; null: the input). */
  static JsonNode resultPath(JsonNode resultPath, JsonNode raw, JsonNode result) {
    if (resultPath.isMissingNode()) {
      return result;
    }
    if (resultPath.isNull()) {
      return raw;
    }
    String p = resultPath.asText();
    JsonNode out = JsonPaths.isReferencePath(p) ? JsonPaths.write(p, raw, result) : null;
    if (out == null) {
      throw StatesError.inState(StatesError.RESULT_PATH_MATCH_FAILURE, "Unable to apply ResultPath '" + p
          + "' to input '" + JsonValues.write(raw) + "'");
    }
    return out;
  }

  /** {@code value} through OutputPath (null OutputPath gives {}). */
  static JsonNode outputPath(State s, JsonNode value, StateContext c) {
    JsonNode op = s.common().outputPath();
    if (op.isMissingNode()) {
      return value;
    }
    if (op.isNull()) {
      return JsonValues.object();
    }
    return selectPath(op.asText(), c.withInput(value));
  }

  /**
   * Evaluates an Assign block, then assigns all of it at once, as AWS does: no value sees another's new value.
   *
   * @param dollar what {@code $} is for a JSONPath block (unused with JSONata)
   */
  static void assign(JsonNode assign, StateContext c, JsonNode dollar) {
    if (assign == null) {
      return;
    }
    Map<String, JsonNode> values = new LinkedHashMap<>();
    if (c.state().isJsonata()) {
      Iterator<Map.Entry<String, JsonNode>> it = assign.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        values.put(e.getKey(), JsonataSupport.evaluateTemplate(e.getValue(), c, "Assign/" + e.getKey()));
      }
    } else {
      JsonNode evaluated = PayloadTemplate.evaluate(assign, c.withInput(dollar));
      evaluated.fields().forEachRemaining(e -> values.put(e.getKey(), e.getValue()));
    }
    c.branch().variables().putAll(values);
  }

  /** A JSONata Output template's value, or {@code otherwise} when there is none. */
  static JsonNode output(JsonNode template, StateContext c, JsonNode otherwise) {
    return template == null ? otherwise : JsonataSupport.evaluateTemplate(template, c, "Output");
  }

  /**
   * The output of a state that passes its input on (Choice, Wait, Succeed) and assigns on its way: with JSONata,
   * the Output template (else the raw input); with JSONPath, the effective input through OutputPath.
   */
  static JsonNode passOn(State s, StateContext c, JsonNode effective, JsonNode outputTemplate, JsonNode assign) {
    if (s.isJsonata()) {
      JsonNode out = output(outputTemplate, c, c.input());
      assign(assign, c, null);
      return out;
    }
    assign(assign, c, effective);
    return outputPath(s, effective, c);
  }

  /**
   * The step of a Task, Map or Parallel state once its work produced {@code result}: with JSONata, Output and
   * Assign (which see {@code $states.result}); with JSONPath, Assign, ResultSelector, ResultPath and OutputPath.
   */
  static Step finish(StateContext c, JsonNode result) {
    State s = c.state();
    if (s.isJsonata()) {
      c.result(result);
      JsonNode out = output(s.common().output(), c, result);
      assign(s.common().assign(), c, null);
      return new Step(out, next(s));
    }
    assign(s.common().assign(), c, result);
    JsonNode selected = result;
    if (s.common().resultSelector() != null) {
      selected = PayloadTemplate.evaluate(s.common().resultSelector(), c.withInput(result));
    }
    JsonNode out = resultPath(s.common().resultPath(), c.input(), selected);
    return new Step(outputPath(s, out, c), next(s));
  }

  /** The state after this one, or null at the end of its branch. */
  static String next(State s) {
    return s.common().end() ? null : s.common().next();
  }

  /** The DataLimitExceeded failure of a state whose output or result is too large. */
  static StatesError tooLarge(State s) {
    return new StatesError(StatesError.DATA_LIMIT_EXCEEDED, "The state/task '" + s.name()
        + "' returned a result with a size exceeding the maximum number of bytes service limit.");
  }
}
