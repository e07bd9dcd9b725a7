package io.conveyor.asl.definition;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A Choice rule (top-level rules have {@code next}; nested rules inside And/Or/Not do not).
 *
 * @param kind AND, OR, NOT, COMPARISON or CONDITION (JSONata)
 * @param children operands of And/Or/Not
 * @param variable the {@code Variable} path of a comparison
 * @param operator the comparison operator name, e.g. {@code StringEquals} or {@code NumericLessThanPath}
 * @param operand the comparison value (a path text for *Path operators)
 * @param condition the JSONata {@code Condition} value
 * @param next the next state (top-level rules only)
 * @param assign variables assigned when this rule matches, or null
 * @param output the JSONata Output when this rule matches, or null
 */
public record ChoiceRule(Kind kind, List<ChoiceRule> children, String variable, String operator, JsonNode operand,
    JsonNode condition, String next, JsonNode assign, JsonNode output) {

  /** The shape of a rule. */
  public enum Kind { AND, OR, NOT, COMPARISON, CONDITION }
}
