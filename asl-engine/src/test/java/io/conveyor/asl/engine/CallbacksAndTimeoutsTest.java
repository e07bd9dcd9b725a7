package io.conveyor.asl.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.conveyor.asl.Poll;
import io.conveyor.asl.definition.DefinitionParser;
import io.conveyor.asl.history.HistoryEvent;
import io.conveyor.asl.json.JsonValues;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Callbacks through the engine's API (SendTaskSuccess, SendTaskFailure, SendTaskHeartbeat) and the execution's
 * own TimeoutSeconds, on a time scale of 1/1000 so that seconds pass in milliseconds.
 */
class CallbacksAndTimeoutsTest {
  private static final String ARN = "arn:aws:states:us-east-1:123456789012:stateMachine:callbacks";
  private static final Duration DEADLINE = Duration.ofSeconds(10);

  private final List<String> tokens = new CopyOnWriteArrayList<>();
  private final Engine engine = Engine.builder().timeScale(0.001).taskExecutor(r -> {
    if (r.taskToken() != null) {
      tokens.add(r.taskToken());
      return CompletableFuture.completedFuture(JsonValues.object());
    }
    return new CompletableFuture<>();
  }).build();

  @AfterEach
  void close() {
    engine.close();
  }

  private Execution start(String definition) {
    return engine.start(DefinitionParser.parse(definition), ARN, null, JsonValues.object());
  }

  private static final String CALLBACK = """
      {"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken",
        "Parameters":{"MessageBody.$":"$$.Task.Token"},%s"End":true}}}""";

  private String token() {
    return Poll.until(() -> tokens, t -> !t.isEmpty(), DEADLINE).get(0);
  }

  private static Execution ended(Execution e) {
    return Poll.until(() -> e, x -> x.status() != ExecutionStatus.RUNNING, DEADLINE);
  }

  private static String lastEvent(Execution e) {
    List<HistoryEvent> events = e.history().events();
    return events.get(events.size() - 1).type();
  }

  @Test
  void sendTaskSuccess_endsTheWaitingTask_andTheTokenCannotBeUsedAgain() {
    Execution e = start(CALLBACK.formatted(""));
    String token = token();
    JsonNode result = JsonValues.parse("{\"approved\":true}");
    engine.sendTaskSuccess(token, result);
    assertEquals(ExecutionStatus.SUCCEEDED, ended(e).status());
    assertEquals(result, e.output());
    assertThrows(Engine.TaskDoesNotExistException.class, () -> engine.sendTaskSuccess(token, result));
  }

  @Test
  void sendTaskFailure_failsTheExecution_withTheErrorAndCauseSent() {
    Execution e = start(CALLBACK.formatted(""));
    engine.sendTaskFailure(token(), "Denied", "by a human");
    assertEquals(ExecutionStatus.FAILED, ended(e).status());
    assertEquals("Denied", e.error());
    assertEquals("by a human", e.cause());
  }

  @Test
  void anUnknownToken_isTaskDoesNotExist() {
    assertThrows(Engine.TaskDoesNotExistException.class, () -> engine.sendTaskHeartbeat("no-such-token"));
    assertThrows(Engine.TaskDoesNotExistException.class, () -> engine.sendTaskFailure("no-such-token", "E", "C"));
  }

  @Test
  void withoutHeartbeats_aHeartbeatSecondsTaskTimesOut() {
    Execution e = start(CALLBACK.formatted("\"HeartbeatSeconds\":1,"));
    token();
    assertEquals(ExecutionStatus.FAILED, ended(e).status());
    assertEquals(StatesError.HEARTBEAT_TIMEOUT, e.error());
  }

  @Test
  void stoppingAnExecution_forgetsTheTokenItsTaskWaitsFor() {
    Execution e = start(CALLBACK.formatted(""));
    String token = token();
    assertTrue(engine.stop(e, "Stopped", "by the test"));
    assertEquals(ExecutionStatus.ABORTED, e.status());
    Poll.until(() -> {
      try {
        engine.sendTaskHeartbeat(token);
        return false;
      } catch (Engine.TaskDoesNotExistException gone) {
        return true;
      }
    }, gone -> gone, DEADLINE);
    assertEquals("ExecutionAborted", lastEvent(e));
  }

  @Test
  void anExecutionPastItsTimeoutSeconds_timesOut_andItsWaitingTaskIsAborted() {
    Execution e = engine.start(DefinitionParser.parse("""
        {"TimeoutSeconds":2,"StartAt":"T","States":{
          "T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true}}}"""), ARN, null,
        JsonValues.object());
    assertEquals(ExecutionStatus.TIMED_OUT, ended(e).status());
    assertEquals(StatesError.TIMEOUT, e.error());
    assertEquals("ExecutionTimedOut", lastEvent(e));
    assertTrue(e.history().events().stream().noneMatch(x -> x.type().equals("ExecutionFailed")));
  }

  @Test
  void aTaskPastItsTimeoutSeconds_failsWithStatesTimeout() {
    Execution e = start("""
        {"StartAt":"T","States":{
          "T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","TimeoutSeconds":2,"End":true}}}""");
    assertEquals(ExecutionStatus.FAILED, ended(e).status());
    assertEquals(StatesError.TIMEOUT, e.error());
  }
}
