package io.conveyor.asl.engine.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.conveyor.asl.engine.StatesError;
import io.conveyor.asl.json.JsonValues;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Parallel: branches side by side, their outputs in branch order, their variables their own. */
class ParallelHandlerTest {

  private final Harness h = new Harness();

  private static final String THREE_TASKS = """
      {"StartAt":"P","States":{"P":{"Type":"Parallel","ResultPath":"$.results","End":true,"Branches":[
        {"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
          "Parameters":{"branch":0},"End":true}}},
        {"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
          "Parameters":{"branch":1},"End":true}}},
        {"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
          "Parameters":{"branch":2},"End":true}}}]}}}""";

  @Test
  void outputs_comeInBranchOrder_whateverOrderTheBranchesFinishIn() {
    List<CompletableFuture<JsonNode>> answers = new CopyOnWriteArrayList<>();
    h.tasks = r -> {
      CompletableFuture<JsonNode> f = new CompletableFuture<>();
      answers.add(f);
      return f;
    };
    CompletableFuture<JsonNode> out = h.run(THREE_TASKS, "{\"keep\":true}");
    assertEquals(3, answers.size(), "every branch started before any finished");
    List<CompletableFuture<JsonNode>> reversed = new CopyOnWriteArrayList<>(answers);
    Collections.reverse(reversed);
    for (CompletableFuture<JsonNode> answer : reversed) {
      assertFalse(out.isDone());
      answer.complete(h.requests.get(answers.indexOf(answer)).parameters());
    }
    assertEquals(JsonValues.parse("{\"keep\":true,\"results\":[{\"branch\":0},{\"branch\":1},{\"branch\":2}]}"),
        out.join());
    assertEquals(1, h.events().stream().filter("ParallelStateSucceeded"::equals).count());
  }

  @Test
  void aBranch_readsOuterVariables_butKeepsItsOwnAssignments() {
    JsonNode out = h.run("""
        {"StartAt":"Init","States":{
          "Init":{"Type":"Pass","Assign":{"x":1},"Next":"P"},
          "P":{"Type":"Parallel","Next":"After","Branches":[
            {"StartAt":"Set","States":{
              "Set":{"Type":"Pass","Assign":{"x":2,"mine":true},"Next":"Read"},
              "Read":{"Type":"Pass","Parameters":{"seen.$":"$x"},"End":true}}},
            {"StartAt":"Read","States":{"Read":{"Type":"Pass","Parameters":{"seen.$":"$x"},"End":true}}}]},
          "After":{"Type":"Pass","Parameters":{"outer.$":"$x","branches.$":"$"},"End":true}}}""", "{}").join();
    assertEquals(JsonValues.parse("{\"outer\":1,\"branches\":[{\"seen\":2},{\"seen\":1}]}"), out);
  }

  @Test
  void theFirstBranchToFail_failsTheState_withoutWaitingForTheOthers() {
    CompletableFuture<JsonNode> slow = new CompletableFuture<>();
    h.tasks = r -> r.parameters().get("branch").asInt() == 0 ? slow
        : CompletableFuture.failedFuture(new StatesError("Branch" + r.parameters().get("branch"), "broke"));
    CompletableFuture<JsonNode> out = h.run(THREE_TASKS, "{}");
    assertEquals("Branch1", Harness.failure(out).error());
    slow.complete(JsonValues.object());
    assertEquals(1, h.events().stream().filter("ParallelStateFailed"::equals).count(), h.events().toString());
    assertFalse(h.events().contains("ParallelStateSucceeded"));
  }

  @Test
  void aFailedParallel_isRetriedAsAWhole_andCanBeCaught() {
    h.tasks = r -> CompletableFuture.failedFuture(new StatesError("Broken", "branch " + r.parameters()));
    CompletableFuture<JsonNode> out = h.run("""
        {"StartAt":"P","States":{
          "P":{"Type":"Parallel","Next":"Done","Branches":[
            {"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
              "Parameters":{"n":1},"End":true}}}],
            "Retry":[{"ErrorEquals":["Broken"],"IntervalSeconds":1,"MaxAttempts":1}],
            "Catch":[{"ErrorEquals":["States.ALL"],"ResultPath":"$.failure","Next":"Done"}]},
          "Done":{"Type":"Pass","End":true}}}""", "{\"in\":1}");
    h.timer.fireAll();
    assertEquals(JsonValues.parse("{\"in\":1,\"failure\":{\"Error\":\"Broken\",\"Cause\":\"branch {\\\"n\\\":1}\"}}"),
        out.join());
    assertEquals(2, h.requests.size(), "the branch ran again on the retry");
    assertTrue(h.events().containsAll(List.of("ParallelStateFailed", "PassStateEntered")));
  }
}
