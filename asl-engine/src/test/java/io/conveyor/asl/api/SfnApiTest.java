package io.conveyor.asl.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conveyor.asl.LocalStepFunctions;
import io.conveyor.asl.Poll;
import io.conveyor.asl.task.LambdaInvoker;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.SdkAdvancedClientOption;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionAlreadyExistsException;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;
import software.amazon.awssdk.services.sfn.model.HistoryEventType;
import software.amazon.awssdk.services.sfn.model.InvalidDefinitionException;
import software.amazon.awssdk.services.sfn.model.StartSyncExecutionResponse;
import software.amazon.awssdk.services.sfn.model.StateMachineDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.SyncExecutionStatus;
import software.amazon.awssdk.services.sfn.model.TaskDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.ValidateStateMachineDefinitionResponse;
import software.amazon.awssdk.services.sfn.model.ValidateStateMachineDefinitionResultCode;

/** The Step Functions HTTP API driven by an unmodified SDK v2 {@link SfnClient}. */
class SfnApiTest {

  private static final Duration DEADLINE = Duration.ofSeconds(10);
  private static final AtomicInteger flakyCalls = new AtomicInteger();
  private static LocalStepFunctions sfn;
  private static SfnClient client;

  @BeforeAll
  static void start() {
    LambdaInvoker inProcess = (name, payload) -> {
      if (name.endsWith("fails")) {
        return LambdaInvoker.LambdaResponse.error("{\"errorType\":\"Boom\",\"errorMessage\":\"bad\"}");
      }
      if (name.endsWith("flaky") && flakyCalls.getAndIncrement() == 0) {
        return LambdaInvoker.LambdaResponse.error("{\"errorType\":\"Transient\",\"errorMessage\":\"once\"}");
      }
      return LambdaInvoker.LambdaResponse.ok(payload);
    };
    sfn = LocalStepFunctions.builder().lambdaInvoker(inProcess).timeScale(0.01).start();
    client = SfnClient.builder().endpointOverride(sfn.endpoint()).region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
        .httpClient(UrlConnectionHttpClient.builder().build())
        // StartSyncExecution prefixes the host with "sync-"; a loopback IP cannot take a prefix.
        .overrideConfiguration(o -> o.putAdvancedOption(SdkAdvancedClientOption.DISABLE_HOST_PREFIX_INJECTION, true))
        .build();
  }

  @AfterAll
  static void stop() {
    client.close();
    sfn.close();
  }

  private static String create(String name, String definition) {
    return client.createStateMachine(b -> b.name(name).definition(definition)
        .roleArn("arn:aws:iam::123456789012:role/r")).stateMachineArn();
  }

  private static DescribeExecutionResponse awaitEnd(String executionArn) {
    return Poll.until(() -> client.describeExecution(b -> b.executionArn(executionArn)),
        d -> d.status() != ExecutionStatus.RUNNING, DEADLINE);
  }

  @Test
  void startExecution_lambdaTask_succeedsWithHistory() {
    String arn = create("echo", """
        {"StartAt":"Call","States":{"Call":{"Type":"Task",
          "Resource":"arn:aws:lambda:us-east-1:123456789012:function:echo","End":true}}}""");
    String exec = client.startExecution(b -> b.stateMachineArn(arn).name("run-1").input("{\"a\":1}"))
        .executionArn();
    DescribeExecutionResponse d = awaitEnd(exec);
    assertEquals(ExecutionStatus.SUCCEEDED, d.status());
    assertEquals("{\"a\":1}", d.output());
    List<HistoryEventType> types = client.getExecutionHistory(b -> b.executionArn(exec)).events().stream()
        .map(HistoryEvent::type).toList();
    assertEquals(List.of(HistoryEventType.EXECUTION_STARTED, HistoryEventType.TASK_STATE_ENTERED,
        HistoryEventType.LAMBDA_FUNCTION_SCHEDULED, HistoryEventType.LAMBDA_FUNCTION_STARTED,
        HistoryEventType.LAMBDA_FUNCTION_SUCCEEDED, HistoryEventType.TASK_STATE_EXITED,
        HistoryEventType.EXECUTION_SUCCEEDED), types);

    List<HistoryEvent> events = client.getExecutionHistory(b -> b.executionArn(exec).includeExecutionData(true))
        .events();
    var entered = events.get(1).stateEnteredEventDetails();
    assertEquals("Call", entered.name());
    assertEquals("{\"a\":1}", entered.input());
    assertEquals(Boolean.FALSE, entered.inputDetails().truncated());
    var exited = events.get(5).stateExitedEventDetails();
    assertEquals("Call", exited.name());
    assertEquals("{\"a\":1}", exited.output());
    assertEquals(Boolean.FALSE, exited.outputDetails().truncated());
  }

  @Test
  void startExecution_sameNameSameInput_returnsSameExecution_differentInputIsRejected() {
    String arn = create("idem", "{\"StartAt\":\"P\",\"States\":{\"P\":{\"Type\":\"Pass\",\"End\":true}}}");
    String first = client.startExecution(b -> b.stateMachineArn(arn).name("job-1").input("{\"x\":1}"))
        .executionArn();
    String second = client.startExecution(b -> b.stateMachineArn(arn).name("job-1").input("{\"x\":1}"))
        .executionArn();
    assertEquals(first, second);
    assertThrows(ExecutionAlreadyExistsException.class,
        () -> client.startExecution(b -> b.stateMachineArn(arn).name("job-1").input("{\"x\":2}")));
  }

  @Test
  void createStateMachine_invalidDefinition_isRejectedAndValidateReportsDiagnostics() {
    String bad = "{\"StartAt\":\"Missing\",\"States\":{\"P\":{\"Type\":\"Pass\",\"Next\":\"Nowhere\"}}}";
    InvalidDefinitionException e = assertThrows(InvalidDefinitionException.class, () -> create("bad", bad));
    assertTrue(e.getMessage().contains("MISSING_TRANSITION_TARGET"), e.getMessage());
    ValidateStateMachineDefinitionResponse v = client.validateStateMachineDefinition(b -> b.definition(bad));
    assertEquals(ValidateStateMachineDefinitionResultCode.FAIL, v.result());
    assertTrue(!v.diagnostics().isEmpty());
  }

  @Test
  void describeExecution_unknownStateMachine_givesAwsErrorCode() {
    assertThrows(StateMachineDoesNotExistException.class, () -> client.startExecution(
        b -> b.stateMachineArn("arn:aws:states:us-east-1:123456789012:stateMachine:nope")));
  }

  @Test
  void startSyncExecution_failingLambda_reportsErrorAndCause() {
    String arn = create("fails", """
        {"StartAt":"Call","States":{"Call":{"Type":"Task",
          "Resource":"arn:aws:states:::lambda:invoke",
          "Parameters":{"FunctionName":"fails","Payload.$":"$"},"End":true}}}""");
    StartSyncExecutionResponse r = client.startSyncExecution(b -> b.stateMachineArn(arn).input("{}"));
    assertEquals(SyncExecutionStatus.FAILED, r.status());
    assertEquals("Boom", r.error());
    assertEquals("{\"errorType\":\"Boom\",\"errorMessage\":\"bad\"}", r.cause());
  }

  @Test
  void retry_transientLambdaError_succeedsOnSecondAttempt() {
    String arn = create("flaky", """
        {"StartAt":"Call","States":{"Call":{"Type":"Task",
          "Resource":"arn:aws:lambda:us-east-1:123456789012:function:flaky",
          "Retry":[{"ErrorEquals":["Transient"],"IntervalSeconds":1,"MaxAttempts":2}],"End":true}}}""");
    String exec = client.startExecution(b -> b.stateMachineArn(arn).input("{\"ok\":true}")).executionArn();
    assertEquals(ExecutionStatus.SUCCEEDED, awaitEnd(exec).status());
  }

  @Test
  void waitForTaskToken_sendTaskSuccess_resumesExecution() {
    String arn = create("callback", """
        {"StartAt":"Wait","States":{"Wait":{"Type":"Task",
          "Resource":"arn:aws:states:::lambda:invoke.waitForTaskToken",
          "Parameters":{"FunctionName":"notify","Payload":{"token.$":"$$.Task.Token"}},"End":true}}}""");
    String exec = client.startExecution(b -> b.stateMachineArn(arn)).executionArn();
    String token = awaitToken(exec);
    client.sendTaskSuccess(b -> b.taskToken(token).output("{\"approved\":true}"));
    DescribeExecutionResponse d = awaitEnd(exec);
    assertEquals(ExecutionStatus.SUCCEEDED, d.status());
    assertEquals("{\"approved\":true}", d.output());
    assertThrows(TaskDoesNotExistException.class,
        () -> client.sendTaskSuccess(b -> b.taskToken(token).output("{}")));
  }

  @Test
  void waitForTaskToken_sendTaskFailure_isCaughtByCatch() {
    String arn = create("callbackFail", """
        {"StartAt":"Wait","States":{"Wait":{"Type":"Task",
          "Resource":"arn:aws:states:::lambda:invoke.waitForTaskToken",
          "Parameters":{"FunctionName":"notify","Payload":{"token.$":"$$.Task.Token"}},
          "Catch":[{"ErrorEquals":["Rejected"],"Next":"Handled"}],"End":true},
          "Handled":{"Type":"Pass","End":true}}}""");
    String exec = client.startExecution(b -> b.stateMachineArn(arn)).executionArn();
    String token = awaitToken(exec);
    client.sendTaskFailure(b -> b.taskToken(token).error("Rejected").cause("no"));
    DescribeExecutionResponse d = awaitEnd(exec);
    assertEquals(ExecutionStatus.SUCCEEDED, d.status());
    assertEquals("{\"Error\":\"Rejected\",\"Cause\":\"no\"}", d.output());
  }

  @Test
  void heartbeatSeconds_withoutHeartbeat_failsWithHeartbeatTimeout() {
    String arn = create("heartbeat", """
        {"StartAt":"Wait","States":{"Wait":{"Type":"Task","HeartbeatSeconds":1,
          "Resource":"arn:aws:states:::lambda:invoke.waitForTaskToken",
          "Parameters":{"FunctionName":"notify","Payload":{"token.$":"$$.Task.Token"}},"End":true}}}""");
    String exec = client.startExecution(b -> b.stateMachineArn(arn)).executionArn();
    DescribeExecutionResponse d = awaitEnd(exec);
    assertEquals(ExecutionStatus.FAILED, d.status());
    assertEquals("States.HeartbeatTimeout", d.error());
  }

  @Test
  void heartbeats_keepTaskAlive_untilTimeoutSeconds() {
    // At the test's time scale a heartbeat is due every second of wall time and the task times out after three:
    // heartbeats sent while it runs must keep it alive until TimeoutSeconds, however loaded the machine is.
    String arn = create("timeout", """
        {"StartAt":"Wait","States":{"Wait":{"Type":"Task","TimeoutSeconds":300,"HeartbeatSeconds":100,
          "Resource":"arn:aws:states:::lambda:invoke.waitForTaskToken",
          "Parameters":{"FunctionName":"notify","Payload":{"token.$":"$$.Task.Token"}},"End":true}}}""");
    String exec = client.startExecution(b -> b.stateMachineArn(arn)).executionArn();
    String token = awaitToken(exec);
    DescribeExecutionResponse d = Poll.until(() -> {
      try {
        client.sendTaskHeartbeat(b -> b.taskToken(token));
      } catch (software.amazon.awssdk.services.sfn.model.TaskTimedOutException
          | software.amazon.awssdk.services.sfn.model.TaskDoesNotExistException ended) {
        // the task ended between two heartbeats: the describe below says how
      }
      return client.describeExecution(b -> b.executionArn(exec));
    }, e -> e.status() != ExecutionStatus.RUNNING, DEADLINE);
    assertEquals(ExecutionStatus.FAILED, d.status());
    assertEquals("States.Timeout", d.error());
  }

  @Test
  void stopExecution_abortsRunningExecution() {
    String arn = create("long", "{\"StartAt\":\"W\",\"States\":{\"W\":{\"Type\":\"Wait\",\"Seconds\":3600,"
        + "\"End\":true}}}");
    String exec = client.startExecution(b -> b.stateMachineArn(arn)).executionArn();
    client.stopExecution(b -> b.executionArn(exec).error("Stopped").cause("by test"));
    DescribeExecutionResponse d = awaitEnd(exec);
    assertEquals(ExecutionStatus.ABORTED, d.status());
    assertEquals("Stopped", d.error());
  }

  @Test
  void redriveExecution_rerunsFailedStateAndSucceeds() {
    flakyCalls.set(0);
    String arn = create("redrive", """
        {"StartAt":"First","States":{"First":{"Type":"Pass","Result":{"v":1},"Next":"Call"},
          "Call":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:flaky","End":true}}}""");
    String exec = client.startExecution(b -> b.stateMachineArn(arn)).executionArn();
    assertEquals(ExecutionStatus.FAILED, awaitEnd(exec).status());
    client.redriveExecution(b -> b.executionArn(exec));
    DescribeExecutionResponse d = awaitEnd(exec);
    assertEquals(ExecutionStatus.SUCCEEDED, d.status());
    assertEquals("{\"v\":1}", d.output());
    assertEquals(1, d.redriveCount());
  }

  private static String awaitToken(String exec) {
    HistoryEvent submitted = Poll.until(() -> client.getExecutionHistory(b -> b.executionArn(exec)).events()
        .stream().filter(e -> e.type() == HistoryEventType.TASK_SCHEDULED).findFirst().orElse(null),
        e -> e != null, DEADLINE);
    String params = submitted.taskScheduledEventDetails().parameters();
    return io.conveyor.asl.json.JsonValues.parse(params).path("Payload").path("token").asText();
  }
}
