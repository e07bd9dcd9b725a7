package io.conveyor.asl.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.conveyor.asl.definition.DefinitionParser;
import io.conveyor.asl.json.JsonValues;
import io.conveyor.asl.task.LambdaInvoker;
import io.conveyor.asl.task.TaskDispatcher;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** What an execution's role is asked for: its Task calls, its Distributed Map's reads and its child executions. */
class AwsActionListenerTest {
  private static final String MACHINE = "arn:aws:states:eu-west-1:111122223333:stateMachine:jobs";

  /** One object, {@code data/items.json}; nothing else exists. */
  private static final DistributedMapStorage ITEMS = new DistributedMapStorage() {
    @Override
    public byte[] get(String bucket, String key) {
      return "[{\"n\":1},{\"n\":2}]".getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void put(String bucket, String key, byte[] body) {
      throw new UnsupportedOperationException("nothing is written");
    }

    @Override
    public List<Listed> list(String bucket, String prefix) {
      throw new UnsupportedOperationException("nothing is listed");
    }
  };

  @Test
  void tasksItemReaderAndChildExecutions_areToldAsTheParentRolesActions() throws Exception {
    Set<String> told = java.util.concurrent.ConcurrentHashMap.newKeySet();
    LambdaInvoker echo = (name, payload) -> LambdaInvoker.LambdaResponse.ok(payload);
    try (TaskDispatcher tasks = new TaskDispatcher(echo);
         Engine engine = Engine.builder().region("eu-west-1").account("111122223333").taskExecutor(tasks)
             .objectStore(ITEMS)
             .actionListener((machine, action, resource, keys) -> told.add(machine + " " + action + " " + resource
                 + (keys.isEmpty() ? "" : " " + keys)))
             .build()) {
      Execution e = engine.start(DefinitionParser.parse("""
          {"StartAt":"Prepare","States":{
            "Prepare":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
              "Parameters":{"FunctionName":"prepare:live","Payload":{}},"ResultPath":null,"Next":"Map"},
            "Map":{"Type":"Map","End":true,
              "ItemReader":{"Resource":"arn:aws:states:::s3:getObject","ReaderConfig":{"InputType":"JSON"},
                "Parameters":{"Bucket":"data","Key":"items.json"}},
              "ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},
                "StartAt":"Work","States":{"Work":{"Type":"Task",
                  "Resource":"arn:aws:lambda:eu-west-1:111122223333:function:work","End":true}}}}}}"""),
          MACHINE, "run-1", JsonValues.parse("{}"));
      e.completion().get(20, TimeUnit.SECONDS);
      assertEquals(ExecutionStatus.SUCCEEDED, e.status(), e.error() + ": " + e.cause());

      Set<String> expected = new TreeSet<>(List.of(
          MACHINE + " lambda:InvokeFunction arn:aws:lambda:eu-west-1:111122223333:function:prepare:live",
          MACHINE + " s3:GetObject arn:aws:s3:::data/items.json",
          MACHINE + " states:StartExecution " + MACHINE,
          MACHINE + " lambda:InvokeFunction arn:aws:lambda:eu-west-1:111122223333:function:work"));
      Set<String> children = new TreeSet<>();
      for (String action : told) {
        if (action.contains("states:DescribeExecution")) {
          children.add(action.substring(action.lastIndexOf(' ') + 1).replaceFirst(":[^:]+$", ":*"));
        }
      }
      told.removeIf(action -> action.contains("states:DescribeExecution"));
      assertEquals(expected, new TreeSet<>(told));
      assertEquals(Set.of("arn:aws:states:eu-west-1:111122223333:execution:jobs/Map:*"), children,
          "each child execution is described, under the parent's name and the Map's label");
    }
  }

  @Test
  void roleStateMachine_ofAChildExecution_isItsParents() {
    assertEquals(MACHINE, AwsActionListener.roleStateMachine(
        "arn:aws:states:eu-west-1:111122223333:execution:jobs/Map:5b1e3c1a"));
    assertEquals(MACHINE, AwsActionListener.roleStateMachine(MACHINE + "/Map"));
    assertEquals(MACHINE, AwsActionListener.roleStateMachine("arn:aws:states:eu-west-1:111122223333:execution:jobs:run-1"));
  }
}
