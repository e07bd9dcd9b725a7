package io.conveyor.asl.path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.conveyor.asl.engine.StatesError;
import io.conveyor.asl.json.JsonValues;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** JSONPath as the States Language uses it: selecting, ResultPath's reference paths, payload templates. */
class JsonPathsTest {

  private static final JsonNode DOC = JsonValues.parse("""
      {"a":{"b":1,"c":[{"x":1},{"x":2}]},"list":[{"k":"p","v":1},{"k":"q","v":2}],"odd key":true}""");

  @Test
  void read_dollar_isTheDocumentItself() {
    assertSame(DOC, JsonPaths.read("$", DOC));
  }

  @Test
  void read_aDefinitePath_selectsOneValue_orFailsWhenThereIsNone() {
    assertEquals(JsonValues.parse("1"), JsonPaths.read("$.a.b", DOC));
    assertEquals(JsonValues.parse("{\"x\":2}"), JsonPaths.read("$.a.c[1]", DOC));
    assertEquals(JsonValues.parse("true"), JsonPaths.read("$['odd key']", DOC));
    assertThrows(PathNotFoundException.class, () -> JsonPaths.read("$.a.missing", DOC));
  }

  @Test
  void read_anIndefinitePath_selectsAList_emptyWhenNothingMatches() {
    assertEquals(JsonValues.parse("[1,2]"), JsonPaths.read("$.a.c[*].x", DOC));
    assertEquals(JsonValues.parse("[2]"), JsonPaths.read("$.list[?(@.k == 'q')].v", DOC));
    assertEquals(JsonValues.parse("[1,2]"), JsonPaths.read("$..x", DOC));
    assertEquals(JsonValues.parse("[]"), JsonPaths.read("$.list[?(@.k == 'z')]", DOC));
  }

  @ParameterizedTest
  @ValueSource(strings = {"$", "$.a", "$.a.b", "$['odd key']", "$.a.c[0]", "$.a.c[1].x"})
  void isReferencePath_acceptsPathsToOnePlace(String path) {
    assertTrue(JsonPaths.isReferencePath(path));
  }

  @ParameterizedTest
  @ValueSource(strings = {"$..x", "$.a.c[*]", "$.list[?(@.k == 'q')]", "a.b", "$.a[0:1]"})
  void isReferencePath_rejectsPathsThatMaySelectSeveralPlaces(String path) {
    assertFalse(JsonPaths.isReferencePath(path));
  }

  @Test
  void write_createsTheMissingObjects_andLeavesTheInputUnchanged() {
    JsonNode before = DOC.deepCopy();
    JsonNode out = JsonPaths.write("$.a.new.deep", DOC, JsonValues.parse("\"v\""));
    assertEquals("v", out.path("a").path("new").path("deep").asText());
    assertEquals(before, DOC, "the input is never changed");
    assertSame(DOC.get("list"), out.get("list"), "what is off the path is shared, not copied");
  }

  @Test
  void write_replacesAnArrayElement_butCannotGrowAnArrayOrNameAFieldOfOne() {
    JsonNode out = JsonPaths.write("$.a.c[0]", DOC, JsonValues.parse("0"));
    assertEquals(JsonValues.parse("[0,{\"x\":2}]"), out.path("a").path("c"));
    assertNull(JsonPaths.write("$.a.c[5]", DOC, JsonValues.parse("0")));
    assertNull(JsonPaths.write("$.list.field", DOC, JsonValues.parse("0")));
  }

  @Test
  void write_throughAValueThatIsNotAContainer_replacesItWithAnObject() {
    JsonNode out = JsonPaths.write("$.a.b.under", DOC, JsonValues.parse("0"));
    assertEquals(JsonValues.parse("{\"under\":0}"), out.path("a").path("b"));
  }

  @Test
  void write_atDollar_givesTheValue() {
    JsonNode value = JsonValues.parse("{\"only\":1}");
    assertSame(value, JsonPaths.write("$", DOC, value));
  }

  @Test
  void select_readsTheContextObjectAndVariables() {
    Scope scope = Scope.of("{\"in\":1}");
    assertEquals(JsonValues.parse("2"), Sampler.select("$$.State.RetryCount", scope));
    assertEquals(JsonValues.parse("5"), Sampler.select("$v.n", scope));
    assertEquals(JsonValues.parse("2"), Sampler.select("$v.list[1]", scope));
    assertEquals(JsonValues.parse("1"), Sampler.select("$.in", scope));
    StatesError e = assertThrows(StatesError.class, () -> Sampler.select("$nope.x", scope));
    assertEquals(StatesError.RUNTIME, e.error());
    assertEquals("Invalid path '$nope.x': The variable 'nope' is not defined.", e.errorCause());
  }

  @Test
  void payloadTemplate_evaluatesDollarKeys_andKeepsEverythingElse() {
    Scope scope = Scope.of("{\"name\":\"Ada\",\"n\":2}");
    JsonNode out = PayloadTemplate.evaluate(JsonValues.parse("""
        {"literal":"$.name","who.$":"$.name","nested":{"retry.$":"$$.State.RetryCount","v.$":"$v.n"},
         "list":[{"sum.$":"States.MathAdd($.n, 1)"}]}"""), scope);
    assertTrue(JsonValues.valueEquals(JsonValues.parse("""
        {"literal":"$.name","who":"Ada","nested":{"retry":2,"v":5},"list":[{"sum":3}]}"""), out), out.toString());
  }

  @Test
  void payloadTemplate_aPathThatSelectsNothing_isAStatesRuntimeErrorNamingTheField() {
    StatesError e = assertThrows(StatesError.class,
        () -> PayloadTemplate.evaluate(JsonValues.parse("{\"x.$\":\"$.missing\"}"), Scope.of("{\"in\":1}")));
    assertEquals(StatesError.RUNTIME, e.error());
    assertEquals("The JSONPath '$.missing' specified for the field 'x.$' could not be found in the input "
        + "'{\"in\":1}'", e.errorCause());
  }
}
