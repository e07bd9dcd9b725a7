package io.conveyor.asl.engine.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conveyor.asl.definition.StateMachineDefinition;
import io.conveyor.asl.engine.StatesError;
import io.conveyor.asl.json.JsonValues;
import java.util.concurrent.Executor;

/**
 * An inline Map's iterations: each runs the ItemProcessor as a nested branch of the execution, with its own
 * variable scope and MapIteration events in the execution's history.
 */
final class InlineMap extends MapIterations {
  private final ProgramRunner programs;

  InlineMap(MapPlan plan, Executor workers, int defaultConcurrency, ProgramRunner programs) {
    super(plan, workers, defaultConcurrency);
    this.programs = programs;
  }

  @Override
  protected void launch(int i, JsonNode input, ObjectNode mapContext) {
    Branch iteration = plan.context().branch().nested(mapContext, plan.context(), i);
    ObjectNode id = JsonValues.object();
    id.put("name", plan.state().name());
    id.put("index", i);
    iteration.event("MapIterationStarted", "mapIterationStartedEventDetails", id);
    StateMachineDefinition processor = plan.state().spec().processor();
    programs.run(processor, input, iteration).whenComplete((out, err) -> {
      try {
        if (err == null) {
          iteration.event("MapIterationSucceeded", "mapIterationSucceededEventDetails", id);
        } else {
          boolean aborted = Futures.unwrap(err) instanceof StatesError se && StatesError.ABORTED.equals(se.error());
          iteration.event(aborted ? "MapIterationAborted" : "MapIterationFailed", "mapIterationFailedEventDetails",
              id);
        }
      } catch (Throwable t) {
        fail(t);
        return;
      }
      iterationDone(i, out, err);
    });
  }
}
