package io.conveyor.asl.engine.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.conveyor.asl.definition.State;

/**
 * A Map state's work, as its fields evaluated to: what its iterations (inline) or child executions
 * (distributed) are given.
 *
 * @param state the Map state
 * @param context the state being run
 * @param effective its effective input (after InputPath)
 * @param iterations one element per iteration: the items, or their batches with an ItemBatcher
 * @param maxConcurrency MaxConcurrency, 0 for the default
 * @param toleratedPercentage ToleratedFailurePercentage, or null
 * @param toleratedCount ToleratedFailureCount, or null
 */
public record MapPlan(State.MapState state, StateContext context, JsonNode effective, ArrayNode iterations,
    int maxConcurrency, Double toleratedPercentage, Double toleratedCount) {

  /** True with an ItemBatcher: each iteration processes a batch {@code {"Items": [...]}}. */
  public boolean batched() {
    return state.spec().itemBatcher() != null;
  }

  /** How many items iteration {@code i} processes: its batch's, or one. */
  public int weight(int i) {
    return batched() ? iterations.get(i).path("Items").size() : 1;
  }

  /** The items all iterations process. */
  public long totalWeight() {
    if (!batched()) {
      return iterations.size();
    }
    long n = 0;
    for (JsonNode batch : iterations) {
      n += batch.path("Items").size();
    }
    return n;
  }
}
