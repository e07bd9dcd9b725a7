package io.conveyor.asl.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.conveyor.asl.LocalStepFunctions;
import io.conveyor.asl.json.JsonValues;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** What an execution listener hears: each run's start and end, as Step Functions' status-change events say. */
class ExecutionListenerTest {

  @Test
  void hearsTheStartAndEndOfEveryRun_includingARedrive_andAFaultyListenerChangesNothing() throws Exception {
    List<String> heard = new CopyOnWriteArrayList<>();
    ExecutionListener listener = (e, status) -> {
      heard.add(e.name() + " " + status);
      throw new IllegalStateException("a listener's own fault");
    };
    try (LocalStepFunctions sfn = LocalStepFunctions.builder().http(false).executionListener(listener).start()) {
      var machine = sfn.service().register("listened", """
          {"StartAt":"Check","States":{
            "Check":{"Type":"Choice","Choices":[{"Variable":"$.ok","BooleanEquals":true,"Next":"Done"}],
              "Default":"Broken"},
            "Broken":{"Type":"Fail","Error":"Broken","Cause":"not ok"},
            "Done":{"Type":"Succeed"}}}""", "STANDARD");

      Execution good = sfn.service().start(machine.arn(), "good", JsonValues.parse("{\"ok\":true}"));
      good.completion().get(10, TimeUnit.SECONDS);
      Execution bad = sfn.service().start(machine.arn(), "bad", JsonValues.parse("{\"ok\":false}"));
      bad.completion().get(10, TimeUnit.SECONDS);
      assertEquals(ExecutionStatus.SUCCEEDED, good.status());
      assertEquals(ExecutionStatus.FAILED, bad.status());

      sfn.engine().redrive(bad);
      bad.completion().get(10, TimeUnit.SECONDS);

      assertEquals(List.of("good RUNNING", "good SUCCEEDED", "bad RUNNING", "bad FAILED", "bad RUNNING", "bad FAILED"),
          heard);
    }
  }
}
