package io.conveyor.asl.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conveyor.asl.definition.State;
import io.conveyor.asl.definition.StateMachineDefinition;
import io.conveyor.asl.engine.state.MapIterations;
import io.conveyor.asl.engine.state.MapPlan;
import io.conveyor.asl.engine.state.RunningExecution;
import io.conveyor.asl.engine.state.Services;
import io.conveyor.asl.engine.state.Step;
import io.conveyor.asl.json.JsonValues;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A Distributed Map's Map Run: each item (or batch) runs as a child workflow execution of its own, listed under
 * the Map Run, with its own history, context object and no variables from the parent. A failed Map Run, or a
 * parent that stops or times out, aborts the children still running.
 */
final class DistributedMapRun extends MapIterations {
  /** How many child executions run at once when MaxConcurrency is 0. */
  private static final int DEFAULT_CONCURRENCY = 1000;

  private final ExecutionLifecycle executions;
  private final Services services;
  private final MapRun run;
  /** The child executions still running, to abort when the Map Run or the parent ends. */
  private final Set<Execution> running = ConcurrentHashMap.newKeySet();
  /** Completed exceptionally when the parent execution stops or times out (it is among its tracked work). */
  private final CompletableFuture<Void> parentStopped = new CompletableFuture<>();
  /** The child executions by item, for the ResultWriter. */
  private final Execution[] children;

  DistributedMapRun(MapPlan plan, ExecutionLifecycle executions, Services services) {
    super(plan, services.workers(), DEFAULT_CONCURRENCY);
    this.executions = executions;
    this.services = services;
    this.children = new Execution[plan.iterations().size()];
    State.MapState m = plan.state();
    RunningExecution parent = plan.context().branch().execution();
    // AWS names a Map Run and its children's state machine after the parent's, with the Map's label.
    String label = m.spec().label() != null ? m.spec().label() : m.name();
    String runArn = parent.stateMachineArn().replace(":stateMachine:", ":mapRun:") + "/" + label + ":"
        + UUID.randomUUID();
    this.run = new MapRun(runArn, parent.executionArn(), parent.stateMachineArn() + "/" + label, label,
        services.clock().instant(), plan.maxConcurrency(),
        plan.toleratedPercentage() == null ? 0 : plan.toleratedPercentage(),
        plan.toleratedCount() == null ? 0 : plan.toleratedCount().longValue());
    parent.startedMapRun(run);
    ObjectNode d = JsonValues.object();
    d.put("mapRunArn", runArn);
    plan.context().branch().event("MapRunStarted", "mapRunStartedEventDetails", d);
    run.executions().planned(plan.iterations().size());
    run.items().planned(plan.totalWeight());
  }

  @Override
  public CompletableFuture<Step> start() {
    RunningExecution parent = plan.context().branch().execution();
    parent.track(parentStopped);
    parentStopped.whenComplete((x, stop) -> {
      if (stop != null) {
        abandon();
      }
    });
    done().whenComplete((x, y) -> parent.untrack(parentStopped));
    return super.start();
  }

  @Override
  protected void launch(int i, JsonNode input, ObjectNode mapContext) {
    StateMachineDefinition processor = plan.state().spec().processor();
    String name = UUID.randomUUID().toString();
    String kind = "EXPRESS".equals(plan.state().spec().executionType()) ? ":express:" : ":execution:";
    String arn = run.stateMachineArn().replace(":stateMachine:", kind) + ":" + name;
    String smName = run.stateMachineArn().substring(run.stateMachineArn().lastIndexOf(':') + 1);
    // The Map Run starts each child on the state machine itself, and describes it until it ends.
    String role = AwsActionListener.roleStateMachine(run.stateMachineArn());
    services.actions().acted(role, "states:StartExecution", role, Map.of());
    services.actions().acted(role, "states:DescribeExecution", arn, Map.of());
    Execution child = executions.create(processor, arn, name, run.stateMachineArn(), smName, input,
        run.mapRunArn(), plan.weight(i), true);
    run.executions().started(1);
    run.items().started(plan.weight(i));
    children[i] = child;
    running.add(child);
    child.completion().whenComplete((x, y) -> {
      running.remove(child);
      ExecutionStatus status = child.status();
      run.executions().ended(1, status);
      run.items().ended(plan.weight(i), status);
      iterationDone(i, child.output(), status == ExecutionStatus.SUCCEEDED ? null
          : new StatesError(child.error() == null ? StatesError.ABORTED : child.error(), child.cause()));
    });
    executions.run(child, processor.startAt(), input, mapContext);
  }

  @Override
  protected StatesError intolerable(StatesError failure) {
    return new StatesError(StatesError.EXCEEDED_TOLERATED_FAILURE_THRESHOLD,
        "The specified tolerated failure threshold was exceeded");
  }

  @Override
  protected void failing(Throwable t) {
    run.finish("FAILED", services.clock().instant());
    ObjectNode d = JsonValues.object();
    if (t instanceof StatesError se) {
      d.put("error", se.error());
      if (se.errorCause() != null) {
        d.put("cause", se.errorCause());
      }
    }
    plan.context().branch().event("MapRunFailed", "mapRunFailedEventDetails", d);
  }

  /** As on AWS, a failed Map Run (or a stopped parent) aborts the child executions still running. */
  @Override
  protected void abandon() {
    for (Execution child : running) {
      services.actions().acted(AwsActionListener.roleStateMachine(child.stateMachineArn()), "states:StopExecution",
          child.executionArn(), Map.of());
      executions.abort(child, null, null);
    }
  }

  @Override
  protected void succeeding() {
    run.finish("SUCCEEDED", services.clock().instant());
    plan.context().branch().event("MapRunSucceeded", null, null);
  }

  @Override
  protected JsonNode result(ArrayNode outputs) {
    if (plan.state().spec().resultWriter() == null) {
      return outputs;
    }
    return ResultWriter.write(
        services.objectStoreActingFor(plan.context().branch().execution().stateMachineArn()), plan.state(), plan.context(), run, Arrays.asList(children));
  }
}
