package io.conveyor.asl.engine.state;

import com.fasterxml.jackson.databind.JsonNode;
import io.conveyor.asl.definition.ChoiceRule;
import io.conveyor.asl.definition.State;
import io.conveyor.asl.engine.StatesError;
import io.conveyor.asl.json.JsonValues;
import io.conveyor.asl.jsonata.JsonataSupport;
import io.conveyor.asl.path.PathNotFoundException;
import io.conveyor.asl.path.PathScope;
import io.conveyor.asl.path.Sampler;
import java.util.concurrent.CompletableFuture;

/**
 * Choice: the first rule that matches names the next state, else Default, else States.NoChoiceMatched. A rule is
 * And/Or/Not over rules, a JSONata Condition, or a comparison ({@link ChoiceOperators}) of its Variable.
 */
final class ChoiceHandler implements StateHandler<State.Choice> {

  @Override
  public CompletableFuture<Step> run(State.Choice ch, StateContext c) {
    JsonNode effective = ch.isJsonata() ? c.input() : Payloads.inputPath(ch, c);
    PathScope scope = c.withInput(effective);
    for (ChoiceRule r : ch.choices()) {
      if (matches(r, scope, c)) {
        JsonNode output = r.output() != null ? r.output() : ch.common().output();
        return CompletableFuture.completedFuture(
            new Step(Payloads.passOn(ch, c, effective, output, r.assign()), r.next()));
      }
    }
    if (ch.defaultNext() == null) {
      throw new StatesError(StatesError.NO_CHOICE_MATCHED, "No Matches!");
    }
    return CompletableFuture.completedFuture(new Step(
        Payloads.passOn(ch, c, effective, ch.common().output(), ch.common().assign()), ch.defaultNext()));
  }

  private static boolean matches(ChoiceRule r, PathScope scope, StateContext c) {
    switch (r.kind()) {
      case AND:
        for (ChoiceRule k : r.children()) {
          if (!matches(k, scope, c)) {
            return false;
          }
        }
        return true;
      case OR:
        for (ChoiceRule k : r.children()) {
          if (matches(k, scope, c)) {
            return true;
          }
        }
        return false;
      case NOT:
        return !matches(r.children().get(0), scope, c);
      case CONDITION:
        return condition(r.condition(), c);
      default:
        return compare(r, scope);
    }
  }

  /** A JSONata Condition (or a literal boolean), which must give a boolean. */
  private static boolean condition(JsonNode cond, StateContext c) {
    boolean expression = cond != null && JsonataSupport.isExpression(cond);
    JsonNode v = expression ? JsonataSupport.evaluateTemplate(cond, c, "Condition") : cond;
    if (v == null || !v.isBoolean()) {
      String expr = expression ? JsonataSupport.expressionOf(cond.textValue()) : JsonValues.write(cond);
      throw StatesError.queryEvaluation("The JSONata expression '" + expr
          + "' specified for the field 'Condition' returned an unexpected result type. Expected 'boolean', "
          + "but was '" + JsonValues.typeName(v) + "' for value: " + JsonValues.write(v));
    }
    return v.booleanValue();
  }

  /** A comparison: the Variable's value (none when its path selects nothing) against the operand. */
  private static boolean compare(ChoiceRule r, PathScope scope) {
    JsonNode v;
    try {
      v = Sampler.select(r.variable(), scope);
    } catch (PathNotFoundException | StatesError e) {
      v = null;
    } catch (com.jayway.jsonpath.InvalidPathException e) {
      throw StatesError.runtime("Invalid path '" + r.variable() + "' : " + e.getMessage());
    }
    JsonNode operand = r.operand();
    if (v != null && r.operator().endsWith("Path")) {
      try {
        operand = Sampler.select(operand.asText(), scope);
      } catch (PathNotFoundException | StatesError e) {
        // An operand path that selects nothing matches nothing.
        return false;
      }
    }
    return ChoiceOperators.test(r.operator(), v, operand);
  }
}
