package io.conveyor.asl.engine.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.conveyor.asl.json.JsonValues;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The Choice comparison operators, as pure functions of the Variable's value and the operand. */
class ChoiceOperatorsTest {

  private static JsonNode json(String text) {
    return JsonValues.parse(text);
  }

  private static boolean test(String operator, String value, String operand) {
    return ChoiceOperators.test(operator, value == null ? null : json(value), json(operand));
  }

  @ParameterizedTest(name = "{1} {0} {2} is {3}")
  @CsvSource(delimiter = '|', value = {
      "StringEquals|'\"a\"'|'\"a\"'|true",
      "StringEquals|'\"a\"'|'\"b\"'|false",
      "StringLessThan|'\"a\"'|'\"b\"'|true",
      "StringLessThan|'\"b\"'|'\"a\"'|false",
      "StringGreaterThan|'\"b\"'|'\"a\"'|true",
      "StringLessThanEquals|'\"a\"'|'\"a\"'|true",
      "StringGreaterThanEquals|'\"a\"'|'\"b\"'|false",
      "NumericEquals|1|1.0|true",
      "NumericEquals|1|2|false",
      "NumericLessThan|1|1.5|true",
      "NumericLessThan|2|1.5|false",
      "NumericGreaterThan|10000000000000000000000|1|true",
      "NumericLessThanEquals|1.5|1.5|true",
      "NumericGreaterThanEquals|1|2|false",
      "BooleanEquals|true|true|true",
      "BooleanEquals|true|false|false",
      "TimestampEquals|'\"2016-03-14T01:59:00Z\"'|'\"2016-03-14T02:59:00+01:00\"'|true",
      "TimestampLessThan|'\"2016-03-14T01:59:00Z\"'|'\"2016-03-14T01:59:00.001Z\"'|true",
      "TimestampGreaterThan|'\"2016-03-14T01:59:00Z\"'|'\"2016-03-14T01:59:00.001Z\"'|false",
      "TimestampLessThanEquals|'\"2016-03-14T01:59:00Z\"'|'\"2016-03-14T01:59:00Z\"'|true",
      "TimestampGreaterThanEquals|'\"2017-01-01T00:00:00Z\"'|'\"2016-03-14T01:59:00Z\"'|true"})
  void comparison_ordersValuesOfItsOwnType(String operator, String value, String operand, boolean expected) {
    assertEquals(expected, test(operator, value, operand));
    assertEquals(expected, test(operator + "Path", value, operand), "the Path form, its operand resolved");
  }

  @ParameterizedTest
  @ValueSource(strings = {"Equals", "LessThan", "GreaterThan", "LessThanEquals", "GreaterThanEquals"})
  void comparison_ofValuesOfAnotherType_isFalseWhateverTheOrder(String comparison) {
    assertFalse(test("String" + comparison, "1", "\"1\""));
    assertFalse(test("String" + comparison, "\"1\"", "1"));
    assertFalse(test("Numeric" + comparison, "\"1\"", "2"));
    assertFalse(test("Numeric" + comparison, "2", "\"1\""));
    assertFalse(test("Timestamp" + comparison, "\"not a time\"", "\"2016-03-14T01:59:00Z\""));
    assertFalse(test("Timestamp" + comparison, "\"2016-03-14T01:59:00Z\"", "\"2016-03-14 01:59:00Z\""));
  }

  @Test
  void booleanEquals_doesNotTakeStringsForBooleans() {
    assertFalse(test("BooleanEquals", "\"true\"", "true"));
  }

  @Test
  void isPresent_isTheOnlyOperatorThatMatchesAMissingValue() {
    assertTrue(test("IsPresent", null, "false"));
    assertFalse(test("IsPresent", null, "true"));
    assertTrue(test("IsPresent", "null", "true"));
    assertFalse(test("IsNull", null, "false"));
    assertFalse(test("StringEquals", null, "\"a\""));
  }

  @ParameterizedTest(name = "{0}({1}) is {2}")
  @CsvSource(delimiter = '|', value = {
      "IsNull|null|true", "IsNull|0|false",
      "IsNumeric|1.5|true", "IsNumeric|'\"1\"'|false",
      "IsString|'\"x\"'|true", "IsString|true|false",
      "IsBoolean|false|true", "IsBoolean|'\"false\"'|false",
      "IsTimestamp|'\"2016-03-14T01:59:00Z\"'|true", "IsTimestamp|'\"2016-03-14\"'|false", "IsTimestamp|1|false"})
  void typeTest_matchesWhenTheTypeIsWhatTheOperandSays(String operator, String value, boolean isOfType) {
    assertEquals(isOfType, test(operator, value, "true"));
    assertEquals(!isOfType, test(operator, value, "false"));
  }

  @Test
  void unknownOperator_matchesNothing() {
    assertFalse(test("StringSoundsLike", "\"a\"", "\"a\""));
  }

  @ParameterizedTest(name = "{0} ~ {1} is {2}")
  @CsvSource(delimiter = '|', value = {
      "*.log|app.log|true",
      "*.log|app.log.1|false",
      "a*b*c|aXXbYYc|true",
      "a*b*c|acb|false",
      "*|''|true",
      "''|''|true",
      "a\\*b|a*b|true",
      "a\\*b|aXb|false",
      "a\\\\*|a\\tail|true",
      "a.c|abc|false",
      "(x)+|(x)+|true"})
  void stringMatches_starIsAnyRun_backslashEscapes_everythingElseLiteral(String pattern, String s,
      boolean expected) {
    assertEquals(expected, ChoiceOperators.globMatches(pattern, s));
    assertEquals(expected, test("StringMatches", JsonValues.write(JsonValues.NODES.textNode(s)),
        JsonValues.write(JsonValues.NODES.textNode(pattern))));
  }

  @Test
  void stringMatches_starRunsAcrossLineBreaks() {
    assertTrue(ChoiceOperators.globMatches("line*end", "line\nmiddle\nend"));
  }
}
