package io.conveyor.asl.path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.conveyor.asl.engine.StatesError;
import io.conveyor.asl.json.JsonValues;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The States.* intrinsic functions: what each gives, and the States.IntrinsicFailure of a bad call. */
class IntrinsicsTest {

  private static final Scope SCOPE = Scope.of("""
      {"name":"Ada","n":3,"list":[1,2,2,"2",{"a":1},{"a":1}],"text":"a,b;;c","json":"{\\"k\\":[1]}",
       "o1":{"a":1,"b":{"x":1}},"o2":{"b":{"y":2},"c":3}}""");

  private static JsonNode eval(String call) {
    return Intrinsics.evaluate(call, SCOPE);
  }

  @ParameterizedTest(name = "{0} = {1}")
  @CsvSource(delimiter = '|', value = {
      "States.Format('Hello, {}! n={}', $.name, $.n)|'\"Hello, Ada! n=3\"'",
      "States.Format('\\{} is literal, {} is not', $.n)|'\"{} is literal, 3 is not\"'",
      "States.Format('{}', $.o1)|'\"{a=1, b={x=1}}\"'",
      "States.StringToJson($.json)|'{\"k\":[1]}'",
      "States.JsonToString($.o1)|'\"{\\\"a\\\":1,\\\"b\\\":{\\\"x\\\":1}}\"'",
      "States.Array($.n, 'x', States.Array())|'[3,\"x\",[]]'",
      "States.ArrayPartition(States.ArrayRange(1, 5, 1), 2)|'[[1,2],[3,4],[5]]'",
      "States.ArrayContains($.list, '2')|true",
      "States.ArrayContains($.list, 7)|false",
      "States.ArrayRange(10, 1, -4)|'[10,6,2]'",
      "States.ArrayGetItem($.list, 4)|'{\"a\":1}'",
      "States.ArrayLength($.list)|6",
      "States.ArrayUnique($.list)|'[1,2,\"2\",{\"a\":1}]'",
      "States.Base64Encode('Ada ✓')|'\"QWRhIOKckw==\"'",
      "States.Base64Decode('QWRhIOKckw==')|'\"Ada ✓\"'",
      "States.Hash('abc', 'SHA-256')|'\"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad\"'",
      "States.Hash($.n, 'MD5')|'\"eccbc87e4b5ce2fe28308fd9f2a7baf3\"'",
      "States.JsonMerge($.o1, $.o2, false)|'{\"a\":1,\"b\":{\"y\":2},\"c\":3}'",
      "States.MathAdd($.n, -1)|2",
      "States.MathAdd(1.5, 1)|3",
      "States.MathAdd(-3.5, 0)|-3",
      "States.StringSplit($.text, ',;')|'[\"a\",\"b\",\"c\"]'",
      "States.MathAdd($v.n, $$.State.RetryCount)|7"})
  void evaluate_givesWhatTheFunctionMeans(String call, String expected) {
    JsonNode value = eval(call);
    // Numbers compare by value (2 is 2, whether an int or a long node), as the conformance cases compare them.
    assertTrue(JsonValues.valueEquals(JsonValues.parse(expected), value), "expected " + expected + ", got " + value);
  }

  @Test
  void mathRandom_staysWithinItsRange_andIsRepeatableWithASeed() {
    for (int i = 0; i < 50; i++) {
      long v = eval("States.MathRandom(5, 8)").longValue();
      assertTrue(v >= 5 && v < 8, "got " + v);
    }
    assertEquals(eval("States.MathRandom(0, 1000, 42)"), eval("States.MathRandom(0, 1000, 42)"));
  }

  @Test
  void uuid_isARandomVersion4Uuid() {
    String a = eval("States.UUID()").textValue();
    assertTrue(a.matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"), a);
    assertTrue(!a.equals(eval("States.UUID()").textValue()));
  }

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource(delimiter = '|', value = {
      "States.ArrayLength($.name)|The first argument of States.ArrayLength must be an array, but was: string.",
      "States.ArrayGetItem($.list, 6)|The index 6 is out of bounds for the array of length 6.",
      "States.ArrayPartition($.list, 0)|The chunk size of States.ArrayPartition must be greater than 0, but was: 0.",
      "States.ArrayRange(1, 2, 0)|The step of States.ArrayRange must not be 0.",
      "States.ArrayRange(0, 1001, 1)|The array produced by States.ArrayRange exceeds the maximum of 1000 items.",
      "States.Format('{} {}', 1)|Number of arguments in States.Format does not match the number of '{}' in the format string.",
      "States.StringToJson('{nope')|Invalid JSON string passed to States.StringToJson: {nope",
      "States.Hash('x', 'SHA-3')|The hash algorithm 'SHA-3' is not supported. Supported algorithms are: MD5, SHA-1, SHA-256, SHA-384, SHA-512.",
      "States.JsonMerge($.o1, $.o2, true)|States.JsonMerge does not support deep merging: the third argument must be false.",
      "States.MathRandom(5, 5)|The end of States.MathRandom must be greater than its start.",
      "States.MathAdd('1', 2)|The first argument of States.MathAdd must be a number, but was: string.",
      "States.UUID(1)|Invalid number of arguments for States.UUID: expected 0 but got 1.",
      "States.Nope()|The function 'States.Nope' is not supported."})
  void aBadCall_failsWithStatesIntrinsicFailure_andSaysWhy(String call, String message) {
    StatesError e = assertThrows(StatesError.class, () -> eval(call));
    assertEquals(StatesError.INTRINSIC_FAILURE, e.error());
    assertEquals(message, e.errorCause());
    assertTrue(e.stateScoped(), "the state's name and entered event are put before it");
  }

  @Test
  void aCallThatDoesNotParse_isRejected() {
    assertThrows(IllegalArgumentException.class, () -> Intrinsics.validate("States.Format('x'"));
    assertThrows(IllegalArgumentException.class, () -> Intrinsics.validate("States.Array(1) trailing"));
  }
}
