package io.conveyor.asl.engine.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conveyor.asl.definition.State;
import io.conveyor.asl.json.JsonValues;
import java.util.concurrent.CompletableFuture;

/**
 * Map: evaluates the state's fields into a {@link MapPlan} (items or batches, concurrency, tolerated failures),
 * records MapStateStarted, and hands the plan to the inline iterations ({@link InlineMap}) or, for
 * {@code DISTRIBUTED} mode, to the engine's Map Runs ({@link DistributedMaps}).
 */
final class MapHandler implements StateHandler<State.MapState> {
  private final Services services;
  private final ProgramRunner programs;
  private final DistributedMaps distributed;

  MapHandler(Services services, ProgramRunner programs, DistributedMaps distributed) {
    this.services = services;
    this.programs = programs;
    this.distributed = distributed;
  }

  @Override
  public CompletableFuture<Step> run(State.MapState m, StateContext c) {
    State.MapState.Spec spec = m.spec();
    JsonNode effective = m.isJsonata() ? c.input() : Payloads.inputPath(m, c);
    ArrayNode items = spec.itemReader() != null ? ItemReader.read(
        services.objectStoreActingFor(c.branch().execution().stateMachineArn()), m, c, effective)
        : MapInputs.items(m, c, effective);
    int maxConcurrency = MapInputs.maxConcurrency(m, c);
    Double percentage = MapInputs.tolerance(m, c, spec.toleratedFailurePercentage(),
        spec.toleratedFailurePercentagePath(), "ToleratedFailurePercentage", true);
    Double count = MapInputs.tolerance(m, c, spec.toleratedFailureCount(), spec.toleratedFailureCountPath(),
        "ToleratedFailureCount", false);
    if (spec.itemBatcher() != null) {
      items = MapInputs.batches(m, c, items, effective);
    }
    ObjectNode started = JsonValues.object();
    started.put("length", items.size());
    c.branch().event("MapStateStarted", "mapStateStartedEventDetails", started);
    MapPlan plan = new MapPlan(m, c, effective, items, maxConcurrency, percentage, count);
    if (spec.distributed()) {
      return distributed.run(plan);
    }
    return new InlineMap(plan, services.workers(), services.inlineMapConcurrency(), programs).start();
  }
}
