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
import com.fasterxml.jackson.databind.node.TextNode;
import io.conveyor.asl.engine.state.Journal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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
        + runId(parent.journal(), plan.context().effectKey());
    this.run = new MapRun(runArn, parent.executionArn(), parent.stateMachineArn() + "/" + label, label,
        services.clock().instant(), plan.maxConcurrency(),
        plan.toleratedPercentage() == null ? 0 : plan.toleratedPercentage(),
        plan.toleratedCount() == null ? 0 : plan.toleratedCount().longValue(),
        "EXPRESS".equals(m.spec().executionType()) ? ":express:" : ":execution:");
    parent.startedMapRun(run);
    ObjectNode d = JsonValues.object();
    d.put("mapRunArn", runArn);
    plan.context().branch().event("MapRunStarted", "mapRunStartedEventDetails", d);
    run.executions().planned(plan.iterations().size());
    run.items().planned(plan.totalWeight());
  }

  /** A new Map Run's id; a replay's is the one its run recorded, so its children are found again. */
  private static String runId(Journal journal, String stateKey) {
    if (!journal.durable()) {
      return UUID.randomUUID().toString();
    }
    String key = stateKey + ":mapRun";
    JsonNode recorded = journal.get(key);
    if (recorded != null) {
      return recorded.asText();
    }
    String id = UUID.randomUUID().toString();
    journal.put(key, TextNode.valueOf(id));
    return id;
  }

  /**
   * The name of the run's child execution for item (or batch) {@code index}: a UUID, as on AWS, derived from the
   * Map Run's ARN and the index, so that a replay finds the children its run started without recording each.
   */
  static String childName(String mapRunArn, int index) {
    return UUID.nameUUIDFromBytes((mapRunArn + "#" + index).getBytes(StandardCharsets.UTF_8)).toString();
  }

  /** The ARN of the child execution {@link #childName named} so, of a run whose children have {@code kind}. */
  static String childArn(MapRun run, String kind, int index) {
    return run.stateMachineArn().replace(":stateMachine:", kind) + ":" + childName(run.mapRunArn(), index);
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
    String name = childName(run.mapRunArn(), i);
    String arn = childArn(run, run.childKind(), i);
    String smName = run.stateMachineArn().substring(run.stateMachineArn().lastIndexOf(':') + 1);
    // A child that ended before a restart is restored as it ended, not run again. The Map Run starts each child on the
    // state machine itself, and describes it until it ends.
    String role = AwsActionListener.roleStateMachine(run.stateMachineArn());
    services.actions().acted(role, "states:StartExecution", role, Map.of());
    services.actions().acted(role, "states:DescribeExecution", arn, Map.of());
    Execution child = executions.child(processor, arn, name, run.stateMachineArn(), smName, input,
        run.mapRunArn(), plan.weight(i));
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
    if (child.status() == ExecutionStatus.RUNNING) {
      executions.run(child, processor.startAt(), input, mapContext);
    }
  }

  /** The ARNs of the child executions the run has started so far, in item order. */
  static List<String> children(MapRun run) {
    List<String> arns = new ArrayList<>();
    long started = run.executions().total() - run.executions().pending();
    String kind = run.childKind();
    for (int i = 0; i < started; i++) {
      arns.add(childArn(run, kind, i));
    }
    return arns;
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
