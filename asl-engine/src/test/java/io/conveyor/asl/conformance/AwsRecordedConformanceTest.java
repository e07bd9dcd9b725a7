package io.conveyor.asl.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.conveyor.asl.definition.DefinitionParser;
import io.conveyor.asl.definition.InvalidDefinitionException;
import io.conveyor.asl.definition.StateMachineDefinition;
import io.conveyor.asl.engine.Engine;
import io.conveyor.asl.engine.Execution;
import io.conveyor.asl.json.JsonValues;
import io.conveyor.asl.task.TaskDispatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs every AWS-recorded case (bundled, or from {@code -Dasl.conformance.dir=...}) as its own test named by the
 * case's name, and checks status, output, error and cause exactly as AWS recorded them.
 */
class AwsRecordedConformanceTest {

  /** Waits and retry intervals run 100 times faster; timing is not part of any expectation. */
  private static final double TIME_SCALE = 0.01;

  static Stream<Arguments> cases() {
    return ConformanceCases.load().stream()
        .map(c -> Arguments.of(Named.of(c.get("name").asText(), c)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void behavesLikeAws(JsonNode c) throws Exception {
    JsonNode expected = c.get("expected");
    StateMachineDefinition program;
    try {
      program = DefinitionParser.parse(c.get("definition"));
    } catch (InvalidDefinitionException e) {
      fail("definition rejected: " + e.getMessage());
      return;
    }
    try (TaskDispatcher tasks = new TaskDispatcher(new StandInLambdas(c.get("lambdas")));
        Engine engine = Engine.builder().timeScale(TIME_SCALE).taskExecutor(tasks).workers(2)
            .account("111111111111").build()) {
      JsonNode input = c.has("input") ? c.get("input") : JsonValues.object();
      Execution e = engine.start(program, "arn:aws:states:us-east-1:111111111111:stateMachine:conformance", null,
          input);
      e.completion().get(30, TimeUnit.SECONDS);
      String status = expected.get("status").asText();
      String detail = "error=" + e.error() + " cause=" + e.cause() + " output="
          + (e.output() == null ? null : JsonValues.write(e.output()));
      assertEquals(status, e.status().name(), detail);
      if (status.equals("SUCCEEDED")) {
        List<String> ignore = new ArrayList<>();
        c.path("compare").path("ignore_keys").forEach(k -> ignore.add(k.asText()));
        JsonNode actual = ConformanceCases.withoutKeys(e.output(), ignore);
        JsonNode want = expected.get("output");
        assertTrue(JsonValues.valueEquals(want, actual), "output: expected " + JsonValues.write(want) + " but was "
            + JsonValues.write(actual));
      } else {
        assertEquals(expected.has("error") ? expected.get("error").asText() : null, e.error(), detail);
        if (expected.path("cause_is_json").asBoolean(false)) {
          assertTrue(JsonValues.valueEquals(expected.get("cause"), JsonValues.parse(e.cause())), detail);
        } else {
          assertEquals(expected.has("cause") ? expected.get("cause").asText() : null, e.cause(), detail);
        }
      }
    }
  }
}
