package io.conveyor.asl.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conveyor.asl.definition.StateMachineDefinition;
import io.conveyor.asl.engine.state.Branch;
import io.conveyor.asl.engine.state.Futures;
import io.conveyor.asl.engine.state.Interpreter;
import io.conveyor.asl.engine.state.MapPlan;
import io.conveyor.asl.engine.state.Payloads;
import io.conveyor.asl.engine.state.Services;
import io.conveyor.asl.engine.state.Step;
import io.conveyor.asl.history.History;
import io.conveyor.asl.json.JsonValues;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;

/**
 * An execution from start to end: created with its ExecutionStarted event and its timeout, run by the
 * {@link Interpreter} on a worker, and ended once (ExecutionSucceeded, Failed, TimedOut or Aborted); redriven from
 * the state that failed. Also starts Distributed Maps' child executions.
 */
final class ExecutionLifecycle {
  private final Services services;
  private final int historyLimit;
  private final boolean keepHistory;
  private final ExecutionRegistry registry;
  private final Interpreter interpreter;

  ExecutionLifecycle(Services services, int historyLimit, boolean keepHistory, ExecutionRegistry registry) {
    this.services = services;
    this.historyLimit = historyLimit;
    this.keepHistory = keepHistory;
    this.registry = registry;
    this.interpreter = new Interpreter(services, this::runDistributedMap);
  }

  /**
   * Starts an execution on a worker thread.
   *
   * @param listed true to keep it in the registry (standard executions), false for express ones
   */
  Execution start(StateMachineDefinition program, String arn, String name, String smArn, String smName,
      JsonNode input, boolean listed) {
    Execution e = create(program, arn, name, smArn, smName, input, null, 0, listed);
    services.workers().execute(() -> run(e, program.startAt(), input, null));
    return e;
  }

  /** A new running execution with its ExecutionStarted event, registered when listed, its timeout armed. */
  Execution create(StateMachineDefinition program, String arn, String name, String smArn, String smName,
      JsonNode input, String mapRunArn, int itemCount, boolean listed) {
    History h = new History(services.clock(), historyLimit, keepHistory);
    Execution e = new Execution(arn, name, smArn, smName, program, input, services.clock().instant(), h, mapRunArn,
        itemCount, listed ? registry : null);
    ObjectNode d = JsonValues.object();
    d.set("input", input);
    d.set("inputDetails", Payloads.NOT_TRUNCATED);
    d.put("roleArn", e.roleArn());
    h.add("ExecutionStarted", 0, "executionStartedEventDetails", d);
    if (listed) {
      registry.add(e);
    }
    if (program.timeoutSeconds() != null) {
      scheduleTimeout(e, program.timeoutSeconds());
    }
    return e;
  }

  private void scheduleTimeout(Execution e, int seconds) {
    CompletableFuture<Execution> completion = e.completion();
    ScheduledFuture<?> t = services.timers().schedule(seconds * 1000.0, () -> {
      ObjectNode d = JsonValues.object();
      d.put("error", StatesError.TIMEOUT);
      d.put("cause", "");
      // As every other ending: the terminal event is in the history before anyone sees the status.
      synchronized (e) {
        if (e.status() != ExecutionStatus.RUNNING) {
          return;
        }
        e.history().addTerminal("ExecutionTimedOut", e.history().lastId(), "executionTimedOutEventDetails", d);
        e.finish(ExecutionStatus.TIMED_OUT, null, StatesError.TIMEOUT, null, services.clock().instant());
      }
      e.requestStop();
    });
    completion.whenComplete((x, y) -> t.cancel(false));
  }

  /**
   * Runs an execution from {@code startAt} to its end and ends it as its top-level branch ended.
   *
   * @param mapContext {@code $$.Map} for a Distributed Map's child execution, else null
   */
  void run(Execution e, String startAt, JsonNode input, ObjectNode mapContext) {
    Branch top = Branch.top(new ExecutionHandle(e, registry), e.variables(), mapContext);
    interpreter.runExecution(e.program(), startAt, input, top).whenComplete((out, err) -> finish(e, out, err));
  }

  private void finish(Execution e, JsonNode out, Throwable err) {
    Instant now = services.clock().instant();
    History h = e.history();
    if (err == null) {
      synchronized (e) {
        if (e.status() != ExecutionStatus.RUNNING) {
          return;
        }
        ObjectNode d = JsonValues.object();
        d.set("output", out);
        d.set("outputDetails", Payloads.NOT_TRUNCATED);
        h.addTerminal("ExecutionSucceeded", h.lastId(), "executionSucceededEventDetails", d);
        e.finish(ExecutionStatus.SUCCEEDED, out, null, null, now);
      }
      return;
    }
    Throwable t = Futures.unwrap(err);
    String error = StatesError.RUNTIME;
    String cause;
    if (t instanceof StatesError se) {
      error = se.error();
      cause = se.errorCause();
    } else if (t instanceof History.HistoryLimitExceededException) {
      cause = t.getMessage();
    } else {
      cause = "Internal error: " + t;
    }
    if (StatesError.ABORTED.equals(error) && e.stopRequested()) {
      // Whoever stopped it (StopExecution, its timeout) has ended it already.
      return;
    }
    end(e, ExecutionStatus.FAILED, "ExecutionFailed", "executionFailedEventDetails", error, cause);
  }

  /** StopExecution, or a failed Map Run aborting its children: false when the execution was not running. */
  boolean abort(Execution e, String error, String cause) {
    if (!end(e, ExecutionStatus.ABORTED, "ExecutionAborted", "executionAbortedEventDetails", error, cause)) {
      return false;
    }
    e.requestStop();
    return true;
  }

  /** Ends a running execution as failed or aborted, with its terminal event; false when it had ended. */
  private boolean end(Execution e, ExecutionStatus status, String type, String key, String error, String cause) {
    synchronized (e) {
      if (e.status() != ExecutionStatus.RUNNING) {
        return false;
      }
      ObjectNode d = JsonValues.object();
      if (error != null) {
        d.put("error", error);
      }
      if (cause != null) {
        d.put("cause", cause);
      }
      e.history().addTerminal(type, e.history().lastId(), key, d);
      e.finish(status, null, error, cause, services.clock().instant());
      return true;
    }
  }

  /** Runs a failed, timed-out or aborted execution again from the state that failed, with its input. */
  boolean redrive(Execution e) {
    Execution.RedrivePoint p = e.redrivePoint();
    if (p == null || !e.beginRedrive(services.clock().instant())) {
      return false;
    }
    ObjectNode d = JsonValues.object();
    d.put("redriveCount", e.redriveCount());
    e.history().addTerminal("ExecutionRedriven", e.history().lastId(), "executionRedrivenEventDetails", d);
    services.workers().execute(() -> run(e, p.stateName(), p.input(), null));
    return true;
  }

  private CompletableFuture<Step> runDistributedMap(MapPlan plan) {
    return new DistributedMapRun(plan, this, services).start();
  }
}
