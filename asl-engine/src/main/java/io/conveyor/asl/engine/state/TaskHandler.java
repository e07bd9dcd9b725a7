package io.conveyor.asl.engine.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conveyor.asl.definition.State;
import io.conveyor.asl.engine.StatesError;
import io.conveyor.asl.engine.TaskRequest;
import io.conveyor.asl.json.JsonValues;
import io.conveyor.asl.jsonata.JsonataSupport;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;

/**
 * Task: calls its resource through the engine's task executor with the state's arguments, records the Task (or
 * legacy Lambda) events, and applies TimeoutSeconds, HeartbeatSeconds and, for {@code .waitForTaskToken}, waits
 * for the token to come back through {@link Callbacks}.
 */
final class TaskHandler implements StateHandler<State.Task> {
  private static final String CALLBACK_SUFFIX = ".waitForTaskToken";
  /** Suffixes of an attempt's effect keys: it started (its token and deadline), its callback was submitted, it ended. */
  private static final String RUN = ":run";
  private static final String SUBMITTED = ":submitted";
  private static final String OUTCOME = ":outcome";

  private final Services services;

  TaskHandler(Services services) {
    this.services = services;
  }

  /**
   * How the resource appears in events: a Lambda function ARN ({@code legacyLambda}, LambdaFunction* events),
   * or a service integration {@code arn:aws:states:::<type>:<name>} (Task* events).
   */
  record Resource(String arn, boolean legacyLambda, String type, String name) {
    static Resource of(String arn) {
      if (!arn.startsWith("arn:aws:states:::")) {
        return new Resource(arn, arn.startsWith("arn:aws:lambda:"), "", arn);
      }
      String rest = arn.substring("arn:aws:states:::".length());
      int colon = rest.indexOf(':');
      String type = colon < 0 ? rest : rest.substring(0, colon);
      String name = colon < 0 ? rest : rest.substring(colon + 1);
      if (type.equals("aws-sdk")) {
        int c2 = name.indexOf(':');
        type = "aws-sdk:" + name.substring(0, Math.max(0, c2));
        name = name.substring(c2 + 1);
      }
      return new Resource(arn, false, type, name);
    }

    /** Details of a Task event, starting with the resource type and name (Lambda events do not name them). */
    ObjectNode details() {
      ObjectNode d = JsonValues.object();
      if (!legacyLambda) {
        d.put("resourceType", type);
        d.put("resource", name);
      }
      return d;
    }
  }

  @Override
  public CompletableFuture<Step> run(State.Task t, StateContext c) {
    boolean callback = t.resource().endsWith(CALLBACK_SUFFIX);
    Journal journal = c.branch().execution().journal();
    // This attempt's effect key, and what the journal has of it from before a restart: null in memory.
    String key = journal.durable() ? c.effectKey() + "@" + c.retryCount() : null;
    JsonNode started = key == null ? null : journal.get(key + RUN);
    if (callback) {
      // The token must exist before the arguments are evaluated: they usually pass $$.Task.Token along. A replayed
      // attempt keeps its token, which its caller may still hold.
      c.taskToken(started != null && started.hasNonNull("token") ? started.get("token").asText()
          : UUID.randomUUID().toString() + UUID.randomUUID().toString().replace("-", ""));
    }
    JsonNode params = Payloads.arguments(t, c);
    Long timeout = seconds(t, c, t.timeoutSeconds(), t.timeoutSecondsPath(), "TimeoutSeconds");
    Long heartbeat = seconds(t, c, t.heartbeatSeconds(), t.heartbeatSecondsPath(), "HeartbeatSeconds");
    Resource resource = Resource.of(t.resource());
    scheduled(c.branch(), resource, params, timeout, heartbeat);
    String token = c.taskToken();
    if (key != null) {
      CompletableFuture<Step> replayed = replay(t, c, resource, key, started, token, timeout, heartbeat);
      if (replayed != null) {
        return replayed;
      }
      ObjectNode run = JsonValues.object();
      if (token != null) {
        run.put("token", token);
      }
      if (timeout != null) {
        run.put("due", services.timers().dueAfter(timeout * 1000.0));
      }
      journal.put(key + RUN, run);
    }
    Callbacks.Waiting waiting = callback ? services.callbacks().register(token, heartbeat == null ? 0 : heartbeat * 1000,
        journal, key == null ? null : key + OUTCOME) : null;
    CompletableFuture<JsonNode> work = Futures.call(() -> services.tasks().execute(
        new TaskRequest(t.resource(), params, t.name(), c.branch().execution().executionArn(), token, timeout)));
    if (callback) {
      work = work.thenCompose(submitted -> {
        ObjectNode sd = resource.details();
        sd.set("output", submitted);
        sd.set("outputDetails", Payloads.NOT_TRUNCATED);
        c.branch().event("TaskSubmitted", "taskSubmittedEventDetails", sd);
        if (key != null) {
          journal.put(key + SUBMITTED, BooleanNode.TRUE);
        }
        services.callbacks().armHeartbeat(token, waiting);
        return waiting.future;
      });
      work.whenComplete((x, y) -> services.callbacks().forget(token, waiting));
    } else if (work.isDone()) {
      // The task answered at once (an in-process Lambda): nothing is left to time out, stop or wait for, so the
      // guard, its registration for StopExecution and the timeout timer below would only be undone at once.
      return CompletableFuture.completedFuture(
          Futures.joined(work, (result, err) -> done(t, c, resource, null, key, result, err)));
    }
    return guarded(t, c, resource, work, timeout == null ? null : timeout * 1000.0, waiting, key);
  }

  /**
   * An attempt the journal knows from before a restart: its recorded outcome, taken as it was; a callback whose
   * task was submitted, waiting again for its token; any other attempt that had started, failed as lost
   * ({@link TaskOutcomes#lost}). Null for an attempt that had not started: it runs now.
   */
  private CompletableFuture<Step> replay(State.Task t, StateContext c, Resource resource, String key,
      JsonNode started, String token, Long timeout, Long heartbeat) {
    Journal journal = c.branch().execution().journal();
    JsonNode outcome = journal.get(key + OUTCOME);
    if (outcome != null) {
      JsonNode result = TaskOutcomes.result(outcome);
      return CompletableFuture.completedFuture(Futures.joined(result != null
              ? CompletableFuture.completedFuture(result)
              : CompletableFuture.<JsonNode>failedFuture(TaskOutcomes.error(outcome)),
          (r, err) -> done(t, c, resource, null, null, r, err)));
    }
    if (started == null) {
      return null;
    }
    Double timeoutMillis = timeout == null ? null
        : started.has("due") ? services.timers().untilDue(started.get("due").asLong()) : timeout * 1000.0;
    if (token != null && journal.get(key + SUBMITTED) != null) {
      Callbacks.Waiting waiting = services.callbacks().register(token, heartbeat == null ? 0 : heartbeat * 1000,
          journal, key + OUTCOME);
      services.callbacks().armHeartbeat(token, waiting);
      CompletableFuture<JsonNode> work = waiting.future;
      work.whenComplete((x, y) -> services.callbacks().forget(token, waiting));
      return guarded(t, c, resource, work, timeoutMillis, waiting, key);
    }
    return CompletableFuture.completedFuture(Futures.joined(
        CompletableFuture.<JsonNode>failedFuture(TaskOutcomes.lost(t.resource())),
        (r, err) -> done(t, c, resource, null, key, r, err)));
  }

  /** The TaskScheduled and TaskStarted events (LambdaFunctionScheduled and ...Started for a function ARN). */
  private void scheduled(Branch b, Resource resource, JsonNode params, Long timeout, Long heartbeat) {
    ObjectNode d = JsonValues.object();
    if (resource.legacyLambda()) {
      d.put("resource", resource.arn());
      d.set("input", params);
      d.set("inputDetails", Payloads.NOT_TRUNCATED);
    } else {
      d.put("resourceType", resource.type());
      d.put("resource", resource.name());
      d.put("region", services.region());
      d.set("parameters", params);
    }
    if (timeout != null) {
      d.put("timeoutInSeconds", timeout);
    }
    if (resource.legacyLambda()) {
      b.event("LambdaFunctionScheduled", "lambdaFunctionScheduledEventDetails", d);
      b.event("LambdaFunctionStarted", null, null);
      return;
    }
    if (heartbeat != null) {
      d.put("heartbeatInSeconds", heartbeat);
    }
    b.event("TaskScheduled", "taskScheduledEventDetails", d);
    b.event("TaskStarted", "taskStartedEventDetails", resource.details());
  }

  /** Waits for {@code work} as the state allows: until its timeout, its heartbeat timeout or a stop. */
  private CompletableFuture<Step> guarded(State.Task t, StateContext c, Resource resource,
      CompletableFuture<JsonNode> work, Double timeoutMillis, Callbacks.Waiting waiting, String key) {
    RunningExecution exec = c.branch().execution();
    CompletableFuture<JsonNode> guard = new CompletableFuture<>();
    exec.track(guard);
    work.whenComplete((v, e) -> {
      if (e != null) {
        guard.completeExceptionally(Futures.unwrap(e));
      } else {
        guard.complete(v);
      }
    });
    ScheduledFuture<?> timer = timeoutMillis == null ? null : services.timers().schedule(timeoutMillis,
        () -> guard.completeExceptionally(new StatesError(StatesError.TIMEOUT, null)));
    if (waiting != null) {
      waiting.future.whenComplete((x, y) -> {
        if (y != null && Futures.unwrap(y) instanceof StatesError se
            && StatesError.HEARTBEAT_TIMEOUT.equals(se.error())) {
          guard.completeExceptionally(se);
        }
      });
    }
    return guard.handle((result, err) -> {
      exec.untrack(guard);
      if (timer != null) {
        timer.cancel(false);
      }
      return done(t, c, resource, waiting, key, result, err);
    });
  }

  /**
   * Records how the task ended (its Succeeded, Failed or TimedOut event, and with {@code key}, its outcome in the
   * journal, unless a callback's answer recorded it already) and processes its result.
   */
  private static Step done(State.Task t, StateContext c, Resource resource, Callbacks.Waiting waiting, String key,
      JsonNode result, Throwable err) {
    if (err != null) {
      Throwable u = Futures.unwrap(err);
      if (waiting != null) {
        waiting.future.completeExceptionally(u);
      }
      StatesError se = u instanceof StatesError s ? s
          : new StatesError(StatesError.TASK_FAILED, String.valueOf(u.getMessage()));
      if (!StatesError.ABORTED.equals(se.error()) && !se.stateScoped()) {
        // A stop is the execution's to record; a state-level error is evaluated again in a replay.
        record(c, key, () -> TaskOutcomes.failure(se));
        failed(c.branch(), resource, se);
      }
      throw Futures.rethrow(se);
    }
    record(c, key, () -> TaskOutcomes.success(result));
    ObjectNode d = resource.details();
    d.set("output", result);
    d.set("outputDetails", Payloads.NOT_TRUNCATED);
    if (resource.legacyLambda()) {
      c.branch().event("LambdaFunctionSucceeded", "lambdaFunctionSucceededEventDetails", d);
    } else {
      c.branch().event("TaskSucceeded", "taskSucceededEventDetails", d);
    }
    if (JsonValues.exceedsUtf8Size(result, Payloads.MAX_PAYLOAD_BYTES)) {
      throw Payloads.tooLarge(t);
    }
    c.branch().withinLimit = result;
    return Payloads.finish(c, result);
  }

  private static void record(StateContext c, String key, java.util.function.Supplier<JsonNode> outcome) {
    if (key == null) {
      return;
    }
    Journal journal = c.branch().execution().journal();
    if (journal.get(key + OUTCOME) == null) {
      journal.put(key + OUTCOME, outcome.get());
    }
  }

  private static void failed(Branch b, Resource resource, StatesError se) {
    boolean timedOut = StatesError.TIMEOUT.equals(se.error()) || StatesError.HEARTBEAT_TIMEOUT.equals(se.error());
    ObjectNode d = resource.details();
    if (se.error() != null) {
      d.put("error", se.error());
    }
    if (se.errorCause() != null) {
      d.put("cause", se.errorCause());
    }
    String kind = timedOut ? "TimedOut" : "Failed";
    if (resource.legacyLambda()) {
      b.event("LambdaFunction" + kind, "lambdaFunction" + kind + "EventDetails", d);
    } else {
      b.event("Task" + kind, "task" + kind + "EventDetails", d);
    }
  }

  /** TimeoutSeconds or HeartbeatSeconds (or their Path or JSONata forms): positive seconds, or null. */
  private static Long seconds(State s, StateContext c, JsonNode value, JsonNode path, String field) {
    if (value != null && !value.isMissingNode()) {
      JsonNode v = value;
      if (s.isJsonata() && JsonataSupport.isExpression(v)) {
        v = JsonataSupport.evaluateTemplate(v, c, field);
      }
      if (!v.isNumber() || v.longValue() <= 0) {
        throw StatesError.inState(s.isJsonata() ? StatesError.QUERY_EVALUATION_ERROR : StatesError.RUNTIME,
            "The " + field + " field must be a positive integer, but was: " + JsonValues.write(v));
      }
      return v.longValue();
    }
    if (path != null && !path.isMissingNode()) {
      JsonNode v = Payloads.selectPath(path.asText(), c);
      if (!v.isNumber() || v.longValue() <= 0) {
        throw StatesError.runtime("The " + field + "Path field refers to value " + JsonValues.write(v)
            + " which is not a valid positive integer: " + path.asText());
      }
      return v.longValue();
    }
    return null;
  }
}
