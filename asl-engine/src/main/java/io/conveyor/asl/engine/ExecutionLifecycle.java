package io.conveyor.asl.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conveyor.asl.definition.DefinitionParser;
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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
  /** Where executions are kept with a data directory; null in memory. */
  private final DurableExecutions durable;

  ExecutionLifecycle(Services services, int historyLimit, boolean keepHistory, ExecutionRegistry registry,
      DurableExecutions durable) {
    this.services = services;
    this.durable = durable;
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
    Execution e = create(program, arn, name, smArn, smName, input, null, 0, listed, null);
    if (durable != null && listed) {
      durable.started(e);
    }
    services.workers().execute(() -> run(e, program.startAt(), input, null));
    return e;
  }

  /**
   * A Distributed Map's child execution, registered, to {@link #run}; or, when the data directory has it as ended
   * (its parent is being replayed), restored as it ended.
   */
  Execution child(StateMachineDefinition program, String arn, String name, String smArn, String smName,
      JsonNode input, String mapRunArn, int itemCount) {
    ObjectNode ended = durable == null ? null : durable.endedChild(arn);
    Execution e = create(program, arn, name, smArn, smName, input, mapRunArn, itemCount, true, null);
    if (ended != null) {
      restoreEnding(e, ended);
    } else if (durable != null) {
      durable.childStarted(e);
    }
    return e;
  }

  /**
   * A new running execution with its ExecutionStarted event, registered when listed, its timeout armed.
   *
   * @param startDate when it started, for one resumed from a data directory; null for now
   */
  private Execution create(StateMachineDefinition program, String arn, String name, String smArn, String smName,
      JsonNode input, String mapRunArn, int itemCount, boolean listed, Instant startDate) {
    History h = new History(services.clock(), historyLimit, keepHistory);
    Instant start = startDate != null ? startDate : services.clock().instant();
    Execution e = new Execution(arn, name, smArn, smName, program, input, start, h, mapRunArn,
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
      double millis = program.timeoutSeconds() * 1000.0;
      // A resumed execution has what is left of its time since it started.
      scheduleTimeout(e, startDate == null ? millis
          : Math.max(0, millis - (services.clock().millis() - startDate.toEpochMilli())));
    }
    return e;
  }

  /**
   * The top-level executions of the data directory: those that had ended, restored as they ended; those that had
   * not, resumed, their replays started. Returns the resumed ones.
   */
  List<Execution> resumeAll() {
    List<Execution> resumed = new ArrayList<>();
    for (ObjectNode r : durable.load(services.callbacks())) {
      StateMachineDefinition program = DefinitionParser.parse(r.get("definition"));
      String arn = r.get("executionArn").asText();
      Execution e = create(program, arn, r.get("name").asText(), r.get("stateMachineArn").asText(),
          r.get("stateMachineName").asText(), r.get("input"), null, 0, true,
          DurableExecutions.instant(r.get("startDate")));
      JsonNode redrive = r.get("redrive");
      if (redrive != null) {
        e.variables().putAll(variables(redrive.get("variables")));
        e.restoreRedrive(redrive.get("count").asInt(), DurableExecutions.instant(redrive.get("date")));
        e.failedAt(redrive.get("state").asText(), redrive.get("input"));
      }
      if (r.hasNonNull("status")) {
        restoreEnding(e, r);
        continue;
      }
      durable.resumed(e);
      resumed.add(e);
      if (redrive != null) {
        services.workers().execute(() -> run(e, redrive.get("state").asText(), redrive.get("input"), null));
      } else {
        services.workers().execute(() -> run(e, program.startAt(), e.input(), null));
      }
    }
    return resumed;
  }

  private static Map<String, JsonNode> variables(JsonNode snapshot) {
    Map<String, JsonNode> m = new HashMap<>();
    for (Map.Entry<String, JsonNode> f : snapshot.properties()) {
      m.put(f.getKey(), f.getValue());
    }
    return m;
  }

  /** Ends a restored execution as its record says it ended, with its terminal event; nothing is recorded again. */
  private static void restoreEnding(Execution e, ObjectNode r) {
    ExecutionStatus status = ExecutionStatus.valueOf(r.get("status").asText());
    String error = r.hasNonNull("error") ? r.get("error").asText() : null;
    String cause = r.hasNonNull("cause") ? r.get("cause").asText() : null;
    JsonNode output = r.hasNonNull("output") ? r.get("output") : null;
    ObjectNode d = JsonValues.object();
    String type;
    switch (status) {
      case SUCCEEDED -> {
        type = "ExecutionSucceeded";
        d.set("output", output);
        d.set("outputDetails", Payloads.NOT_TRUNCATED);
      }
      case TIMED_OUT -> type = "ExecutionTimedOut";
      case ABORTED -> type = "ExecutionAborted";
      default -> type = "ExecutionFailed";
    }
    if (status != ExecutionStatus.SUCCEEDED) {
      if (error != null) {
        d.put("error", error);
      }
      if (cause != null) {
        d.put("cause", cause);
      }
    }
    synchronized (e) {
      String key = Character.toLowerCase(type.charAt(0)) + type.substring(1) + "EventDetails";
      e.history().addTerminal(type, e.history().lastId(), key, d);
      e.finish(status, output, error, cause, DurableExecutions.instant(r.get("stopDate")), false);
    }
  }

  private void scheduleTimeout(Execution e, double millis) {
    CompletableFuture<Execution> completion = e.completion();
    ScheduledFuture<?> t = services.timers().schedule(millis, () -> {
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
    if (durable != null && e.mapRunArn() == null) {
      durable.redriven(e, p);
    }
    services.workers().execute(() -> run(e, p.stateName(), p.input(), null));
    return true;
  }

  private CompletableFuture<Step> runDistributedMap(MapPlan plan) {
    return new DistributedMapRun(plan, this, services).start();
  }
}
