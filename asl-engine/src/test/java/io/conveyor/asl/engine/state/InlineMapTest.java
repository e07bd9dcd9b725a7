package io.conveyor.asl.engine.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import io.conveyor.asl.engine.StatesError;
import io.conveyor.asl.json.JsonValues;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** An inline Map: bounded concurrency, tolerated failures, ItemSelector and ItemBatcher. */
class InlineMapTest {

  private final Harness h = new Harness();

  private static String map(String fields) {
    return """
        {"StartAt":"M","States":{"M":{"Type":"Map","End":true,%s
          "ItemProcessor":{"StartAt":"T","States":{"T":{"Type":"Task",
            "Resource":"arn:aws:states:::lambda:invoke","End":true}}}}}}""".formatted(fields);
  }

  @Test
  void maxConcurrency_boundsTheIterationsRunningAtOnce() {
    List<CompletableFuture<JsonNode>> running = new CopyOnWriteArrayList<>();
    h.tasks = r -> {
      CompletableFuture<JsonNode> f = new CompletableFuture<>();
      running.add(f);
      return f;
    };
    CompletableFuture<JsonNode> out = h.run(map("\"MaxConcurrency\":2,"), "[10,20,30,40,50]");
    assertEquals(2, h.requests.size());
    running.get(0).complete(JsonValues.parse("1"));
    assertEquals(3, h.requests.size(), "one ended, the next one starts");
    for (int i = 1; i < 5; i++) {
      running.get(i).complete(JsonValues.parse(String.valueOf(i + 1)));
    }
    assertEquals(JsonValues.parse("[1,2,3,4,5]"), out.join());
    assertEquals(List.of(10, 20, 30, 40, 50), h.requests.stream().map(r -> r.parameters().asInt()).toList());
  }

  @Test
  void toleratedFailures_leaveTheErrorOutputInTheItemsPlace_untilThereAreTooMany() {
    h.tasks = r -> r.parameters().asInt() < 0
        ? CompletableFuture.failedFuture(new StatesError("Negative", "item " + r.parameters()))
        : CompletableFuture.completedFuture(r.parameters());
    assertEquals(JsonValues.parse("[1,{\"Error\":\"Negative\",\"Cause\":\"item -2\"},3]"),
        h.run(map("\"ToleratedFailureCount\":1,"), "[1,-2,3]").join());
    StatesError e = Harness.failure(h.run(map("\"ToleratedFailureCount\":1,"), "[1,-2,-3]"));
    assertEquals("Negative", e.error());
    assertEquals("item -3", e.errorCause());
    assertFalse(h.events().contains("MapStateSucceeded"));
  }

  @Test
  void toleratedFailurePercentage_countsAgainstAllItems() {
    h.tasks = r -> r.parameters().asInt() < 0
        ? CompletableFuture.failedFuture(new StatesError("Negative", "no"))
        : CompletableFuture.completedFuture(r.parameters());
    h.run(map("\"ToleratedFailurePercentage\":50,"), "[1,-2,3,-4]").join();
    assertEquals("Negative", Harness.failure(h.run(map("\"ToleratedFailurePercentage\":50,"), "[1,-2,-3,-4]"))
        .error());
  }

  @Test
  void itemSelector_seesTheItemsIndexAndValue() {
    h.tasks = r -> CompletableFuture.completedFuture(r.parameters());
    JsonNode out = h.run(map("""
        "ItemSelector":{"i.$":"$$.Map.Item.Index","v.$":"$$.Map.Item.Value","all.$":"$.tag"},
        "ItemsPath":"$.items","""), "{\"tag\":\"t\",\"items\":[\"a\",\"b\"]}").join();
    assertEquals(JsonValues.parse("[{\"i\":0,\"v\":\"a\",\"all\":\"t\"},{\"i\":1,\"v\":\"b\",\"all\":\"t\"}]"), out);
  }

  @Test
  void itemBatcher_givesEachIterationABatchOfItems() {
    h.tasks = r -> CompletableFuture.completedFuture(r.parameters());
    JsonNode out = h.run(map("""
        "ItemBatcher":{"MaxItemsPerBatch":2,"BatchInput":{"job":"j"}},"""), "[1,2,3]").join();
    assertEquals(JsonValues.parse("""
        [{"BatchInput":{"job":"j"},"Items":[1,2]},{"BatchInput":{"job":"j"},"Items":[3]}]"""), out);
  }
}
