package io.conveyor.asl.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conveyor.asl.definition.Catcher;
import io.conveyor.asl.definition.ChoiceRule;
import io.conveyor.asl.definition.StateMachineDefinition;
import io.conveyor.asl.definition.Retrier;
import io.conveyor.asl.definition.State;
import io.conveyor.asl.engine.state.ChoiceOperators;
import io.conveyor.asl.engine.state.Rfc3339;
import io.conveyor.asl.history.History;
import io.conveyor.asl.json.Json;
import io.conveyor.asl.jsonata.JsonataSupport;
import io.conveyor.asl.path.JsonPaths;
import io.conveyor.asl.path.PathNotFoundException;
import io.conveyor.asl.path.PathScope;
import io.conveyor.asl.path.PayloadTemplate;
import io.conveyor.asl.path.Sampler;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Interprets parsed states. Each state returns a future of its {@link Step}; a trampoline loop runs states that
 * complete synchronously without growing the stack, and resumes on a worker thread when a state had to wait.
 */
final class Interpreter {

  /** AWS's payload limit for inputs, outputs and results: 256 KiB of UTF-8. */
  static final int MAX_PAYLOAD_BYTES = 256 * 1024;
  static final String ABORTED = "States.Aborted";

  private final Engine engine;

  Interpreter(Engine engine) {
    this.engine = engine;
  }

  /** The outcome of one state: its output and the next state (null when the branch ends). */
  record Step(JsonNode output, String next) {
  }

  /** A branch of execution: the execution, its variable scope, the Map item context, and the event chain. */
  static final class Frame {
    final Execution exec;
    final Variables vars;
    final ObjectNode mapContext;
    final boolean top;
    final History history;
    private long prev;
    /**
     * The value this branch last found within the payload limit. Values are never changed once produced, so a
     * state whose output is that very value (a Pass or Choice passing its input on, a Task's result taken whole)
     * needs no second walk over it. Read and written by the branch's states, one after the other.
     */
    JsonNode withinLimit;

    Frame(Execution exec, Variables vars, ObjectNode mapContext, boolean top, long prev) {
      this.exec = exec;
      this.vars = vars;
      this.mapContext = mapContext;
      this.top = top;
      this.prev = prev;
      this.history = exec.history();
    }

    synchronized long event(String type, String key, ObjectNode details) {
      prev = history.add(type, prev, key, details);
      return prev;
    }

    synchronized long stateEvent(String type, String key, String stateName, String payloadKey, JsonNode payload) {
      prev = history.addStateEvent(type, prev, key, stateName, payloadKey, payload);
      return prev;
    }

    synchronized long prev() {
      return prev;
    }
  }

  // ---------------------------------------------------------------- executions

  /**
   * Starts an execution on a worker thread.
   *
   * @param listed true to keep it in the engine's registry (standard executions), false for express ones
   */
  Execution start(StateMachineDefinition program, String arn, String name, String smArn, String smName, JsonNode input,
      boolean listed) {
    Execution e = create(program, arn, name, smArn, smName, input, null, 0, listed);
    engine.workers.execute(() -> runTop(e, program.startAt(), input, null));
    return e;
  }

  /** A new running execution with its ExecutionStarted event, registered when listed, its timeout armed. */
  private Execution create(StateMachineDefinition program, String arn, String name, String smArn, String smName, JsonNode input,
      String mapRunArn, int itemCount, boolean listed) {
    History h = new History(engine.clock, engine.historyLimit, engine.keepHistory);
    Execution e = new Execution(arn, name, smArn, smName, program, input, engine.clock.instant(), h, mapRunArn,
        itemCount, listed ? engine.executions : null);
    ObjectNode d = Json.object();
    d.set("input", input);
    d.set("inputDetails", truncated());
    d.put("roleArn", e.roleArn());
    h.add("ExecutionStarted", 0, "executionStartedEventDetails", d);
    e.rootVariables = new Variables(null);
    if (listed) {
      engine.executions.add(e);
    }
    if (program.timeoutSeconds() != null) {
      scheduleExecutionTimeout(e, program.timeoutSeconds());
    }
    return e;
  }

  private void scheduleExecutionTimeout(Execution e, int seconds) {
    CompletableFuture<Execution> completion = e.completion();
    ScheduledFuture<?> t = engine.schedule(seconds * 1000.0, () -> {
      if (e.status() == ExecutionStatus.RUNNING) {
        ObjectNode d = Json.object();
        d.put("error", StatesError.TIMEOUT);
        d.put("cause", "");
        if (e.finish(ExecutionStatus.TIMED_OUT, null, StatesError.TIMEOUT, null, engine.clock.instant())) {
          e.history().addTerminal("ExecutionTimedOut", e.history().lastId(), "executionTimedOutEventDetails", d);
          e.requestStop();
        }
      }
    });
    completion.whenComplete((x, y) -> t.cancel(false));
  }

  /** {"truncated":false}, shared by every event that carries it: no one changes it. */
  private static final ObjectNode NOT_TRUNCATED = Json.object().put("truncated", false);

  private static ObjectNode truncated() {
    return NOT_TRUNCATED;
  }

  /** Runs an execution from {@code startAt} to its end; {@code mapContext} is $$.Map for a Map's child. */
  private void runTop(Execution e, String startAt, JsonNode input, ObjectNode mapContext) {
    Frame root = new Frame(e, e.rootVariables, mapContext, true, e.history().lastId());
    if (Json.exceedsUtf8Size(input, MAX_PAYLOAD_BYTES)) {
      finish(e, null, new StatesError(StatesError.DATA_LIMIT_EXCEEDED,
          "The state/task input exceeds the maximum number of bytes service limit."), false);
      return;
    }
    root.withinLimit = input;
    runProgram(e.program(), startAt, input, root)
        .whenComplete((out, err) -> finish(e, out, err, out != null && out == root.withinLimit));
  }

  /** @param outputChecked true when {@code out} is known to be within the payload limit */
  private void finish(Execution e, JsonNode out, Throwable err, boolean outputChecked) {
    Instant now = engine.clock.instant();
    History h = e.history();
    if (err == null) {
      if (!outputChecked && Json.exceedsUtf8Size(out, MAX_PAYLOAD_BYTES)) {
        err = new StatesError(StatesError.DATA_LIMIT_EXCEEDED,
            "The state/task output exceeds the maximum number of bytes service limit.");
      } else {
        synchronized (e) {
          if (e.status() != ExecutionStatus.RUNNING) {
            return;
          }
          ObjectNode d = Json.object();
          d.set("output", out);
          d.set("outputDetails", truncated());
          h.addTerminal("ExecutionSucceeded", h.lastId(), "executionSucceededEventDetails", d);
          e.finish(ExecutionStatus.SUCCEEDED, out, null, null, now);
        }
        return;
      }
    }
    Throwable t = unwrap(err);
    String error;
    String cause;
    if (t instanceof StatesError se) {
      error = se.error();
      cause = se.errorCause();
    } else if (t instanceof History.HistoryLimitExceededException) {
      error = StatesError.RUNTIME;
      cause = t.getMessage();
    } else {
      error = StatesError.RUNTIME;
      cause = "Internal error: " + t;
    }
    if (ABORTED.equals(error) && e.stopRequested()) {
      return;
    }
    synchronized (e) {
      if (e.status() != ExecutionStatus.RUNNING) {
        return;
      }
      ObjectNode d = Json.object();
      if (error != null) {
        d.put("error", error);
      }
      if (cause != null) {
        d.put("cause", cause);
      }
      h.addTerminal("ExecutionFailed", h.lastId(), "executionFailedEventDetails", d);
      e.finish(ExecutionStatus.FAILED, null, error, cause, now);
    }
  }

  boolean abort(Execution e, String error, String cause) {
    synchronized (e) {
      if (e.status() != ExecutionStatus.RUNNING) {
        return false;
      }
      ObjectNode d = Json.object();
      if (error != null) {
        d.put("error", error);
      }
      if (cause != null) {
        d.put("cause", cause);
      }
      e.history().addTerminal("ExecutionAborted", e.history().lastId(), "executionAbortedEventDetails", d);
      e.finish(ExecutionStatus.ABORTED, null, error, cause, engine.clock.instant());
    }
    e.requestStop();
    return true;
  }

  boolean redrive(Execution e) {
    Execution.RedrivePoint p = e.redrivePoint;
    if (p == null || !e.beginRedrive(engine.clock.instant())) {
      return false;
    }
    ObjectNode d = Json.object();
    d.put("redriveCount", e.redriveCount());
    e.history().addTerminal("ExecutionRedriven", e.history().lastId(), "executionRedrivenEventDetails", d);
    e.redrivePoint = null;
    engine.workers.execute(() -> runTop(e, p.stateName(), p.input(), null));
    return true;
  }

  // ---------------------------------------------------------------- the trampoline

  CompletableFuture<JsonNode> runProgram(StateMachineDefinition program, String startAt, JsonNode input, Frame frame) {
    CompletableFuture<JsonNode> result = new CompletableFuture<>();
    drive(program, startAt, input, frame, result);
    return result;
  }

  private void drive(StateMachineDefinition program, String stateName, JsonNode input, Frame frame,
      CompletableFuture<JsonNode> result) {
    String name = stateName;
    JsonNode in = input;
    while (true) {
      if (frame.exec.stopRequested() || frame.exec.status() != ExecutionStatus.RUNNING) {
        result.completeExceptionally(new StatesError(ABORTED, "Execution stopped"));
        return;
      }
      State s = program.state(name);
      if (s == null) {
        result.completeExceptionally(new StatesError(StatesError.RUNTIME, "State not found: " + name));
        return;
      }
      CompletableFuture<Step> f;
      try {
        f = execute(s, in, frame);
      } catch (Throwable t) {
        f = CompletableFuture.failedFuture(t);
      }
      if (f.isDone()) {
        Step st;
        try {
          st = f.join();
        } catch (Throwable t) {
          fail(frame, name, in, t, result);
          return;
        }
        if (st.next() == null) {
          result.complete(st.output());
          return;
        }
        name = st.next();
        in = st.output();
        continue;
      }
      final String current = name;
      final JsonNode currentInput = in;
      f.whenComplete((st, err) -> engine.workers.execute(() -> {
        if (err != null) {
          fail(frame, current, currentInput, err, result);
        } else if (st.next() == null) {
          result.complete(st.output());
        } else {
          drive(program, st.next(), st.output(), frame, result);
        }
      }));
      return;
    }
  }

  private void fail(Frame frame, String stateName, JsonNode input, Throwable err,
      CompletableFuture<JsonNode> result) {
    if (frame.top) {
      frame.exec.redrivePoint = new Execution.RedrivePoint(stateName, input);
    }
    result.completeExceptionally(unwrap(err));
  }

  static Throwable unwrap(Throwable t) {
    while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  private static RuntimeException rethrow(Throwable t) {
    Throwable u = unwrap(t);
    if (u instanceof RuntimeException r) {
      return new CompletionException(r);
    }
    return new CompletionException(u);
  }

  // ---------------------------------------------------------------- per-state context

  /** Everything a state's evaluation needs; also the {@link PathScope} and JSONata bindings of that state. */
  final class Ctx implements PathScope, JsonataSupport.Bindings {
    final State state;
    final JsonNode raw;
    final Frame frame;
    final Instant entered;
    final long enteredId;
    volatile int retryCount;
    volatile String taskToken;
    JsonNode result;
    JsonNode errorOutput;
    private ObjectNode context;

    Ctx(State state, JsonNode raw, Frame frame, Instant entered, long enteredId) {
      this.state = state;
      this.raw = raw;
      this.frame = frame;
      this.entered = entered;
      this.enteredId = enteredId;
    }

    @Override
    public JsonNode input() {
      return raw;
    }

    @Override
    public synchronized JsonNode contextObject() {
      if (context == null || context.path("State").path("RetryCount").asInt() != retryCount
          || (taskToken != null && !context.has("Task"))) {
        ObjectNode c = Json.object();
        c.set("Execution", frame.exec.contextExecution());
        ObjectNode sm = Json.object();
        sm.put("Id", frame.exec.stateMachineArn());
        sm.put("Name", frame.exec.stateMachineName());
        c.set("StateMachine", sm);
        ObjectNode st = Json.object();
        st.put("EnteredTime", entered.toString());
        st.put("Name", state.name());
        st.put("RetryCount", retryCount);
        c.set("State", st);
        if (frame.mapContext != null) {
          c.set("Map", frame.mapContext);
        }
        if (taskToken != null) {
          ObjectNode t = Json.object();
          t.put("Token", taskToken);
          c.set("Task", t);
        }
        context = c;
      }
      return context;
    }

    @Override
    public JsonNode variable(String name) {
      return frame.vars.get(name);
    }

    @Override
    public JsonNode states() {
      ObjectNode s = Json.object();
      s.set("input", raw);
      s.set("context", contextObject());
      if (result != null) {
        s.set("result", result);
      }
      if (errorOutput != null) {
        s.set("errorOutput", errorOutput);
      }
      return s;
    }
  }

  /** The StateEntered and StateExited event types per state type, named once instead of at every state. */
  private static final Map<String, String> ENTERED = eventTypes("StateEntered");
  private static final Map<String, String> EXITED = eventTypes("StateExited");

  private static Map<String, String> eventTypes(String suffix) {
    Map<String, String> m = new HashMap<>();
    for (String type : List.of("Task", "Pass", "Choice", "Wait", "Succeed", "Fail", "Parallel", "Map")) {
      m.put(type, type + suffix);
    }
    return Map.copyOf(m);
  }

  private CompletableFuture<Step> execute(State s, JsonNode raw, Frame frame) {
    long enteredId = frame.stateEvent(ENTERED.get(s.type()), "stateEnteredEventDetails", s.name(), "input", raw);
    Ctx c = new Ctx(s, raw, frame, engine.clock.instant(), enteredId);
    CompletableFuture<Step> r;
    Step now = null;
    try {
      if (s instanceof State.Pass p) {
        now = pass(p, c);
        r = null;
      } else if (s instanceof State.Choice ch) {
        now = choice(ch, c);
        r = null;
      } else if (s instanceof State.Succeed su) {
        now = succeed(su, c);
        r = null;
      } else if (s instanceof State.Fail fa) {
        throw fail(fa, c);
      } else if (s instanceof State.Wait w) {
        r = wait(w, c);
      } else if (s instanceof State.Task t) {
        r = withRetry(c, () -> task(t, c));
      } else if (s instanceof State.Parallel p) {
        r = withRetry(c, () -> parallel(p, c));
      } else {
        State.MapState m = (State.MapState) s;
        r = withRetry(c, () -> map(m, c));
      }
    } catch (Throwable t) {
      r = CompletableFuture.failedFuture(t);
    }
    if (now != null) {
      return CompletableFuture.completedFuture(exit(s, c, now));
    }
    if (r.isDone() && !r.isCompletedExceptionally()) {
      return CompletableFuture.completedFuture(exit(s, c, r.join()));
    }
    return r.handle((step, err) -> {
      if (err != null) {
        throw rethrow(prefix(unwrap(err), s, enteredId));
      }
      return exit(s, c, step);
    });
  }

  private Step exit(State s, Ctx c, Step step) {
    if (step.output() != c.frame.withinLimit && Json.exceedsUtf8Size(step.output(), MAX_PAYLOAD_BYTES)) {
      throw new StatesError(StatesError.DATA_LIMIT_EXCEEDED, "The state/task '" + s.name()
          + "' returned a result with a size exceeding the maximum number of bytes service limit.");
    }
    c.frame.withinLimit = step.output();
    c.frame.stateEvent(EXITED.get(s.type()), "stateExitedEventDetails", s.name(), "output", step.output());
    return step;
  }

  private static Throwable prefix(Throwable t, State s, long enteredId) {
    if (t instanceof StatesError se && se.stateScoped()) {
      return se.withStatePrefix(s.name(), enteredId);
    }
    return t;
  }

  // ---------------------------------------------------------------- JSONPath plumbing

  private static JsonNode inputPath(State s, Ctx c) {
    JsonNode ip = s.common().inputPath();
    if (ip.isMissingNode()) {
      return c.raw;
    }
    if (ip.isNull()) {
      return Json.object();
    }
    return selectPath(ip.asText(), c);
  }

  /** A Path field (InputPath, OutputPath, ItemsPath...) with AWS's "Invalid path" message. */
  private static JsonNode selectPath(String path, PathScope scope) {
    try {
      return Sampler.select(path, scope);
    } catch (PathNotFoundException e) {
      throw StatesError.runtime("Invalid path '" + path + "' : " + e.getMessage());
    } catch (com.jayway.jsonpath.InvalidPathException e) {
      throw StatesError.runtime("Invalid path '" + path + "' : " + e.getMessage());
    }
  }

  private static JsonNode applyResultPath(JsonNode resultPath, JsonNode raw, JsonNode result) {
    if (resultPath.isMissingNode()) {
      return result;
    }
    if (resultPath.isNull()) {
      return raw;
    }
    String p = resultPath.asText();
    JsonNode out = JsonPaths.isReferencePath(p) ? JsonPaths.write(p, raw, result) : null;
    if (out == null) {
      throw StatesError.inState(StatesError.RESULT_PATH_MATCH_FAILURE, "Unable to apply ResultPath '" + p
          + "' to input '" + Json.write(raw) + "'");
    }
    return out;
  }

  private static JsonNode outputPath(State s, JsonNode value, Ctx c) {
    JsonNode op = s.common().outputPath();
    if (op.isMissingNode()) {
      return value;
    }
    if (op.isNull()) {
      return Json.object();
    }
    return selectPath(op.asText(), c.withInput(value));
  }

  /** Evaluates an Assign block and then assigns all of it at once, as AWS does. */
  private void assign(JsonNode assign, Ctx c, JsonNode dollar) {
    if (assign == null) {
      return;
    }
    Map<String, JsonNode> values = new LinkedHashMap<>();
    if (c.state.isJsonata()) {
      Iterator<Map.Entry<String, JsonNode>> it = assign.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        values.put(e.getKey(), JsonataSupport.evaluateTemplate(e.getValue(), c, "Assign/" + e.getKey()));
      }
    } else {
      JsonNode evaluated = PayloadTemplate.evaluate(assign, c.withInput(dollar));
      evaluated.fields().forEachRemaining(e -> values.put(e.getKey(), e.getValue()));
    }
    c.frame.vars.putAll(values);
  }

  private static JsonNode jsonataOutput(State s, Ctx c, JsonNode dflt) {
    JsonNode out = s.common().output();
    if (out == null) {
      return dflt;
    }
    return JsonataSupport.evaluateTemplate(out, c, "Output");
  }

  private static String next(State s) {
    return s.common().end() ? null : s.common().next();
  }

  // ---------------------------------------------------------------- simple states

  private Step pass(State.Pass p, Ctx c) {
    if (p.isJsonata()) {
      JsonNode out = jsonataOutput(p, c, c.raw);
      assign(p.common().assign(), c, null);
      return new Step(out, next(p));
    }
    JsonNode effective = inputPath(p, c);
    JsonNode result;
    if (p.common().parameters() != null) {
      result = PayloadTemplate.evaluate(p.common().parameters(), c.withInput(effective));
    } else if (p.result() != null) {
      result = p.result();
    } else {
      result = effective;
    }
    assign(p.common().assign(), c, result);
    JsonNode out = applyResultPath(p.common().resultPath(), c.raw, result);
    return new Step(outputPath(p, out, c), next(p));
  }

  private Step succeed(State.Succeed s, Ctx c) {
    if (s.isJsonata()) {
      return new Step(jsonataOutput(s, c, c.raw), null);
    }
    JsonNode effective = inputPath(s, c);
    return new Step(outputPath(s, effective, c), null);
  }

  private StatesError fail(State.Fail f, Ctx c) {
    String error = null;
    String cause = null;
    if (f.isJsonata()) {
      if (f.error() != null) {
        error = stringField(JsonataSupport.evaluateTemplate(f.error(), c, "Error"), "Error");
      }
      if (f.cause() != null) {
        cause = stringField(JsonataSupport.evaluateTemplate(f.cause(), c, "Cause"), "Cause");
      }
    } else {
      error = f.error() == null ? null : f.error().asText();
      cause = f.cause() == null ? null : f.cause().asText();
      if (f.errorPath() != null) {
        error = pathString(f.errorPath(), c, "ErrorPath");
      }
      if (f.causePath() != null) {
        cause = pathString(f.causePath(), c, "CausePath");
      }
    }
    return new StatesError(error, cause);
  }

  private static String stringField(JsonNode v, String field) {
    if (!v.isTextual()) {
      throw StatesError.queryEvaluation("The " + field + " field must evaluate to a string, but was: "
          + Json.write(v));
    }
    return v.textValue();
  }

  private static String pathString(String path, Ctx c, String field) {
    JsonNode v;
    if (io.conveyor.asl.path.Intrinsics.isCall(path)) {
      v = io.conveyor.asl.path.Intrinsics.evaluate(path, c);
    } else {
      v = selectPath(path, c);
    }
    if (!v.isTextual()) {
      throw StatesError.runtime("The " + field + " field refers to value " + Json.write(v)
          + " which is not a valid string: " + path);
    }
    return v.textValue();
  }

  // ---------------------------------------------------------------- Choice

  private Step choice(State.Choice ch, Ctx c) {
    JsonNode effective = ch.isJsonata() ? c.raw : inputPath(ch, c);
    PathScope scope = c.withInput(effective);
    for (int i = 0; i < ch.choices().size(); i++) {
      ChoiceRule r = ch.choices().get(i);
      if (matches(r, scope, c, "Choices/" + i + "/Condition")) {
        JsonNode out;
        if (ch.isJsonata()) {
          out = r.output() != null ? JsonataSupport.evaluateTemplate(r.output(), c, "Output")
              : jsonataOutput(ch, c, c.raw);
          assign(r.assign(), c, null);
        } else {
          assign(r.assign(), c, effective);
          out = outputPath(ch, effective, c);
        }
        return new Step(out, r.next());
      }
    }
    if (ch.defaultNext() == null) {
      throw new StatesError(StatesError.NO_CHOICE_MATCHED, "No Matches!");
    }
    JsonNode out;
    if (ch.isJsonata()) {
      out = jsonataOutput(ch, c, c.raw);
      assign(ch.common().assign(), c, null);
    } else {
      assign(ch.common().assign(), c, effective);
      out = outputPath(ch, effective, c);
    }
    return new Step(out, ch.defaultNext());
  }

  private boolean matches(ChoiceRule r, PathScope scope, Ctx c, String field) {
    switch (r.kind()) {
      case AND:
        for (ChoiceRule k : r.children()) {
          if (!matches(k, scope, c, field)) {
            return false;
          }
        }
        return true;
      case OR:
        for (ChoiceRule k : r.children()) {
          if (matches(k, scope, c, field)) {
            return true;
          }
        }
        return false;
      case NOT:
        return !matches(r.children().get(0), scope, c, field);
      case CONDITION: {
        JsonNode cond = r.condition();
        JsonNode v = cond != null && JsonataSupport.isExpression(cond)
            ? JsonataSupport.evaluateTemplate(cond, c, "Condition") : cond;
        if (v == null || !v.isBoolean()) {
          String expr = cond != null && cond.isTextual() && JsonataSupport.isExpression(cond)
              ? JsonataSupport.expressionOf(cond.textValue()) : Json.write(cond);
          throw StatesError.queryEvaluation("The JSONata expression '" + expr
              + "' specified for the field 'Condition' returned an unexpected result type. Expected 'boolean', "
              + "but was '" + Json.typeName(v) + "' for value: " + Json.write(v));
        }
        return v.booleanValue();
      }
      default:
        return compare(r, scope);
    }
  }

  private static boolean compare(ChoiceRule r, PathScope scope) {
    JsonNode v;
    try {
      v = Sampler.select(r.variable(), scope);
    } catch (PathNotFoundException | StatesError e) {
      v = null;
    } catch (com.jayway.jsonpath.InvalidPathException e) {
      throw StatesError.runtime("Invalid path '" + r.variable() + "' : " + e.getMessage());
    }
    JsonNode operand = r.operand();
    if (v != null && r.operator().endsWith("Path")) {
      try {
        operand = Sampler.select(operand.asText(), scope);
      } catch (PathNotFoundException | StatesError e) {
        // An operand path that selects nothing matches nothing.
        return false;
      }
    }
    return ChoiceOperators.test(r.operator(), v, operand);
  }

  // ---------------------------------------------------------------- Wait

  private CompletableFuture<Step> wait(State.Wait w, Ctx c) {
    JsonNode effective = w.isJsonata() ? c.raw : inputPath(w, c);
    double millis;
    if (w.seconds() != null) {
      JsonNode sv = w.seconds();
      if (w.isJsonata() && JsonataSupport.isExpression(sv)) {
        sv = JsonataSupport.evaluateTemplate(sv, c, "Seconds");
        if (!sv.isIntegralNumber() && !(sv.isNumber() && sv.doubleValue() == Math.rint(sv.doubleValue()))) {
          throw StatesError.queryEvaluation("The JSONata expression '"
              + JsonataSupport.expressionOf(w.seconds().textValue())
              + "' specified for the field 'Seconds' returned an unexpected result type. Expected 'integer', "
              + "but was '" + Json.typeName(sv) + "' for value: " + Json.write(sv));
        }
        if (sv.longValue() < 0) {
          throw StatesError.queryEvaluation("The Seconds field must be a non-negative integer, but was: "
              + sv.longValue());
        }
      }
      millis = sv.asDouble() * 1000;
    } else if (w.secondsPath() != null) {
      JsonNode v = selectPath(w.secondsPath(), c.withInput(effective));
      if (!v.isNumber() || !v.isIntegralNumber() && v.doubleValue() != Math.rint(v.doubleValue())) {
        throw StatesError.runtime("The SecondsPath parameter cannot be parsed as a long value: "
            + w.secondsPath() + " == " + Json.write(v));
      }
      if (v.longValue() < 0) {
        throw StatesError.runtime("The SecondsPath parameter references a negative value: " + w.secondsPath()
            + " == " + v.longValue());
      }
      millis = v.longValue() * 1000.0;
    } else {
      String ts;
      Instant until;
      if (w.timestamp() != null) {
        JsonNode tv = w.timestamp();
        if (w.isJsonata() && JsonataSupport.isExpression(tv)) {
          tv = JsonataSupport.evaluateTemplate(tv, c, "Timestamp");
        }
        ts = tv.isTextual() ? tv.textValue() : Json.write(tv);
        until = Rfc3339.parse(ts);
        if (until == null) {
          if (w.isJsonata()) {
            throw StatesError.queryEvaluation("The Timestamp field cannot be parsed as an ISO-8601 extended "
                + "offset date-time format string: " + ts);
          }
          throw StatesError.runtime("The Timestamp field cannot be parsed as an ISO-8601 extended offset "
              + "date-time format string: " + ts);
        }
      } else {
        JsonNode v = selectPath(w.timestampPath(), c.withInput(effective));
        ts = v.isTextual() ? v.textValue() : Json.write(v);
        until = v.isTextual() ? Rfc3339.parse(ts) : null;
        if (until == null) {
          throw StatesError.runtime("The TimestampPath parameter does not reference a valid ISO-8601 extended "
              + "offset date-time format string: " + w.timestampPath() + " == " + ts);
        }
      }
      millis = Math.max(0, until.toEpochMilli() - engine.clock.millis());
    }
    JsonNode out;
    if (w.isJsonata()) {
      out = jsonataOutput(w, c, c.raw);
      assign(w.common().assign(), c, null);
    } else {
      assign(w.common().assign(), c, effective);
      out = outputPath(w, effective, c);
    }
    Step step = new Step(out, next(w));
    if (millis <= 0) {
      return CompletableFuture.completedFuture(step);
    }
    CompletableFuture<Step> f = new CompletableFuture<>();
    c.frame.exec.pending.add(f);
    engine.schedule(millis, () -> f.complete(step));
    f.whenComplete((x, y) -> c.frame.exec.pending.remove(f));
    return f;
  }

  // ---------------------------------------------------------------- Retry and Catch

  /** The work of one attempt of a Task, Map or Parallel state, up to and including its output processing. */
  private interface Attempt {
    CompletableFuture<Step> run();
  }

  private CompletableFuture<Step> withRetry(Ctx c, Attempt attempt) {
    CompletableFuture<Step> f = start(attempt);
    if (f.isDone() && !f.isCompletedExceptionally()) {
      // Most first attempts succeed at once: no retry or catch to arrange.
      return f;
    }
    CompletableFuture<Step> result = new CompletableFuture<>();
    int[] counts = new int[c.state.common().retry().size()];
    settle(c, attempt, counts, result, f);
    return result;
  }

  private static CompletableFuture<Step> start(Attempt attempt) {
    try {
      return attempt.run();
    } catch (Throwable t) {
      return CompletableFuture.failedFuture(t);
    }
  }

  private void runAttempt(Ctx c, Attempt attempt, int[] counts, CompletableFuture<Step> result) {
    settle(c, attempt, counts, result, start(attempt));
  }

  /** Completes {@code result} once attempt {@code f} has: with its step, or after retrying or catching. */
  private void settle(Ctx c, Attempt attempt, int[] counts, CompletableFuture<Step> result,
      CompletableFuture<Step> f) {
    if (f.isDone()) {
      // Most attempts finish at once: no dependent stage needed.
      Step step = null;
      Throwable err = null;
      try {
        step = f.join();
      } catch (Throwable t) {
        err = t;
      }
      attemptDone(c, attempt, counts, result, step, err);
    } else {
      f.whenComplete((step, err) -> attemptDone(c, attempt, counts, result, step, err));
    }
  }

  /** Completes {@code result} with the attempt's step, or retries, catches or fails as the state says. */
  private void attemptDone(Ctx c, Attempt attempt, int[] counts, CompletableFuture<Step> result, Step step,
      Throwable err) {
    if (err == null) {
      result.complete(step);
      return;
    }
    Throwable t = prefix(unwrap(err), c.state, c.enteredId);
    if (!(t instanceof StatesError se) || ABORTED.equals(se.error()) || c.frame.exec.stopRequested()) {
      result.completeExceptionally(t);
      return;
    }
    List<Retrier> retriers = c.state.common().retry();
    for (int i = 0; i < retriers.size(); i++) {
      Retrier r = retriers.get(i);
      if (errorMatches(r.errorEquals(), se.error(), c.state)) {
        if (counts[i] < r.maxAttempts()) {
          double delay = r.intervalSeconds() * Math.pow(r.backoffRate(), counts[i]);
          if (r.maxDelaySeconds() != null) {
            delay = Math.min(delay, r.maxDelaySeconds());
          }
          if (r.jitterFull()) {
            delay = ThreadLocalRandom.current().nextDouble() * delay;
          }
          counts[i]++;
          c.retryCount++;
          engine.schedule(delay * 1000, () -> runAttempt(c, attempt, counts, result));
          return;
        }
        break;
      }
    }
    for (Catcher k : c.state.common().catchers()) {
      if (errorMatches(k.errorEquals(), se.error(), c.state)) {
        try {
          result.complete(caught(c, k, se));
        } catch (Throwable x) {
          result.completeExceptionally(prefix(unwrap(x), c.state, c.enteredId));
        }
        return;
      }
    }
    result.completeExceptionally(se);
  }

  static boolean errorMatches(List<String> errorEquals, String error, State state) {
    for (String e : errorEquals) {
      if (e.equals(error)) {
        return true;
      }
      boolean terminal = StatesError.RUNTIME.equals(error) || StatesError.DATA_LIMIT_EXCEEDED.equals(error);
      if (e.equals(StatesError.ALL) && !terminal) {
        return true;
      }
      if (e.equals(StatesError.TASK_FAILED) && state instanceof State.Task && !terminal
          && !StatesError.TIMEOUT.equals(error)) {
        return true;
      }
    }
    return false;
  }

  private Step caught(Ctx c, Catcher k, StatesError se) {
    ObjectNode errorOutput = Json.object();
    errorOutput.put("Error", se.error() == null ? "" : se.error());
    errorOutput.put("Cause", se.errorCause() == null ? "" : se.errorCause());
    c.errorOutput = errorOutput;
    c.result = null;
    JsonNode out;
    if (c.state.isJsonata()) {
      out = k.output() != null ? JsonataSupport.evaluateTemplate(k.output(), c, "Output") : errorOutput;
      assign(k.assign(), c, null);
    } else {
      assign(k.assign(), c, errorOutput);
      out = applyResultPath(k.resultPath(), c.raw, errorOutput);
    }
    return new Step(out, k.next());
  }

  /** Post-processing shared by Task, Map and Parallel once their work produced a result. */
  private Step finishExecuting(Ctx c, JsonNode result) {
    State s = c.state;
    if (s.isJsonata()) {
      c.result = result;
      JsonNode out = jsonataOutput(s, c, result);
      assign(s.common().assign(), c, null);
      return new Step(out, next(s));
    }
    assign(s.common().assign(), c, result);
    JsonNode selected = result;
    if (s.common().resultSelector() != null) {
      selected = PayloadTemplate.evaluate(s.common().resultSelector(), c.withInput(result));
    }
    JsonNode out = applyResultPath(s.common().resultPath(), c.raw, selected);
    return new Step(outputPath(s, out, c), next(s));
  }

  // ---------------------------------------------------------------- Task

  private CompletableFuture<Step> task(State.Task t, Ctx c) {
    boolean callback = t.resource().endsWith(".waitForTaskToken");
    if (callback) {
      // The token must exist before Parameters are evaluated: they usually pass $$.Task.Token along.
      c.taskToken = UUID.randomUUID().toString() + UUID.randomUUID().toString().replace("-", "");
    }
    JsonNode params;
    if (t.isJsonata()) {
      params = t.common().arguments() != null
          ? JsonataSupport.evaluateTemplate(t.common().arguments(), c, "Arguments") : c.raw;
    } else {
      JsonNode effective = inputPath(t, c);
      params = t.common().parameters() != null
          ? PayloadTemplate.evaluate(t.common().parameters(), c.withInput(effective)) : effective;
    }
    Long timeout = seconds(t, c, t.timeoutSeconds(), t.timeoutSecondsPath(), "TimeoutSeconds");
    Long heartbeat = seconds(t, c, t.heartbeatSeconds(), t.heartbeatSecondsPath(), "HeartbeatSeconds");
    String resource = t.resource();
    boolean legacyLambda = resource.startsWith("arn:aws:lambda:");
    String resourceType = "";
    String resourceName = resource;
    if (resource.startsWith("arn:aws:states:::")) {
      String rest = resource.substring("arn:aws:states:::".length());
      int colon = rest.indexOf(':');
      resourceType = colon < 0 ? rest : rest.substring(0, colon);
      resourceName = colon < 0 ? rest : rest.substring(colon + 1);
      if (resourceType.equals("aws-sdk")) {
        int c2 = resourceName.indexOf(':');
        resourceType = "aws-sdk:" + resourceName.substring(0, Math.max(0, c2));
        resourceName = resourceName.substring(c2 + 1);
      }
    }
    Frame f = c.frame;
    if (legacyLambda) {
      ObjectNode d = Json.object();
      d.put("resource", resource);
      d.set("input", params);
      d.set("inputDetails", truncated());
      if (timeout != null) {
        d.put("timeoutInSeconds", timeout);
      }
      f.event("LambdaFunctionScheduled", "lambdaFunctionScheduledEventDetails", d);
      f.event("LambdaFunctionStarted", null, null);
    } else {
      ObjectNode d = Json.object();
      d.put("resourceType", resourceType);
      d.put("resource", resourceName);
      d.put("region", engine.region);
      d.set("parameters", params);
      if (timeout != null) {
        d.put("timeoutInSeconds", timeout);
      }
      if (heartbeat != null) {
        d.put("heartbeatInSeconds", heartbeat);
      }
      f.event("TaskScheduled", "taskScheduledEventDetails", d);
      ObjectNode sd = Json.object();
      sd.put("resourceType", resourceType);
      sd.put("resource", resourceName);
      f.event("TaskStarted", "taskStartedEventDetails", sd);
    }
    String token = null;
    Engine.Callback cb = null;
    if (callback) {
      token = c.taskToken;
      cb = new Engine.Callback(f.exec, heartbeat == null ? 0 : heartbeat * 1000);
      engine.callbacks.put(token, cb);
    }
    final String rt = resourceType;
    final String rn = resourceName;
    final String tok = token;
    final Engine.Callback callbackEntry = cb;
    CompletableFuture<JsonNode> work;
    try {
      work = engine.taskExecutor.execute(new TaskRequest(resource, params, t.name(), f.exec.executionArn(), token,
          timeout));
    } catch (Throwable x) {
      work = CompletableFuture.failedFuture(x);
    }
    if (callback) {
      work = work.thenCompose(submitted -> {
        ObjectNode sd = Json.object();
        sd.put("resourceType", rt);
        sd.put("resource", rn);
        sd.set("output", submitted);
        sd.set("outputDetails", truncated());
        f.event("TaskSubmitted", "taskSubmittedEventDetails", sd);
        if (callbackEntry.heartbeatMillis > 0) {
          resetHeartbeat(tok, callbackEntry);
        }
        return callbackEntry.future;
      });
      work.whenComplete((x, y) -> {
        engine.callbacks.remove(tok);
        ScheduledFuture<?> hb = callbackEntry.heartbeatTimer;
        if (hb != null) {
          hb.cancel(false);
        }
      });
    }
    if (!callback && work.isDone()) {
      // The task answered at once (an in-process Lambda): nothing is left to time out, stop or wait for, so the
      // guard, its registration for StopExecution and the timeout timer below would only be undone at once.
      JsonNode result = null;
      Throwable err = null;
      try {
        result = work.join();
      } catch (Throwable x) {
        err = x;
      }
      return CompletableFuture.completedFuture(taskDone(t, c, legacyLambda, rt, rn, null, result, err));
    }
    CompletableFuture<JsonNode> guarded = new CompletableFuture<>();
    f.exec.pending.add(guarded);
    work.whenComplete((v, e) -> {
      if (e != null) {
        guarded.completeExceptionally(unwrap(e));
      } else {
        guarded.complete(v);
      }
    });
    ScheduledFuture<?> timer = null;
    if (timeout != null) {
      timer = engine.schedule(timeout * 1000.0, () -> guarded.completeExceptionally(
          new StatesError(StatesError.TIMEOUT, null)));
    }
    final ScheduledFuture<?> timeoutTimer = timer;
    if (callbackEntry != null) {
      callbackEntry.future.whenComplete((x, y) -> {
        if (y != null && unwrap(y) instanceof StatesError se && StatesError.HEARTBEAT_TIMEOUT.equals(se.error())) {
          guarded.completeExceptionally(se);
        }
      });
    }
    return guarded.handle((result, err) -> {
      f.exec.pending.remove(guarded);
      if (timeoutTimer != null) {
        timeoutTimer.cancel(false);
      }
      return taskDone(t, c, legacyLambda, rt, rn, callbackEntry, result, err);
    });
  }

  /** Records how the task ended (its Succeeded/Failed/TimedOut event) and processes its result. */
  private Step taskDone(State.Task t, Ctx c, boolean legacyLambda, String rt, String rn,
      Engine.Callback callbackEntry, JsonNode result, Throwable err) {
    Frame f = c.frame;
    if (err != null) {
      Throwable u = unwrap(err);
      if (callbackEntry != null) {
        callbackEntry.future.completeExceptionally(u);
      }
      if (!(u instanceof StatesError)) {
        u = new StatesError(StatesError.TASK_FAILED, String.valueOf(u.getMessage()));
      }
      StatesError se = (StatesError) u;
      if (!ABORTED.equals(se.error()) && !se.stateScoped()) {
        boolean timedOut = StatesError.TIMEOUT.equals(se.error())
            || StatesError.HEARTBEAT_TIMEOUT.equals(se.error());
        ObjectNode d = Json.object();
        if (!legacyLambda) {
          d.put("resourceType", rt);
          d.put("resource", rn);
        }
        if (se.error() != null) {
          d.put("error", se.error());
        }
        if (se.errorCause() != null) {
          d.put("cause", se.errorCause());
        }
        String type = legacyLambda ? (timedOut ? "LambdaFunctionTimedOut" : "LambdaFunctionFailed")
            : (timedOut ? "TaskTimedOut" : "TaskFailed");
        String key = legacyLambda ? (timedOut ? "lambdaFunctionTimedOutEventDetails"
            : "lambdaFunctionFailedEventDetails")
            : (timedOut ? "taskTimedOutEventDetails" : "taskFailedEventDetails");
        f.event(type, key, d);
      }
      throw rethrow(se);
    }
    ObjectNode d = Json.object();
    if (!legacyLambda) {
      d.put("resourceType", rt);
      d.put("resource", rn);
    }
    d.set("output", result);
    d.set("outputDetails", truncated());
    f.event(legacyLambda ? "LambdaFunctionSucceeded" : "TaskSucceeded",
        legacyLambda ? "lambdaFunctionSucceededEventDetails" : "taskSucceededEventDetails", d);
    if (Json.exceedsUtf8Size(result, MAX_PAYLOAD_BYTES)) {
      throw new StatesError(StatesError.DATA_LIMIT_EXCEEDED, "The state/task '" + t.name()
          + "' returned a result with a size exceeding the maximum number of bytes service limit.");
    }
    f.withinLimit = result;
    return finishExecuting(c, result);
  }

  void resetHeartbeat(String token, Engine.Callback cb) {
    if (cb.heartbeatMillis <= 0) {
      return;
    }
    ScheduledFuture<?> old = cb.heartbeatTimer;
    if (old != null) {
      old.cancel(false);
    }
    cb.heartbeatTimer = engine.schedule(cb.heartbeatMillis, () -> {
      if (engine.callbacks.remove(token) != null) {
        cb.future.completeExceptionally(new StatesError(StatesError.HEARTBEAT_TIMEOUT, null));
      }
    });
  }

  private static Long seconds(State s, Ctx c, JsonNode value, JsonNode path, String field) {
    if (value != null && !value.isMissingNode()) {
      JsonNode v = value;
      if (s.isJsonata() && JsonataSupport.isExpression(v)) {
        v = JsonataSupport.evaluateTemplate(v, c, field);
      }
      if (!v.isNumber() || v.longValue() <= 0) {
        throw StatesError.inState(s.isJsonata() ? StatesError.QUERY_EVALUATION_ERROR : StatesError.RUNTIME,
            "The " + field + " field must be a positive integer, but was: " + Json.write(v));
      }
      return v.longValue();
    }
    if (path != null && !path.isMissingNode()) {
      JsonNode v = selectPath(path.asText(), c);
      if (!v.isNumber() || v.longValue() <= 0) {
        throw StatesError.runtime("The " + field + "Path field refers to value " + Json.write(v)
            + " which is not a valid positive integer: " + path.asText());
      }
      return v.longValue();
    }
    return null;
  }

  // ---------------------------------------------------------------- Parallel

  private CompletableFuture<Step> parallel(State.Parallel p, Ctx c) {
    JsonNode branchInput;
    if (p.isJsonata()) {
      branchInput = p.common().arguments() != null
          ? JsonataSupport.evaluateTemplate(p.common().arguments(), c, "Arguments") : c.raw;
    } else {
      JsonNode effective = inputPath(p, c);
      branchInput = p.common().parameters() != null
          ? PayloadTemplate.evaluate(p.common().parameters(), c.withInput(effective)) : effective;
    }
    Frame f = c.frame;
    f.event("ParallelStateStarted", null, null);
    int n = p.branches().size();
    JsonNode[] results = new JsonNode[n];
    CompletableFuture<Step> done = new CompletableFuture<>();
    AtomicInteger remaining = new AtomicInteger(n);
    AtomicBoolean failed = new AtomicBoolean();
    if (n == 0) {
      f.event("ParallelStateSucceeded", null, null);
      return CompletableFuture.completedFuture(finishExecuting(c, Json.array()));
    }
    for (int i = 0; i < n; i++) {
      final int idx = i;
      StateMachineDefinition b = p.branches().get(i);
      Frame bf = new Frame(f.exec, f.vars.child(), f.mapContext, false, f.prev());
      engine.workers.execute(() -> runProgram(b, b.startAt(), branchInput, bf).whenComplete((out0, err0) -> {
        JsonNode out = out0;
        Throwable err = err0;
        if (err == null) {
          try {
            results[idx] = out;
          } catch (Throwable t) {
            err = t;
          }
        }
        if (err != null) {
          if (failed.compareAndSet(false, true)) {
            try {
              f.event("ParallelStateFailed", null, null);
            } finally {
              done.completeExceptionally(unwrap(err));
            }
          }
          return;
        }
        results[idx] = out;
        if (remaining.decrementAndGet() == 0 && !failed.get()) {
          try {
            f.event("ParallelStateSucceeded", null, null);
            ArrayNode arr = Json.array();
            for (JsonNode r : results) {
              arr.add(r);
            }
            done.complete(finishExecuting(c, arr));
          } catch (Throwable t) {
            done.completeExceptionally(t);
          }
        }
      }));
    }
    return done;
  }

  // ---------------------------------------------------------------- Map

  private CompletableFuture<Step> map(State.MapState m, Ctx c) {
    State.MapState.Spec spec = m.spec();
    JsonNode effective = m.isJsonata() ? c.raw : inputPath(m, c);
    ArrayNode items = mapItems(m, c, effective);
    int maxConcurrency = mapInt(m, c, spec.maxConcurrency(), spec.maxConcurrencyPath(), "MaxConcurrency");
    Double toleratedPct = mapTolerance(m, c, spec.toleratedFailurePercentage(),
        spec.toleratedFailurePercentagePath(), "ToleratedFailurePercentage", true);
    Double toleratedCnt = mapTolerance(m, c, spec.toleratedFailureCount(), spec.toleratedFailureCountPath(),
        "ToleratedFailureCount", false);
    if (spec.itemBatcher() != null) {
      items = batch(m, c, items, effective);
    }
    Frame f = c.frame;
    ObjectNode sd = Json.object();
    sd.put("length", items.size());
    f.event("MapStateStarted", "mapStateStartedEventDetails", sd);
    MapRun run = null;
    if (spec.distributed()) {
      // AWS names a Map Run and its children's state machine after the parent's, with the Map's label.
      String label = spec.label() != null ? spec.label() : m.name();
      String runArn = f.exec.stateMachineArn().replace(":stateMachine:", ":mapRun:") + "/" + label + ":"
          + UUID.randomUUID();
      run = new MapRun(runArn, f.exec.executionArn(), f.exec.stateMachineArn() + "/" + label, label,
          engine.clock.instant(), maxConcurrency, toleratedPct == null ? 0 : toleratedPct,
          toleratedCnt == null ? 0 : toleratedCnt.longValue());
      engine.executions.addMapRun(f.exec, run);
      ObjectNode rd = Json.object();
      rd.put("mapRunArn", runArn);
      f.event("MapRunStarted", "mapRunStartedEventDetails", rd);
    }
    int limit = maxConcurrency <= 0 ? (spec.distributed() ? 1000 : engine.inlineMapConcurrency) : maxConcurrency;
    return new MapDriver(m, c, effective, items, limit, toleratedPct, toleratedCnt, run).start();
  }

  private ArrayNode mapItems(State.MapState m, Ctx c, JsonNode effective) {
    State.MapState.Spec spec = m.spec();
    if (spec.itemReader() != null) {
      JsonNode read = ItemReaders.read(engine, m, c, effective);
      return (ArrayNode) read;
    }
    JsonNode items;
    if (m.isJsonata()) {
      if (spec.items() != null) {
        if (JsonataSupport.isExpression(spec.items())) {
          items = JsonataSupport.evaluate(JsonataSupport.expressionOf(spec.items().textValue()), c, "Items");
          if (items == null) {
            items = Json.NODES.nullNode();
          }
        } else {
          items = JsonataSupport.evaluateTemplate(spec.items(), c, "Items");
        }
        if (!items.isArray()) {
          String expr = JsonataSupport.isExpression(spec.items())
              ? JsonataSupport.expressionOf(spec.items().textValue()) : Json.write(spec.items());
          throw StatesError.queryEvaluation("The JSONata expression '" + expr + "' specified for the field 'Items' "
              + "returned an unexpected result type. Expected 'array', but was '" + Json.typeName(items)
              + "' for value: " + Json.write(items));
        }
      } else {
        items = c.raw;
        if (!items.isArray()) {
          throw StatesError.queryEvaluation("Map state input must be an array but was: " + Json.write(items));
        }
      }
      return (ArrayNode) items;
    }
    JsonNode ip = spec.itemsPath();
    String path = ip.isMissingNode() || ip.isNull() ? "$" : ip.asText();
    items = selectPath(path, c.withInput(effective));
    if (!items.isArray()) {
      throw StatesError.runtime("Invalid path '" + path + "' : The ItemsPath field must reference an array, "
          + "but was: " + Json.typeName(items));
    }
    return (ArrayNode) items;
  }

  private int mapInt(State.MapState m, Ctx c, JsonNode value, String path, String field) {
    if (value != null) {
      JsonNode v = value;
      if (m.isJsonata() && JsonataSupport.isExpression(v)) {
        v = JsonataSupport.evaluateTemplate(v, c, field);
        if (!v.isNumber() || v.doubleValue() != Math.rint(v.doubleValue())) {
          throw StatesError.queryEvaluation("The JSONata expression '"
              + JsonataSupport.expressionOf(value.textValue()) + "' specified for the field '" + field
              + "' returned an unexpected result type. Expected 'integer', but was '" + Json.typeName(v)
              + "' for value: " + Json.write(v));
        }
      }
      if (v.asInt() < 0) {
        throw StatesError.inState(m.isJsonata() ? StatesError.QUERY_EVALUATION_ERROR : StatesError.RUNTIME,
            field + " cannot be negative.");
      }
      return v.asInt();
    }
    if (path != null) {
      JsonNode v = selectPath(path, c);
      if (!v.isIntegralNumber() && !(v.isNumber() && v.doubleValue() == Math.rint(v.doubleValue()))) {
        throw StatesError.runtime("The " + field + "Path field refers to value " + Json.write(v)
            + " which is not a valid integer: " + path);
      }
      if (v.asLong() < 0) {
        throw StatesError.runtime(field + " cannot be negative.");
      }
      return (int) Math.min(Integer.MAX_VALUE, v.asLong());
    }
    return 0;
  }

  private Double mapTolerance(State.MapState m, Ctx c, JsonNode value, String path, String field,
      boolean percentage) {
    JsonNode v;
    boolean fromPath = false;
    if (value != null) {
      v = value;
      if (m.isJsonata() && JsonataSupport.isExpression(v)) {
        v = JsonataSupport.evaluateTemplate(v, c, field);
      }
    } else if (path != null) {
      v = selectPath(path, c);
      fromPath = true;
    } else {
      return null;
    }
    double d;
    if (v.isNumber()) {
      d = v.doubleValue();
    } else if (fromPath && v.isTextual()) {
      try {
        d = percentage ? Double.parseDouble(v.textValue()) : Long.parseLong(v.textValue());
      } catch (NumberFormatException e) {
        throw StatesError.runtime("The " + field + "Path field refers to value \"" + v.textValue()
            + "\" which is not a valid " + (percentage ? "float" : "integer") + ": " + path);
      }
    } else if (fromPath) {
      throw StatesError.runtime("The " + field + "Path field refers to value \"" + Json.write(v)
          + "\" which is not a valid " + (percentage ? "float" : "integer") + ": " + path);
    } else {
      throw StatesError.inState(m.isJsonata() ? StatesError.QUERY_EVALUATION_ERROR : StatesError.RUNTIME,
          "The " + field + " field must be a number, but was: " + Json.write(v));
    }
    String err = m.isJsonata() && !fromPath ? StatesError.QUERY_EVALUATION_ERROR : StatesError.RUNTIME;
    if (percentage && (d < 0 || d > 100)) {
      throw StatesError.inState(err, field + " must be between 0 and 100.");
    }
    if (!percentage && d < 0) {
      throw StatesError.inState(err, field + " cannot be negative.");
    }
    return d;
  }

  private ArrayNode batch(State.MapState m, Ctx c, ArrayNode items, JsonNode effective) {
    JsonNode b = m.spec().itemBatcher();
    long maxItems = b.path("MaxItemsPerBatch").asLong(0);
    if (b.has("MaxItemsPerBatchPath")) {
      maxItems = selectPath(b.get("MaxItemsPerBatchPath").asText(), c.withInput(effective)).asLong();
    }
    long maxBytes = b.path("MaxInputBytesPerBatch").asLong(MAX_PAYLOAD_BYTES);
    if (b.has("MaxInputBytesPerBatchPath")) {
      maxBytes = selectPath(b.get("MaxInputBytesPerBatchPath").asText(), c.withInput(effective)).asLong();
    }
    JsonNode batchInput = null;
    if (b.has("BatchInput")) {
      batchInput = m.isJsonata() ? JsonataSupport.evaluateTemplate(b.get("BatchInput"), c, "ItemBatcher/BatchInput")
          : PayloadTemplate.evaluate(b.get("BatchInput"), c.withInput(effective));
    }
    ArrayNode batches = Json.array();
    ArrayNode cur = Json.array();
    long curBytes = 0;
    for (JsonNode item : items) {
      long size = Json.write(item).getBytes(StandardCharsets.UTF_8).length;
      if (cur.size() > 0 && ((maxItems > 0 && cur.size() >= maxItems) || curBytes + size > maxBytes)) {
        batches.add(wrapBatch(cur, batchInput));
        cur = Json.array();
        curBytes = 0;
      }
      cur.add(item);
      curBytes += size;
    }
    if (cur.size() > 0) {
      batches.add(wrapBatch(cur, batchInput));
    }
    return batches;
  }

  private static JsonNode wrapBatch(ArrayNode items, JsonNode batchInput) {
    ObjectNode o = Json.object();
    if (batchInput != null) {
      o.set("BatchInput", batchInput);
    }
    o.set("Items", items);
    return o;
  }

  /** Runs a Map state's iterations with bounded concurrency and gathers results in order. */
  /** The items the map's iterations process: one each, or their batches' items. */
  private static long itemCount(ArrayNode iterations, boolean batched) {
    if (!batched) {
      return iterations.size();
    }
    long n = 0;
    for (JsonNode batch : iterations) {
      n += batch.path("Items").size();
    }
    return n;
  }

  private final class MapDriver {
    final State.MapState m;
    final Ctx c;
    final JsonNode effective;
    final ArrayNode items;
    final int limit;
    final Double toleratedPct;
    final Double toleratedCnt;
    final MapRun run;
    final JsonNode[] results;
    final CompletableFuture<Step> done = new CompletableFuture<>();
    final AtomicInteger nextIndex = new AtomicInteger();
    final AtomicInteger completed = new AtomicInteger();
    final AtomicInteger failures = new AtomicInteger();
    final AtomicBoolean finished = new AtomicBoolean();
    volatile StatesError firstError;
    final boolean batched;
    final long totalWeight;
    /** A Distributed Map's child executions still running, to abort when the Map Run or the parent ends. */
    final Set<Execution> runningChildren = ConcurrentHashMap.newKeySet();
    /** Completed exceptionally when the parent execution stops or times out (it is among its pending work). */
    final CompletableFuture<Void> parentStopped = new CompletableFuture<>();
    /** A Distributed Map's child executions by item, for its ResultWriter; null for an inline Map. */
    final Execution[] children;

    MapDriver(State.MapState m, Ctx c, JsonNode effective, ArrayNode items, int limit, Double toleratedPct,
        Double toleratedCnt, MapRun run) {
      this.m = m;
      this.c = c;
      this.effective = effective;
      this.items = items;
      this.limit = limit;
      this.toleratedPct = toleratedPct;
      this.toleratedCnt = toleratedCnt;
      this.run = run;
      this.results = new JsonNode[items.size()];
      this.batched = m.spec().itemBatcher() != null;
      this.totalWeight = itemCount(items, batched);
      this.children = run == null ? null : new Execution[items.size()];
      if (run != null) {
        run.executions().planned(items.size());
        run.items().planned(totalWeight);
      }
    }

    /** How many items iteration {@code i} processes: its batch's, or one. */
    private int weight(int i) {
      return batched ? items.get(i).path("Items").size() : 1;
    }

    CompletableFuture<Step> start() {
      if (run != null) {
        c.frame.exec.pending.add(parentStopped);
        parentStopped.whenComplete((x, stop) -> {
          if (stop != null) {
            abortChildren();
          }
        });
        done.whenComplete((x, y) -> c.frame.exec.pending.remove(parentStopped));
      }
      if (items.isEmpty()) {
        complete();
        return done;
      }
      int workers = Math.min(limit, items.size());
      for (int i = 0; i < workers; i++) {
        engine.workers.execute(this::launchNext);
      }
      return done;
    }

    private void launchNext() {
      if (finished.get() || c.frame.exec.stopRequested()) {
        return;
      }
      int i = nextIndex.getAndIncrement();
      if (i >= items.size()) {
        return;
      }
      JsonNode item = items.get(i);
      Frame f = c.frame;
      ObjectNode mapCtx = Json.object();
      ObjectNode itemCtx = Json.object();
      itemCtx.put("Index", i);
      itemCtx.set("Value", item);
      mapCtx.set("Item", itemCtx);
      JsonNode iterInput;
      try {
        iterInput = itemInput(item, mapCtx);
      } catch (Throwable t) {
        fail(prefix(unwrap(t), m, c.enteredId));
        return;
      }
      if (run != null) {
        startChild(i, iterInput, mapCtx);
        return;
      }
      Frame itf = new Frame(f.exec, f.vars.child(), mapCtx, false, f.prev());
      ObjectNode id = Json.object();
      id.put("name", m.name());
      id.put("index", i);
      itf.event("MapIterationStarted", "mapIterationStartedEventDetails", id);
      StateMachineDefinition p = m.spec().processor();
      runProgram(p, p.startAt(), iterInput, itf).whenComplete((out, err) -> {
        try {
          if (err == null) {
            itf.event("MapIterationSucceeded", "mapIterationSucceededEventDetails", id);
          } else {
            itf.event(unwrap(err) instanceof StatesError se && ABORTED.equals(se.error()) ? "MapIterationAborted"
                : "MapIterationFailed", "mapIterationFailedEventDetails", id);
          }
          iterationDone(i, out, err);
        } catch (Throwable t) {
          fail(t);
        }
      });
    }

    /**
     * Runs item {@code i} of a Distributed Map as a child workflow execution: an execution of its own, listed
     * under the Map Run, with its own history, context object and variables (none from the parent).
     */
    private void startChild(int i, JsonNode input, ObjectNode mapCtx) {
      StateMachineDefinition p = m.spec().processor();
      String name = UUID.randomUUID().toString();
      String kind = "EXPRESS".equals(m.spec().executionType()) ? ":express:" : ":execution:";
      String arn = run.stateMachineArn().replace(":stateMachine:", kind) + ":" + name;
      String smName = run.stateMachineArn().substring(run.stateMachineArn().lastIndexOf(':') + 1);
      Execution child = create(p, arn, name, run.stateMachineArn(), smName, input, run.mapRunArn(), weight(i),
          true);
      run.executions().started(1);
      run.items().started(weight(i));
      children[i] = child;
      runningChildren.add(child);
      child.completion().whenComplete((x, y) -> {
        runningChildren.remove(child);
        try {
          iterationDone(i, child.output(), child.status() == ExecutionStatus.SUCCEEDED ? null
              : new StatesError(child.error() == null ? ABORTED : child.error(), child.cause()), child.status());
        } catch (Throwable t) {
          fail(t);
        }
      });
      runTop(child, p.startAt(), input, mapCtx);
    }

    private void iterationDone(int i, JsonNode out, Throwable err) {
      iterationDone(i, out, err, err == null ? ExecutionStatus.SUCCEEDED : ExecutionStatus.FAILED);
    }

    /** Records how iteration {@code i} ended ({@code status}, for a child execution's Map Run counts). */
    private void iterationDone(int i, JsonNode out, Throwable err, ExecutionStatus status) {
      if (run != null) {
        run.executions().ended(1, status);
        run.items().ended(weight(i), status);
      }
      if (err != null) {
        Throwable u = unwrap(err);
        StatesError se = u instanceof StatesError s ? s : new StatesError(StatesError.RUNTIME, String.valueOf(u));
        // A failed batch counts as failed items, every one of them, against the tolerated failures.
        int nFailed = failures.addAndGet(weight(i));
        if (firstError == null) {
          firstError = se;
        }
        if (!tolerated(nFailed)) {
          if (run != null) {
            fail(new StatesError(StatesError.EXCEEDED_TOLERATED_FAILURE_THRESHOLD,
                "The specified tolerated failure threshold was exceeded"));
          } else {
            fail(se);
          }
          return;
        }
        ObjectNode eo = Json.object();
        eo.put("Error", se.error() == null ? "" : se.error());
        eo.put("Cause", se.errorCause() == null ? "" : se.errorCause());
        results[i] = eo;
      } else {
        results[i] = out;
      }
      if (completed.incrementAndGet() == items.size()) {
        complete();
      } else {
        // Through the pool, not recursion: synchronous iterations would otherwise nest without bound.
        engine.workers.execute(this::launchNext);
      }
    }

    private boolean tolerated(int nFailed) {
      if (toleratedCnt == null && toleratedPct == null) {
        return false;
      }
      boolean ok = false;
      if (toleratedCnt != null && nFailed <= toleratedCnt) {
        ok = true;
      }
      if (toleratedPct != null && nFailed * 100.0 / totalWeight <= toleratedPct) {
        ok = true;
      }
      return ok;
    }

    private JsonNode itemInput(JsonNode item, ObjectNode mapCtx) {
      JsonNode selector = m.spec().itemSelector();
      if (selector == null) {
        return item;
      }
      Ctx ic = new Ctx(c.state, c.raw, new Frame(c.frame.exec, c.frame.vars, mapCtx, false, 0), c.entered,
          c.enteredId);
      if (m.isJsonata()) {
        return JsonataSupport.evaluateTemplate(selector, ic, "ItemSelector");
      }
      return PayloadTemplate.evaluate(selector, ic.withInput(effective));
    }

    private void fail(Throwable t) {
      if (finished.compareAndSet(false, true)) {
        try {
          recordFailure(t);
        } catch (Throwable ignored) {
          // The history is full; the state still fails with its own error.
        }
        // As on AWS, a failed Map Run aborts the child executions still running; their counts settle first.
        abortChildren();
        done.completeExceptionally(t);
      }
    }

    private void abortChildren() {
      for (Execution child : runningChildren) {
        abort(child, null, null);
      }
    }

    private void recordFailure(Throwable t) {
      {
        Frame f = c.frame;
        if (run != null) {
          run.finish("FAILED", engine.clock.instant());
          ObjectNode d = Json.object();
          if (t instanceof StatesError se) {
            d.put("error", se.error());
            if (se.errorCause() != null) {
              d.put("cause", se.errorCause());
            }
          }
          f.event("MapRunFailed", "mapRunFailedEventDetails", d);
        }
        f.event("MapStateFailed", null, null);
      }
    }

    private void complete() {
      if (!finished.compareAndSet(false, true)) {
        return;
      }
      Frame f = c.frame;
      try {
        if (run != null) {
          run.finish("SUCCEEDED", engine.clock.instant());
          f.event("MapRunSucceeded", null, null);
        }
        f.event("MapStateSucceeded", null, null);
        ArrayNode arr = Json.array();
        for (JsonNode r : results) {
          arr.add(r);
        }
        JsonNode result = arr;
        if (m.spec().resultWriter() != null && run != null) {
          result = ItemReaders.writeResults(engine, m, c, run, Arrays.asList(children));
        }
        done.complete(finishExecuting(c, result));
      } catch (Throwable t) {
        done.completeExceptionally(t);
      }
    }
  }
}
