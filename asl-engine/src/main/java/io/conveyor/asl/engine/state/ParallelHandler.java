package io.conveyor.asl.engine.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.conveyor.asl.definition.State;
import io.conveyor.asl.definition.StateMachineDefinition;
import io.conveyor.asl.json.JsonValues;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Parallel: runs every branch at once on the same input, each with its own variable scope; the result is their
 * outputs in branch order. The first branch to fail fails the state (the others run on, their outputs unused).
 */
final class ParallelHandler implements StateHandler<State.Parallel> {
  private final Executor workers;
  private final ProgramRunner programs;

  ParallelHandler(Executor workers, ProgramRunner programs) {
    this.workers = workers;
    this.programs = programs;
  }

  @Override
  public CompletableFuture<Step> run(State.Parallel p, StateContext c) {
    JsonNode input = Payloads.arguments(p, c);
    Branch b = c.branch();
    b.event("ParallelStateStarted", null, null);
    int n = p.branches().size();
    if (n == 0) {
      b.event("ParallelStateSucceeded", null, null);
      return CompletableFuture.completedFuture(Payloads.finish(c, JsonValues.array()));
    }
    JsonNode[] results = new JsonNode[n];
    CompletableFuture<Step> done = new CompletableFuture<>();
    AtomicInteger remaining = new AtomicInteger(n);
    AtomicBoolean failed = new AtomicBoolean();
    for (int i = 0; i < n; i++) {
      int index = i;
      StateMachineDefinition program = p.branches().get(i);
      Branch nested = b.nested(b.mapContext(), c, i);
      workers.execute(() -> programs.run(program, input, nested).whenComplete((out, err) -> {
        if (err != null) {
          if (failed.compareAndSet(false, true)) {
            try {
              b.event("ParallelStateFailed", null, null);
            } finally {
              done.completeExceptionally(Futures.unwrap(err));
            }
          }
          return;
        }
        results[index] = out;
        if (remaining.decrementAndGet() == 0 && !failed.get()) {
          try {
            b.event("ParallelStateSucceeded", null, null);
            ArrayNode array = JsonValues.array();
            for (JsonNode r : results) {
              array.add(r);
            }
            done.complete(Payloads.finish(c, array));
          } catch (Throwable t) {
            done.completeExceptionally(t);
          }
        }
      }));
    }
    return done;
  }
}
