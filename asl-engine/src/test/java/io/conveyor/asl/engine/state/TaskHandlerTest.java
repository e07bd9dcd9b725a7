package io.conveyor.asl.engine.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.conveyor.asl.engine.StatesError;
import io.conveyor.asl.json.JsonValues;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Task: its events, callbacks (waitForTaskToken, heartbeats) and timeouts. */
class TaskHandlerTest {

  private final Harness h = new Harness();

  private static String callbackTask(String extra) {
    return """
        {"StartAt":"T","States":{"T":{"Type":"Task","End":true,%s
          "Resource":"arn:aws:states:::lambda:invoke.waitForTaskToken",
          "Parameters":{"FunctionName":"f","Payload":{"token.$":"$$.Task.Token"}}}}}""".formatted(extra);
  }

  private String submittedToken() {
    assertEquals(1, h.requests.size());
    String token = h.requests.get(0).taskToken();
    assertNotNull(token);
    assertEquals(token, h.requests.get(0).parameters().path("Payload").path("token").asText(),
        "the arguments carry $$.Task.Token");
    return token;
  }

  @Test
  void resource_namesItsTypeAndName_inTaskEvents() {
    assertEquals(new TaskHandler.Resource("arn:aws:states:::lambda:invoke", false, "lambda", "invoke"),
        TaskHandler.Resource.of("arn:aws:states:::lambda:invoke"));
    assertEquals(new TaskHandler.Resource("arn:aws:states:::aws-sdk:s3:getObject", false, "aws-sdk:s3",
        "getObject"), TaskHandler.Resource.of("arn:aws:states:::aws-sdk:s3:getObject"));
    assertTrue(TaskHandler.Resource.of("arn:aws:lambda:us-east-1:123456789012:function:f").legacyLambda());
  }

  @Test
  void aLambdaFunctionArn_recordsLambdaFunctionEvents() {
    h.tasks = r -> CompletableFuture.completedFuture(JsonValues.parse("{\"ok\":1}"));
    h.run("""
        {"StartAt":"T","States":{"T":{"Type":"Task","End":true,
          "Resource":"arn:aws:lambda:us-east-1:123456789012:function:f"}}}""", "{}").join();
    assertEquals(List.of("TaskStateEntered", "LambdaFunctionScheduled", "LambdaFunctionStarted",
        "LambdaFunctionSucceeded", "TaskStateExited"), h.events());
  }

  @Test
  void waitForTaskToken_waitsForSendTaskSuccess_andOutputsWhatItSent() {
    h.tasks = r -> CompletableFuture.completedFuture(JsonValues.parse("{\"StatusCode\":200}"));
    CompletableFuture<JsonNode> out = h.run(callbackTask(""), "{}");
    String token = submittedToken();
    assertFalse(out.isDone(), "the task is submitted, not done");
    assertEquals(JsonValues.parse("{\"StatusCode\":200}"), JsonValues.parse(h.details("TaskSubmitted").get("output").asText()),
        "the submission's answer, as AWS writes it: JSON text");
    assertTrue(h.callbacks.succeed(token, JsonValues.parse("{\"done\":true}")));
    assertEquals(JsonValues.parse("{\"done\":true}"), out.join());
    assertFalse(h.callbacks.succeed(token, JsonValues.object()), "a token is good for one answer");
    assertTrue(h.events().contains("TaskSucceeded"));
  }

  @Test
  void waitForTaskToken_failsWithWhatSendTaskFailureSent() {
    h.tasks = r -> CompletableFuture.completedFuture(JsonValues.object());
    CompletableFuture<JsonNode> out = h.run(callbackTask(""), "{}");
    assertTrue(h.callbacks.fail(submittedToken(), "Rejected", "not today"));
    StatesError e = Harness.failure(out);
    assertEquals("Rejected", e.error());
    assertEquals("not today", e.errorCause());
    assertEquals("Rejected", h.details("TaskFailed").get("error").asText());
  }

  @Test
  void heartbeat_restartsTheHeartbeatTimeout_andItsExpiryFailsTheTask() {
    h.tasks = r -> CompletableFuture.completedFuture(JsonValues.object());
    CompletableFuture<JsonNode> out = h.run(callbackTask("\"HeartbeatSeconds\":5,\"TimeoutSeconds\":60,"), "{}");
    String token = submittedToken();
    assertEquals(List.of(5000L, 60000L), h.timer.waiting().stream().sorted().toList());
    assertTrue(h.callbacks.heartbeat(token));
    assertEquals(List.of(5000L, 60000L), h.timer.waiting().stream().sorted().toList(),
        "the old heartbeat timer is cancelled, a new one set");
    assertEquals(List.of(5000L, 60000L, 5000L), h.timer.delays());
    h.timer.fireNext();
    assertEquals(StatesError.HEARTBEAT_TIMEOUT, Harness.failure(out).error());
    assertEquals(StatesError.HEARTBEAT_TIMEOUT, h.details("TaskTimedOut").get("error").asText());
    assertEquals(List.of(), h.timer.waiting(), "the task's timeout is cancelled with it");
    assertFalse(h.callbacks.heartbeat(token), "the token is forgotten");
  }

  @Test
  void timeoutSeconds_failsATaskThatDoesNotAnswerInTime_withStatesTimeout() {
    h.tasks = r -> new CompletableFuture<>();
    CompletableFuture<JsonNode> out = h.run("""
        {"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
          "TimeoutSeconds":3,"End":true}}}""", "{}");
    assertEquals(List.of(3000L), h.timer.waiting());
    assertEquals(1, h.execution.tracked.size(), "a stop would end the wait");
    h.timer.fireNext();
    assertEquals(StatesError.TIMEOUT, Harness.failure(out).error());
    assertEquals(3, h.details("TaskScheduled").get("timeoutInSeconds").asInt());
    assertTrue(h.events().contains("TaskTimedOut"));
    assertEquals(0, h.execution.tracked.size());
  }

  @Test
  void timeoutSecondsPath_takesTheTimeoutFromTheInput_andRejectsOneThatIsNotPositive() {
    h.tasks = r -> new CompletableFuture<>();
    String definition = """
        {"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
          "TimeoutSecondsPath":"$.t","End":true}}}""";
    h.run(definition, "{\"t\":7}");
    assertEquals(List.of(7000L), h.timer.waiting());
    StatesError e = Harness.failure(h.run(definition, "{\"t\":0}"));
    assertEquals(StatesError.RUNTIME, e.error());
    assertTrue(e.errorCause().endsWith(
        "The TimeoutSecondsPath field refers to value 0 which is not a valid positive integer: $.t"), e.errorCause());
  }

  @Test
  void aTaskThatAnswersAtOnce_setsNoTimer() {
    h.tasks = r -> CompletableFuture.completedFuture(JsonValues.object());
    h.run("""
        {"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
          "TimeoutSeconds":3,"End":true}}}""", "{}").join();
    assertEquals(List.of(), h.timer.delays());
  }

  @Test
  void stoppingTheExecution_abortsAWaitingTask_withoutATaskFailedEvent() {
    h.tasks = r -> new CompletableFuture<>();
    CompletableFuture<JsonNode> out = h.run("""
        {"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true,
          "Catch":[{"ErrorEquals":["States.ALL"],"Next":"T"}]}}}""", "{}");
    h.execution.stop();
    assertEquals(StatesError.ABORTED, Harness.failure(out).error());
    assertFalse(h.events().contains("TaskFailed"), h.events().toString());
    assertEquals(1, h.requests.size(), "not caught: the Catch does not run the task again");
  }
}
