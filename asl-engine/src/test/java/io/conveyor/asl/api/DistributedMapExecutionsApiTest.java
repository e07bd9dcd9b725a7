package io.conveyor.asl.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conveyor.asl.LocalStepFunctions;
import io.conveyor.asl.Poll;
import io.conveyor.asl.json.JsonValues;
import io.conveyor.asl.task.LambdaInvoker;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.DescribeMapRunResponse;
import software.amazon.awssdk.services.sfn.model.DescribeStateMachineForExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.ExecutionListItem;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;
import software.amazon.awssdk.services.sfn.model.HistoryEventType;
import software.amazon.awssdk.services.sfn.model.ListExecutionsRequest;
import software.amazon.awssdk.services.sfn.model.MapRunListItem;
import software.amazon.awssdk.services.sfn.model.ResourceNotFoundException;
import software.amazon.awssdk.services.sfn.model.SfnException;

/**
 * A Distributed Map's child workflow executions are executions, as on AWS: listed under their Map Run, described,
 * with their own history; and how long finished executions stay known. Driven by an unmodified {@link SfnClient}.
 */
class DistributedMapExecutionsApiTest {

  private static final Duration DEADLINE = Duration.ofSeconds(20);
  private static final String SM_PREFIX = "arn:aws:states:us-east-1:123456789012:stateMachine:";

  /** Task tokens handed to the {@code notify} function, in order. */
  private final Queue<String> tokens = new ConcurrentLinkedQueue<>();
  private LocalStepFunctions sfn;
  private SfnClient client;

  private void start(Consumer<LocalStepFunctions.Builder> settings) {
    LambdaInvoker notify = (name, payload) -> {
      tokens.add(JsonValues.parse(payload).path("token").asText());
      return LambdaInvoker.LambdaResponse.ok("{}");
    };
    LocalStepFunctions.Builder b = LocalStepFunctions.builder().lambdaInvoker(notify).timeScale(0.01);
    settings.accept(b);
    sfn = b.start();
    client = SfnClient.builder().endpointOverride(sfn.endpoint()).region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
        .httpClient(UrlConnectionHttpClient.builder().build()).build();
  }

  @AfterEach
  void stop() {
    client.close();
    sfn.close();
  }

  private String create(String name, String definition) {
    return client.createStateMachine(b -> b.name(name).definition(definition)
        .roleArn("arn:aws:iam::123456789012:role/r")).stateMachineArn();
  }

  private DescribeExecutionResponse awaitEnd(String executionArn) {
    return Poll.until(() -> client.describeExecution(b -> b.executionArn(executionArn)),
        d -> d.status() != ExecutionStatus.RUNNING, DEADLINE);
  }

  private List<ExecutionListItem> children(String mapRunArn, ExecutionStatus status) {
    return client.listExecutionsPaginator(ListExecutionsRequest.builder().mapRunArn(mapRunArn)
        .statusFilter(status).maxResults(2).build()).executions().stream().toList();
  }

  private String onlyMapRun(String executionArn) {
    List<MapRunListItem> runs = client.listMapRuns(b -> b.executionArn(executionArn)).mapRuns();
    assertEquals(1, runs.size());
    return runs.get(0).mapRunArn();
  }

  /** Items whose "fail" is true fail their child; up to 10 failures are tolerated. */
  private static final String SOME_FAIL = """
      {"StartAt":"Map","States":{"Map":{"Type":"Map","End":true,"Label":"Items","ToleratedFailureCount":10,
        "ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},
          "StartAt":"Check","States":{
            "Check":{"Type":"Choice","Choices":[{"Variable":"$.fail","BooleanEquals":true,"Next":"Broken"}],
              "Default":"Done"},
            "Broken":{"Type":"Fail","Error":"Item.Broken","Cause":"this item fails"},
            "Done":{"Type":"Pass","Result":"ok","End":true}}}}}}""";

  @Test
  void childExecutions_areListedByMapRun_describedAndHaveTheirOwnHistory() {
    start(b -> { });
    String sm = create("children", SOME_FAIL);
    String parent = client.startExecution(b -> b.stateMachineArn(sm).name("parent").input(
        "[{\"fail\":false},{\"fail\":true},{\"fail\":false},{\"fail\":true},{\"fail\":false}]")).executionArn();
    assertEquals(ExecutionStatus.SUCCEEDED, awaitEnd(parent).status());

    String mapRun = onlyMapRun(parent);
    assertTrue(mapRun.startsWith("arn:aws:states:us-east-1:123456789012:mapRun:children/Items:"), mapRun);
    assertEquals(SM_PREFIX + "children/Items",
        client.listMapRuns(b -> b.executionArn(parent)).mapRuns().get(0).stateMachineArn());

    List<ExecutionListItem> all = children(mapRun, null);
    List<ExecutionListItem> succeeded = children(mapRun, ExecutionStatus.SUCCEEDED);
    List<ExecutionListItem> failed = children(mapRun, ExecutionStatus.FAILED);
    assertEquals(5, all.size());
    assertEquals(3, succeeded.size());
    assertEquals(2, failed.size());
    for (ExecutionListItem child : all) {
      assertTrue(child.executionArn().startsWith("arn:aws:states:us-east-1:123456789012:execution:children/Items:"),
          child.executionArn());
      assertEquals(SM_PREFIX + "children/Items", child.stateMachineArn());
      assertEquals(mapRun, child.mapRunArn());
      assertEquals(1, child.itemCount());
    }
    DescribeMapRunResponse run = client.describeMapRun(b -> b.mapRunArn(mapRun));
    assertEquals(all.size(), run.executionCounts().total());
    assertEquals(succeeded.size(), run.executionCounts().succeeded());
    assertEquals(failed.size(), run.executionCounts().failed());
    assertEquals(0, run.executionCounts().running());

    String failedChild = failed.get(0).executionArn();
    DescribeExecutionResponse d = client.describeExecution(b -> b.executionArn(failedChild));
    assertEquals(ExecutionStatus.FAILED, d.status());
    assertEquals("{\"fail\":true}", d.input());
    assertEquals("Item.Broken", d.error());
    assertEquals("this item fails", d.cause());
    assertEquals(mapRun, d.mapRunArn());
    List<HistoryEventType> types = client.getExecutionHistory(b -> b.executionArn(failedChild)).events().stream()
        .map(HistoryEvent::type).toList();
    assertEquals(List.of(HistoryEventType.EXECUTION_STARTED, HistoryEventType.CHOICE_STATE_ENTERED,
        HistoryEventType.CHOICE_STATE_EXITED, HistoryEventType.FAIL_STATE_ENTERED,
        HistoryEventType.EXECUTION_FAILED), types);

    String succeededChild = succeeded.get(0).executionArn();
    assertEquals("\"ok\"", client.describeExecution(b -> b.executionArn(succeededChild)).output());
    DescribeStateMachineForExecutionResponse machine =
        client.describeStateMachineForExecution(b -> b.executionArn(succeededChild));
    assertEquals(mapRun, machine.mapRunArn());
    assertEquals("Items", machine.label());
    assertEquals(SOME_FAIL, machine.definition());

    // The state machine's own listing holds the parent, not the Map Run's children.
    assertEquals(List.of(parent), client.listExecutions(b -> b.stateMachineArn(sm)).executions().stream()
        .map(ExecutionListItem::executionArn).toList());
  }

  @Test
  void listExecutions_checksItsArguments() {
    start(b -> { });
    String sm = create("args", SOME_FAIL);
    String parent = client.startExecution(b -> b.stateMachineArn(sm).input("[{\"fail\":false}]")).executionArn();
    awaitEnd(parent);
    String mapRun = onlyMapRun(parent);
    SfnException both = assertThrows(SfnException.class,
        () -> client.listExecutions(b -> b.stateMachineArn(sm).mapRunArn(mapRun)));
    assertEquals("ValidationException", both.awsErrorDetails().errorCode());
    assertThrows(ResourceNotFoundException.class,
        () -> client.listExecutions(b -> b.mapRunArn(mapRun.substring(0, mapRun.lastIndexOf(':') + 1) + "nope")));
  }

  /** Every child waits for a callback; one failure is more than the Map tolerates. */
  private static final String CALLBACKS = """
      {"StartAt":"Map","States":{"Map":{"Type":"Map","End":true,"MaxConcurrency":2,
        "ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},
          "StartAt":"Wait","States":{"Wait":{"Type":"Task","End":true,
            "Resource":"arn:aws:states:::lambda:invoke.waitForTaskToken",
            "Parameters":{"FunctionName":"notify","Payload":{"token.$":"$$.Task.Token"}}}}}}}}""";

  @Test
  void aFailedMapRun_abortsTheChildrenStillRunning() {
    start(b -> { });
    String sm = create("failing", CALLBACKS);
    String parent = client.startExecution(b -> b.stateMachineArn(sm).input("[1,2,3]")).executionArn();
    Poll.until(tokens::size, n -> n == 2, DEADLINE);
    String mapRun = onlyMapRun(parent);
    assertEquals(2, children(mapRun, ExecutionStatus.RUNNING).size());

    client.sendTaskFailure(b -> b.taskToken(tokens.peek()).error("Item.Rejected").cause("no"));
    DescribeExecutionResponse d = awaitEnd(parent);
    assertEquals(ExecutionStatus.FAILED, d.status());
    assertEquals("States.ExceedToleratedFailureThreshold", d.error());
    assertEquals(1, children(mapRun, ExecutionStatus.FAILED).size());
    assertEquals(1, children(mapRun, ExecutionStatus.ABORTED).size());
    assertEquals(0, children(mapRun, ExecutionStatus.RUNNING).size());
    DescribeMapRunResponse run = client.describeMapRun(b -> b.mapRunArn(mapRun));
    assertEquals("FAILED", run.statusAsString());
    assertEquals(1, run.executionCounts().failed());
    assertEquals(1, run.executionCounts().aborted());
    assertEquals(1, run.executionCounts().pending(), "the third item never started");
  }

  @Test
  void stoppingTheParent_abortsItsChildren() {
    start(b -> { });
    String sm = create("stopped", CALLBACKS);
    String parent = client.startExecution(b -> b.stateMachineArn(sm).input("[1,2]")).executionArn();
    Poll.until(tokens::size, n -> n == 2, DEADLINE);
    String mapRun = onlyMapRun(parent);

    client.stopExecution(b -> b.executionArn(parent));
    assertEquals(ExecutionStatus.ABORTED, awaitEnd(parent).status());
    List<ExecutionListItem> aborted = Poll.until(() -> children(mapRun, ExecutionStatus.ABORTED),
        l -> l.size() == 2, DEADLINE);
    assertEquals(ExecutionStatus.ABORTED, client.describeExecution(b -> b.executionArn(
        aborted.get(0).executionArn())).status());
  }

  @Test
  void finishedExecutions_pastTheRetainedNumber_areForgottenOldestFirst_runningOnesNever() {
    start(b -> b.retainedExecutions(3));
    String waits = create("waits", "{\"StartAt\":\"W\",\"States\":{\"W\":{\"Type\":\"Wait\",\"Seconds\":3600,"
        + "\"End\":true}}}");
    String running = client.startExecution(b -> b.stateMachineArn(waits).name("long")).executionArn();
    String quick = create("quick", SOME_FAIL);
    List<String> finished = new java.util.ArrayList<>();
    for (int i = 0; i < 3; i++) {
      String arn = client.startExecution(b -> b.stateMachineArn(quick).input("[]")).executionArn();
      awaitEnd(arn);
      finished.add(arn);
    }
    String oldestMapRun = onlyMapRun(finished.get(0));
    // One more finishes: three are retained, so the one that finished first is forgotten, with its Map Run.
    String newest = client.startExecution(b -> b.stateMachineArn(quick).input("[]")).executionArn();
    awaitEnd(newest);

    assertThrows(ExecutionDoesNotExistException.class,
        () -> client.describeExecution(b -> b.executionArn(finished.get(0))));
    assertThrows(ResourceNotFoundException.class, () -> client.describeMapRun(b -> b.mapRunArn(oldestMapRun)));
    assertEquals(List.of(newest, finished.get(2), finished.get(1)), client.listExecutions(
        b -> b.stateMachineArn(quick)).executions().stream().map(ExecutionListItem::executionArn).toList());
    assertEquals(ExecutionStatus.RUNNING, client.describeExecution(b -> b.executionArn(running)).status());
    assertEquals(HistoryEventType.EXECUTION_SUCCEEDED, lastEvent(finished.get(1)));
  }

  private HistoryEventType lastEvent(String executionArn) {
    return client.getExecutionHistory(b -> b.executionArn(executionArn).reverseOrder(true).maxResults(1))
        .events().get(0).type();
  }
}
