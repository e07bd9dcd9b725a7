package io.conveyor.asl.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conveyor.asl.definition.DefinitionParser;
import io.conveyor.asl.json.JsonValues;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * AWS's 256 KiB limit on execution input, state output and task results (States.DataLimitExceeded), including
 * outputs built from values that were within the limit on their own.
 */
class PayloadLimitTest {

  private static final String ARN = "arn:aws:states:us-east-1:123456789012:stateMachine:limits";
  /** 150 KiB: within the limit alone, over it twice. */
  private static final String HALF = "x".repeat(150 * 1024);

  private static Execution run(String definition, JsonNode input, JsonNode taskResult) throws Exception {
    try (Engine engine = Engine.builder()
        .taskExecutor(r -> CompletableFuture.completedFuture(taskResult)).build()) {
      Execution e = engine.start(DefinitionParser.parse(JsonValues.parse(definition)), ARN, null, input);
      e.completion().get(10, TimeUnit.SECONDS);
      return e;
    }
  }

  private static ObjectNode half() {
    return JsonValues.object().put("s", HALF);
  }

  private static void assertLimitExceeded(Execution e, String cause) {
    assertEquals(ExecutionStatus.FAILED, e.status());
    assertEquals("States.DataLimitExceeded", e.error());
    assertEquals(cause, e.cause());
  }

  @Test
  void aValueWithinTheLimit_passedOnByPassAndChoice_succeedsUnchanged() throws Exception {
    Execution e = run("""
        {"StartAt":"P","States":{
          "P":{"Type":"Pass","Next":"C"},
          "C":{"Type":"Choice","Choices":[{"Variable":"$.s","IsPresent":true,"Next":"Done"}]},
          "Done":{"Type":"Succeed"}}}""", half(), null);
    assertEquals(ExecutionStatus.SUCCEEDED, e.status());
    assertEquals(half(), e.output());
  }

  @Test
  void aPassOutputBuiltFromAnInputWithinTheLimit_failsWhenItExceedsIt() throws Exception {
    Execution e = run("""
        {"StartAt":"Twice","States":{
          "Twice":{"Type":"Pass","Parameters":{"a.$":"$.s","b.$":"$.s"},"End":true}}}""", half(), null);
    assertLimitExceeded(e,
        "The state/task 'Twice' returned a result with a size exceeding the maximum number of bytes service limit.");
  }

  @Test
  void aTaskResultWithinTheLimit_failsWhenResultPathAddsItToAnInputThatThenExceedsIt() throws Exception {
    Execution e = run("""
        {"StartAt":"Work","States":{
          "Work":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:f",
            "ResultPath":"$.result","End":true}}}""", half(), half());
    assertLimitExceeded(e,
        "The state/task 'Work' returned a result with a size exceeding the maximum number of bytes service limit.");
  }

  @Test
  void aTaskResultTakenWhole_succeedsWithinTheLimit_andFailsOverIt() throws Exception {
    String definition = """
        {"StartAt":"Work","States":{
          "Work":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:f","End":true}}}""";
    Execution within = run(definition, JsonValues.object(), half());
    assertEquals(ExecutionStatus.SUCCEEDED, within.status());
    assertEquals(half(), within.output());

    Execution over = run(definition, JsonValues.object(), half().put("t", HALF));
    assertLimitExceeded(over,
        "The state/task 'Work' returned a result with a size exceeding the maximum number of bytes service limit.");
  }

  @Test
  void anExecutionInputOverTheLimit_fails() throws Exception {
    Execution e = run("""
        {"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}""", half().put("t", HALF), null);
    assertLimitExceeded(e, "The state/task input exceeds the maximum number of bytes service limit.");
  }
}
