package io.conveyor.asl.definition;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.conveyor.asl.json.JsonValues;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parses and validates Amazon States Language definitions into immutable {@link StateMachineDefinition}s.
 *
 * <p>Validation reports problems in AWS's {@code InvalidDefinition} wording where it is known. Stateless and
 * thread-safe.
 */
public final class DefinitionParser {

  private static final Set<String> STATE_TYPES =
      Set.of("Pass", "Task", "Choice", "Wait", "Succeed", "Fail", "Parallel", "Map");

  private static final Set<String> COMPARATORS = Set.of(
      "StringEquals", "StringLessThan", "StringGreaterThan", "StringLessThanEquals", "StringGreaterThanEquals",
      "StringMatches", "NumericEquals", "NumericLessThan", "NumericGreaterThan", "NumericLessThanEquals",
      "NumericGreaterThanEquals", "BooleanEquals", "TimestampEquals", "TimestampLessThan", "TimestampGreaterThan",
      "TimestampLessThanEquals", "TimestampGreaterThanEquals", "IsNull", "IsPresent", "IsNumeric", "IsString",
      "IsBoolean", "IsTimestamp",
      "StringEqualsPath", "StringLessThanPath", "StringGreaterThanPath", "StringLessThanEqualsPath",
      "StringGreaterThanEqualsPath", "NumericEqualsPath", "NumericLessThanPath", "NumericGreaterThanPath",
      "NumericLessThanEqualsPath", "NumericGreaterThanEqualsPath", "BooleanEqualsPath", "TimestampEqualsPath",
      "TimestampLessThanPath", "TimestampGreaterThanPath", "TimestampLessThanEqualsPath",
      "TimestampGreaterThanEqualsPath");

  private final List<InvalidDefinitionException.Diagnostic> problems = new ArrayList<>();

  private DefinitionParser() {
  }

  /** Parses definition text; throws {@link InvalidDefinitionException} when AWS would reject it. */
  public static StateMachineDefinition parse(String definition) {
    JsonNode node;
    try {
      node = JsonValues.parse(definition);
    } catch (IllegalArgumentException e) {
      throw new InvalidDefinitionException("INVALID_JSON_DESCRIPTION", e.getMessage(), "");
    }
    return parse(node);
  }

  /** Parses a definition JSON object; throws {@link InvalidDefinitionException} when AWS would reject it. */
  public static StateMachineDefinition parse(JsonNode definition) {
    DefinitionParser p = new DefinitionParser();
    if (!definition.isObject()) {
      throw new InvalidDefinitionException("SCHEMA_VALIDATION_FAILED", "Expected value of type: object", "/");
    }
    QueryLanguage ql = QueryLanguage.JSONPATH;
    if (definition.has("QueryLanguage")) {
      ql = QueryLanguage.parse(definition.get("QueryLanguage").asText());
    }
    StateMachineDefinition program = p.program(definition, ql, "", true);
    if (!p.problems.isEmpty()) {
      throw new InvalidDefinitionException(p.problems);
    }
    return program;
  }

  private void problem(String code, String message, String location) {
    problems.add(new InvalidDefinitionException.Diagnostic(code, message, location.isEmpty() ? "/" : location));
  }

  private StateMachineDefinition program(JsonNode def, QueryLanguage ql, String at, boolean top) {
    JsonNode startAt = def.get("StartAt");
    JsonNode states = def.get("States");
    if (startAt == null || states == null) {
      List<String> missing = new ArrayList<>();
      if (startAt == null) {
        missing.add("StartAt");
      }
      if (states == null) {
        missing.add("States");
      }
      problem("SCHEMA_VALIDATION_FAILED", "These fields are required: " + missing, at);
      return new StateMachineDefinition(startAt == null ? "" : startAt.asText(), Map.of(), ql, null, def);
    }
    if (!states.isObject()) {
      problem("SCHEMA_VALIDATION_FAILED", "Expected value of type: object", at + "/States");
      return new StateMachineDefinition(startAt.asText(), Map.of(), ql, null, def);
    }
    Map<String, State> parsed = new LinkedHashMap<>();
    Iterator<Map.Entry<String, JsonNode>> it = states.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      State s = state(e.getKey(), e.getValue(), ql, at + "/States/" + e.getKey());
      if (s != null) {
        parsed.put(e.getKey(), s);
      }
    }
    if (!parsed.isEmpty() || states.size() == 0) {
      if (!states.has(startAt.asText())) {
        problem("MISSING_TRANSITION_TARGET", "State \"" + startAt.asText()
            + "\" is not reachable.", at + "/StartAt");
      }
    }
    for (State s : parsed.values()) {
      checkTarget(states, s.common().next(), at + "/States/" + s.name() + "/Next");
      for (Catcher c : s.common().catchers()) {
        checkTarget(states, c.next(), at + "/States/" + s.name() + "/Catch");
      }
      if (s instanceof State.Choice ch) {
        for (ChoiceRule r : ch.choices()) {
          checkTarget(states, r.next(), at + "/States/" + s.name() + "/Choices");
        }
        checkTarget(states, ch.defaultNext(), at + "/States/" + s.name() + "/Default");
      }
    }
    Integer timeout = null;
    if (top && def.has("TimeoutSeconds") && def.get("TimeoutSeconds").canConvertToInt()) {
      timeout = def.get("TimeoutSeconds").intValue();
    }
    return new StateMachineDefinition(startAt.asText(), java.util.Collections.unmodifiableMap(parsed), ql, timeout, def);
  }

  private void checkTarget(JsonNode states, String target, String location) {
    if (target != null && !states.has(target)) {
      problem("MISSING_TRANSITION_TARGET", "Missing 'Next' target: " + target, location);
    }
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  private static JsonNode raw(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null ? MissingNode.getInstance() : v;
  }

  private static JsonNode orNull(JsonNode n, String field) {
    return n.get(field);
  }

  private State state(String name, JsonNode s, QueryLanguage inherited, String at) {
    if (!s.isObject()) {
      problem("SCHEMA_VALIDATION_FAILED", "Expected value of type: object", at);
      return null;
    }
    String type = text(s, "Type");
    if (type == null) {
      problem("SCHEMA_VALIDATION_FAILED", "These fields are required: [Type]", at);
      return null;
    }
    if (!STATE_TYPES.contains(type)) {
      problem("SCHEMA_VALIDATION_FAILED", "Value is not a valid state type: " + type, at + "/Type");
      return null;
    }
    if (name.length() > 80) {
      problem("SCHEMA_VALIDATION_FAILED", "State name cannot be longer than 80 characters", at);
    }
    QueryLanguage ql = inherited;
    if (s.has("QueryLanguage")) {
      ql = QueryLanguage.parse(s.get("QueryLanguage").asText());
      if (inherited == QueryLanguage.JSONATA && ql == QueryLanguage.JSONPATH) {
        problem("SCHEMA_VALIDATION_FAILED",
            "'QueryLanguage' cannot be 'JSONPath' when the top-level 'QueryLanguage' is 'JSONata'", at);
      }
    }
    boolean terminal = type.equals("Succeed") || type.equals("Fail") || type.equals("Choice");
    String next = text(s, "Next");
    boolean end = s.path("End").asBoolean(false);
    if (!terminal) {
      if (next == null && !end) {
        problem("SCHEMA_VALIDATION_FAILED", "These fields are required: [Next]", at);
      }
      if (next != null && end) {
        problem("SCHEMA_VALIDATION_FAILED", "The fields \"Next\" and \"End\" are mutually exclusive", at);
      }
    }
    if (ql == QueryLanguage.JSONATA) {
      for (String f : List.of("InputPath", "OutputPath", "Parameters", "ResultSelector", "ResultPath",
          "ItemsPath", "SecondsPath", "TimestampPath", "ErrorPath", "CausePath", "TimeoutSecondsPath",
          "HeartbeatSecondsPath", "MaxConcurrencyPath", "ToleratedFailureCountPath",
          "ToleratedFailurePercentagePath")) {
        if (s.has(f)) {
          problem("SCHEMA_VALIDATION_FAILED", "The field '" + f
              + "' is not supported when the 'QueryLanguage' is 'JSONata'", at + "/" + f);
        }
      }
    } else {
      for (String f : List.of("Arguments", "Output")) {
        if (s.has(f)) {
          problem("SCHEMA_VALIDATION_FAILED", "The field '" + f
              + "' is not supported when the 'QueryLanguage' is 'JSONPath'", at + "/" + f);
        }
      }
    }
    List<Retrier> retry = retriers(s.get("Retry"), at + "/Retry");
    List<Catcher> catchers = catchers(s.get("Catch"), at + "/Catch");
    State.Common c = new State.Common(name, type, ql, next, end, raw(s, "InputPath"), raw(s, "OutputPath"),
        orNull(s, "Parameters"), orNull(s, "ResultSelector"), raw(s, "ResultPath"), orNull(s, "Arguments"),
        orNull(s, "Output"), orNull(s, "Assign"), retry, catchers);
    switch (type) {
      case "Pass":
        return new State.Pass(c, orNull(s, "Result"));
      case "Task":
        if (text(s, "Resource") == null) {
          problem("SCHEMA_VALIDATION_FAILED", "These fields are required: [Resource]", at);
        }
        if (s.has("TimeoutSeconds") && s.get("TimeoutSeconds").isNumber()
            && s.has("HeartbeatSeconds") && s.get("HeartbeatSeconds").isNumber()
            && s.get("HeartbeatSeconds").asLong() >= s.get("TimeoutSeconds").asLong()) {
          problem("SCHEMA_VALIDATION_FAILED", "HeartbeatSeconds must be smaller than TimeoutSeconds", at);
        }
        return new State.Task(c, text(s, "Resource"), raw(s, "TimeoutSeconds"), raw(s, "TimeoutSecondsPath"),
            raw(s, "HeartbeatSeconds"), raw(s, "HeartbeatSecondsPath"));
      case "Choice": {
        List<ChoiceRule> rules = new ArrayList<>();
        JsonNode choices = s.get("Choices");
        if (choices == null || !choices.isArray() || choices.isEmpty()) {
          problem("SCHEMA_VALIDATION_FAILED", "These fields are required: [Choices]", at);
        } else {
          for (int i = 0; i < choices.size(); i++) {
            rules.add(rule(choices.get(i), ql, true, at + "/Choices/" + i));
          }
        }
        return new State.Choice(c, List.copyOf(rules), text(s, "Default"));
      }
      case "Wait": {
        int n = 0;
        for (String f : List.of("Seconds", "SecondsPath", "Timestamp", "TimestampPath")) {
          if (s.has(f)) {
            n++;
          }
        }
        if (n != 1) {
          problem("SCHEMA_VALIDATION_FAILED",
              "A Wait state must contain exactly one of Seconds, SecondsPath, Timestamp, or TimestampPath", at);
        }
        return new State.Wait(c, orNull(s, "Seconds"), text(s, "SecondsPath"), orNull(s, "Timestamp"),
            text(s, "TimestampPath"));
      }
      case "Succeed":
        return new State.Succeed(c);
      case "Fail":
        return new State.Fail(c, orNull(s, "Error"), text(s, "ErrorPath"), orNull(s, "Cause"), text(s, "CausePath"));
      case "Parallel": {
        List<StateMachineDefinition> branches = new ArrayList<>();
        JsonNode bs = s.get("Branches");
        if (bs == null || !bs.isArray()) {
          problem("SCHEMA_VALIDATION_FAILED", "These fields are required: [Branches]", at);
        } else {
          for (int i = 0; i < bs.size(); i++) {
            branches.add(program(bs.get(i), ql, at + "/Branches[" + i + "]", false));
          }
        }
        return new State.Parallel(c, List.copyOf(branches));
      }
      case "Map":
        return map(c, s, ql, at);
      default:
        throw new IllegalStateException(type);
    }
  }

  private State map(State.Common c, JsonNode s, QueryLanguage ql, String at) {
    JsonNode proc = s.has("ItemProcessor") ? s.get("ItemProcessor") : s.get("Iterator");
    String procField = s.has("ItemProcessor") ? "ItemProcessor" : "Iterator";
    StateMachineDefinition processor;
    boolean distributed = false;
    String executionType = null;
    if (proc == null || !proc.isObject()) {
      problem("SCHEMA_VALIDATION_FAILED", "These fields are required: [ItemProcessor]", at);
      processor = new StateMachineDefinition("", Map.of(), ql, null, JsonValues.object());
    } else {
      JsonNode cfg = proc.path("ProcessorConfig");
      distributed = "DISTRIBUTED".equals(cfg.path("Mode").asText("INLINE"));
      executionType = cfg.has("ExecutionType") ? cfg.get("ExecutionType").asText() : null;
      QueryLanguage inner = ql;
      processor = program(proc, inner, at + "/" + procField, false);
    }
    boolean legacyParameters = s.has("Parameters") && !s.has("ItemSelector");
    JsonNode itemSelector = s.has("ItemSelector") ? s.get("ItemSelector") : s.get("Parameters");
    State.MapState.Spec spec = new State.MapState.Spec(processor, distributed, executionType,
        raw(s, "ItemsPath"), orNull(s, "Items"), itemSelector, orNull(s, "MaxConcurrency"),
        text(s, "MaxConcurrencyPath"), orNull(s, "ToleratedFailureCount"), text(s, "ToleratedFailureCountPath"),
        orNull(s, "ToleratedFailurePercentage"), text(s, "ToleratedFailurePercentagePath"), orNull(s, "ItemReader"),
        orNull(s, "ItemBatcher"), orNull(s, "ResultWriter"), text(s, "Label"), legacyParameters);
    // Parameters on a Map is the legacy name of ItemSelector; keep it off the common field.
    State.Common cc = new State.Common(c.name(), c.type(), c.queryLanguage(), c.next(), c.end(), c.inputPath(),
        c.outputPath(), null, c.resultSelector(), c.resultPath(), c.arguments(), c.output(), c.assign(),
        c.retry(), c.catchers());
    return new State.MapState(cc, spec);
  }

  private ChoiceRule rule(JsonNode r, QueryLanguage ql, boolean top, String at) {
    String next = top ? text(r, "Next") : null;
    if (top && next == null) {
      problem("SCHEMA_VALIDATION_FAILED", "These fields are required: [Next]", at);
    }
    JsonNode assign = top ? orNull(r, "Assign") : null;
    JsonNode output = top ? orNull(r, "Output") : null;
    if (ql == QueryLanguage.JSONATA || r.has("Condition")) {
      if (!r.has("Condition")) {
        problem("SCHEMA_VALIDATION_FAILED", "These fields are required: [Condition]", at);
      }
      return new ChoiceRule(ChoiceRule.Kind.CONDITION, List.of(), null, null, null, r.get("Condition"), next,
          assign, output);
    }
    if (r.has("And") || r.has("Or")) {
      String key = r.has("And") ? "And" : "Or";
      List<ChoiceRule> kids = new ArrayList<>();
      JsonNode arr = r.get(key);
      for (int i = 0; i < arr.size(); i++) {
        kids.add(rule(arr.get(i), ql, false, at + "/" + key + "/" + i));
      }
      return new ChoiceRule(key.equals("And") ? ChoiceRule.Kind.AND : ChoiceRule.Kind.OR, List.copyOf(kids), null,
          null, null, null, next, assign, output);
    }
    if (r.has("Not")) {
      return new ChoiceRule(ChoiceRule.Kind.NOT, List.of(rule(r.get("Not"), ql, false, at + "/Not")), null, null,
          null, null, next, assign, output);
    }
    String op = null;
    Iterator<String> names = r.fieldNames();
    while (names.hasNext()) {
      String f = names.next();
      if (COMPARATORS.contains(f)) {
        op = f;
      }
    }
    if (op == null || !r.has("Variable")) {
      problem("SCHEMA_VALIDATION_FAILED", "A Choice rule must have a Variable and a comparison operator", at);
      return new ChoiceRule(ChoiceRule.Kind.COMPARISON, List.of(), "$", "IsPresent", JsonValues.NODES.booleanNode(true),
          null, next, assign, output);
    }
    return new ChoiceRule(ChoiceRule.Kind.COMPARISON, List.of(), r.get("Variable").asText(), op, r.get(op), null, next,
        assign, output);
  }

  private List<Retrier> retriers(JsonNode arr, String at) {
    if (arr == null || !arr.isArray()) {
      return List.of();
    }
    List<Retrier> out = new ArrayList<>();
    for (int i = 0; i < arr.size(); i++) {
      JsonNode r = arr.get(i);
      List<String> errors = errorEquals(r, at + "/" + i);
      long interval = r.path("IntervalSeconds").asLong(1);
      int max = r.path("MaxAttempts").asInt(3);
      double backoff = r.path("BackoffRate").asDouble(2.0);
      Long maxDelay = r.has("MaxDelaySeconds") ? r.get("MaxDelaySeconds").asLong() : null;
      boolean full = "FULL".equals(r.path("JitterStrategy").asText("NONE"));
      out.add(new Retrier(errors, interval, max, backoff, maxDelay, full));
    }
    return List.copyOf(out);
  }

  private List<Catcher> catchers(JsonNode arr, String at) {
    if (arr == null || !arr.isArray()) {
      return List.of();
    }
    List<Catcher> out = new ArrayList<>();
    for (int i = 0; i < arr.size(); i++) {
      JsonNode c = arr.get(i);
      String next = text(c, "Next");
      if (next == null) {
        problem("SCHEMA_VALIDATION_FAILED", "These fields are required: [Next]", at + "/" + i);
      }
      out.add(new Catcher(errorEquals(c, at + "/" + i), next, raw(c, "ResultPath"), orNull(c, "Assign"),
          orNull(c, "Output")));
    }
    return List.copyOf(out);
  }

  private List<String> errorEquals(JsonNode r, String at) {
    JsonNode e = r.get("ErrorEquals");
    if (e == null || !e.isArray() || e.isEmpty()) {
      problem("SCHEMA_VALIDATION_FAILED", "These fields are required: [ErrorEquals]", at);
      return List.of();
    }
    List<String> out = new ArrayList<>();
    e.forEach(x -> out.add(x.asText()));
    if (out.contains(StatesErrorNames.ALL) && out.size() > 1) {
      problem("SCHEMA_VALIDATION_FAILED", "States.ALL must appear alone in ErrorEquals", at + "/ErrorEquals");
    }
    return List.copyOf(out);
  }

  /** Error-name constants used by validation. */
  static final class StatesErrorNames {
    static final String ALL = "States.ALL";

    private StatesErrorNames() {
    }
  }
}
