package io.conveyor.asl.engine.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.conveyor.asl.engine.StatesError;
import io.conveyor.asl.json.JsonValues;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Wait: a timer for Seconds or until a Timestamp, holding no thread, ended early by a stop. */
class WaitHandlerTest {

  private final Harness h = new Harness();

  private static String waiting(String fields) {
    return "{\"StartAt\":\"W\",\"States\":{\"W\":{\"Type\":\"Wait\"," + fields + ",\"End\":true}}}";
  }

  @Test
  void seconds_setsATimer_andTheStateEndsWhenItFires() {
    CompletableFuture<JsonNode> out = h.run(waiting("\"Seconds\":90"), "{\"x\":1}");
    assertEquals(List.of(90_000L), h.timer.waiting());
    assertFalse(out.isDone());
    h.timer.fireNext();
    assertEquals(JsonValues.parse("{\"x\":1}"), out.join());
  }

  @Test
  void timestamp_waitsUntilThen_byTheEnginesClock() {
    h.run(waiting("\"TimestampPath\":\"$.until\""), "{\"until\":\"2026-01-01T00:01:00+00:00\"}");
    assertEquals(List.of(60_000L), h.timer.waiting(), "the clock says " + Harness.NOW);
  }

  @Test
  void aTimestampInThePast_doesNotWait() {
    JsonNode out = h.run(waiting("\"Timestamp\":\"2020-01-01T00:00:00Z\""), "{}").join();
    assertEquals(JsonValues.object(), out);
    assertEquals(List.of(), h.timer.delays());
  }

  @Test
  void aSecondsPathToANegativeNumber_isAStatesRuntimeError() {
    StatesError e = Harness.failure(h.run(waiting("\"SecondsPath\":\"$.s\""), "{\"s\":-1}"));
    assertEquals(StatesError.RUNTIME, e.error());
    assertTrue(e.errorCause().endsWith("The SecondsPath parameter references a negative value: $.s == -1"),
        e.errorCause());
  }

  @Test
  void stoppingTheExecution_endsTheWait() {
    CompletableFuture<JsonNode> out = h.run(waiting("\"Seconds\":3600"), "{}");
    h.execution.stop();
    assertEquals(StatesError.ABORTED, Harness.failure(out).error());
  }
}
