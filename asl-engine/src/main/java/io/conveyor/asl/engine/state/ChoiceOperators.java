package io.conveyor.asl.engine.state;

import com.fasterxml.jackson.databind.JsonNode;
import io.conveyor.asl.json.JsonValues;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BiPredicate;
import java.util.function.IntPredicate;
import java.util.function.ToIntBiFunction;
import java.util.regex.Pattern;

/**
 * The Choice state's comparison operators as pure functions of the Variable's value and the operand. A
 * comparison between values of other types than the operator's (a string against a number) is false, never an
 * error, as on AWS.
 */
public final class ChoiceOperators {

  /** What a comparison family answers when its two values cannot be compared. */
  private static final int INCOMPARABLE = Integer.MIN_VALUE;

  /** Every operator by name; a {@code ...Path} operator maps to the same test, its operand already resolved. */
  private static final Map<String, BiPredicate<JsonNode, JsonNode>> OPERATORS = operators();

  private ChoiceOperators() {
  }

  /**
   * Applies a Choice Rule's operator.
   *
   * @param operator the rule's operator, e.g. {@code StringEquals}, {@code NumericLessThanPath}, {@code IsNull}
   * @param value the Variable's value, or null when the Variable's path selects nothing
   * @param operand the operand (for a {@code ...Path} operator, the value its path selected)
   * @return whether the rule matches; false for an unknown operator
   */
  public static boolean test(String operator, JsonNode value, JsonNode operand) {
    if (operator.equals("IsPresent")) {
      return (value != null) == operand.asBoolean();
    }
    if (value == null) {
      return false;
    }
    BiPredicate<JsonNode, JsonNode> op = OPERATORS.get(operator);
    return op != null && op.test(value, operand);
  }

  /** StringMatches: {@code *} matches any run of characters; {@code \*} and {@code \\} are literal. */
  public static boolean globMatches(String pattern, String s) {
    StringBuilder re = new StringBuilder();
    for (int i = 0; i < pattern.length(); i++) {
      char ch = pattern.charAt(i);
      if (ch == '\\' && i + 1 < pattern.length()) {
        re.append(Pattern.quote(String.valueOf(pattern.charAt(++i))));
      } else if (ch == '*') {
        re.append(".*");
      } else {
        re.append(Pattern.quote(String.valueOf(ch)));
      }
    }
    return Pattern.compile(re.toString(), Pattern.DOTALL).matcher(s).matches();
  }

  private static Map<String, BiPredicate<JsonNode, JsonNode>> operators() {
    Map<String, BiPredicate<JsonNode, JsonNode>> m = new HashMap<>();
    m.put("IsNull", (v, o) -> v.isNull() == o.asBoolean());
    m.put("IsNumeric", (v, o) -> v.isNumber() == o.asBoolean());
    m.put("IsString", (v, o) -> v.isTextual() == o.asBoolean());
    m.put("IsBoolean", (v, o) -> v.isBoolean() == o.asBoolean());
    m.put("IsTimestamp", (v, o) -> (v.isTextual() && Rfc3339.parse(v.textValue()) != null) == o.asBoolean());
    ordered(m, "String", (v, o) -> v.isTextual() && o.isTextual()
        ? Integer.signum(v.textValue().compareTo(o.textValue())) : INCOMPARABLE);
    ordered(m, "Numeric", (v, o) -> v.isNumber() && o.isNumber()
        ? Integer.signum(JsonValues.compareNumbers(v, o)) : INCOMPARABLE);
    ordered(m, "Timestamp", ChoiceOperators::compareTimestamps);
    withPath(m, "StringMatches",
        (v, o) -> v.isTextual() && o.isTextual() && globMatches(o.textValue(), v.textValue()));
    withPath(m, "BooleanEquals", (v, o) -> v.isBoolean() && o.isBoolean() && v.booleanValue() == o.booleanValue());
    return Map.copyOf(m);
  }

  /** The five comparisons of a family (Equals, LessThan, ...) from its three-way comparison. */
  private static void ordered(Map<String, BiPredicate<JsonNode, JsonNode>> m, String family,
      ToIntBiFunction<JsonNode, JsonNode> compare) {
    comparison(m, family + "Equals", compare, c -> c == 0);
    comparison(m, family + "LessThan", compare, c -> c < 0);
    comparison(m, family + "GreaterThan", compare, c -> c > 0);
    comparison(m, family + "LessThanEquals", compare, c -> c <= 0);
    comparison(m, family + "GreaterThanEquals", compare, c -> c >= 0);
  }

  private static void comparison(Map<String, BiPredicate<JsonNode, JsonNode>> m, String name,
      ToIntBiFunction<JsonNode, JsonNode> compare, IntPredicate holds) {
    withPath(m, name, (v, o) -> {
      int c = compare.applyAsInt(v, o);
      return c != INCOMPARABLE && holds.test(c);
    });
  }

  private static void withPath(Map<String, BiPredicate<JsonNode, JsonNode>> m, String name,
      BiPredicate<JsonNode, JsonNode> test) {
    m.put(name, test);
    m.put(name + "Path", test);
  }

  private static int compareTimestamps(JsonNode v, JsonNode o) {
    Instant a = v.isTextual() ? Rfc3339.parse(v.textValue()) : null;
    Instant b = o.isTextual() ? Rfc3339.parse(o.textValue()) : null;
    return a == null || b == null ? INCOMPARABLE : Integer.signum(a.compareTo(b));
  }
}
