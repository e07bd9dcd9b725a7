package io.conveyor.asl.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conveyor.asl.json.JsonValues;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command-line runner with Lambda stand-ins. */
class RunStateMachineTest {

  private static final String DEFINITION = """
      {"StartAt":"Call","States":{"Call":{"Type":"Task",
        "Resource":"arn:aws:lambda:us-east-1:123456789012:function:greet","ResultPath":"$.greeting","End":true}}}""";

  @Test
  void run_returnStandIn_printsOutputAndHistory(@TempDir Path dir) throws Exception {
    Path def = Files.writeString(dir.resolve("sm.json"), DEFINITION);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = RunStateMachine.run(new String[] {def.toString(), "--input", "{\"who\":\"x\"}", "--lambda",
        "greet=return:{\"hi\":1}", "--history"}, new PrintStream(out), new PrintStream(err));
    assertEquals(0, code);
    assertEquals(JsonValues.parse("{\"who\":\"x\",\"greeting\":{\"hi\":1}}"), JsonValues.parse(out.toString(StandardCharsets.UTF_8)));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("LambdaFunctionSucceeded"));
  }

  @Test
  void run_raiseStandIn_printsErrorAndExitsOne(@TempDir Path dir) throws Exception {
    Path def = Files.writeString(dir.resolve("sm.json"), DEFINITION);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int code = RunStateMachine.run(new String[] {def.toString(), "--lambda", "greet=raise:Nope:it broke"},
        new PrintStream(out), new PrintStream(new ByteArrayOutputStream()));
    assertEquals(1, code);
    var result = JsonValues.parse(out.toString(StandardCharsets.UTF_8));
    assertEquals("Nope", result.get("error").asText());
    assertEquals("{\"errorMessage\":\"it broke\",\"errorType\":\"Nope\"}", result.get("cause").asText());
  }
}
