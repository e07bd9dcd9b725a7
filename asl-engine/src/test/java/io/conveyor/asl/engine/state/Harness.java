package io.conveyor.asl.engine.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conveyor.asl.definition.DefinitionParser;
import io.conveyor.asl.definition.StateMachineDefinition;
import io.conveyor.asl.engine.AwsActionListener;
import io.conveyor.asl.engine.MapRun;
import io.conveyor.asl.engine.StatesError;
import io.conveyor.asl.engine.TaskRequest;
import io.conveyor.asl.engine.Variables;
import io.conveyor.asl.history.History;
import io.conveyor.asl.history.HistoryEvent;
import io.conveyor.asl.json.JsonValues;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Delayed;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The interpreter on its own, with everything it is given made plain: states run on the calling thread (a
 * direct executor), time passes only when a test fires the timers, and tasks answer as the test scripts them.
 * So a test runs deterministically, without sleeping and without an engine.
 */
final class Harness {
  static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

  final ManualTimer timer = new ManualTimer();
  final Timers timers = new Timers(timer, Runnable::run, 1.0, java.time.Clock.systemUTC());
  final Callbacks callbacks = new Callbacks(timers);
  /** Every call the Task states made, in order. */
  final List<TaskRequest> requests = new CopyOnWriteArrayList<>();
  /** How tasks answer; by default, they fail. */
  volatile Function<TaskRequest, CompletableFuture<JsonNode>> tasks =
      r -> CompletableFuture.failedFuture(new StatesError("NoScript", "no task answer scripted"));
  final Interpreter interpreter;
  FakeExecution execution;

  Harness() {
    Services services = new Services(Clock.fixed(NOW, ZoneOffset.UTC), Runnable::run, timers, r -> {
      requests.add(r);
      return tasks.apply(r);
    }, "us-east-1", null, 40, callbacks, AwsActionListener.NONE);
    interpreter = new Interpreter(services, plan -> {
      throw new UnsupportedOperationException("no Distributed Map here");
    });
  }

  /** Starts an execution of {@code definition}; the future completes with its output or failure. */
  CompletableFuture<JsonNode> run(String definition, String input) {
    StateMachineDefinition program = DefinitionParser.parse(definition);
    execution = new FakeExecution();
    return interpreter.runExecution(program, program.startAt(), JsonValues.parse(input),
        Branch.top(execution, new Variables(null), null));
  }

  /** The execution's history, by event type. */
  List<String> events() {
    List<String> types = new ArrayList<>();
    for (HistoryEvent e : execution.history().events()) {
      types.add(e.type());
    }
    return types;
  }

  /** The details of the execution's only event of this type. */
  ObjectNode details(String type) {
    List<HistoryEvent> found = execution.history().events().stream().filter(e -> e.type().equals(type)).toList();
    if (found.size() != 1) {
      throw new AssertionError(found.size() + " events " + type + " in " + events());
    }
    return found.get(0).renderedDetails(true);
  }

  /** The failure of a future that completed exceptionally (it must have). */
  static StatesError failure(CompletableFuture<?> f) {
    if (!f.isCompletedExceptionally()) {
      throw new AssertionError("expected a failure, got " + f);
    }
    try {
      f.join();
      throw new AssertionError("unreachable");
    } catch (RuntimeException e) {
      return (StatesError) Futures.unwrap(e);
    }
  }

  /** The execution, as far as states can see it. */
  static final class FakeExecution implements RunningExecution {
    private final History history = new History(Clock.fixed(NOW, ZoneOffset.UTC), 25_000, true);
    final Set<CompletableFuture<?>> tracked = ConcurrentHashMap.newKeySet();
    volatile boolean stopRequested;
    volatile String failedAt;

    @Override
    public String executionArn() {
      return "arn:aws:states:us-east-1:123456789012:execution:machine:run";
    }

    @Override
    public String stateMachineArn() {
      return "arn:aws:states:us-east-1:123456789012:stateMachine:machine";
    }

    @Override
    public String stateMachineName() {
      return "machine";
    }

    @Override
    public History history() {
      return history;
    }

    @Override
    public ObjectNode contextExecution() {
      return JsonValues.object().put("Id", executionArn());
    }

    @Override
    public boolean stopRequested() {
      return stopRequested;
    }

    @Override
    public boolean running() {
      return true;
    }

    @Override
    public Journal journal() {
      return Journal.NONE;
    }

    @Override
    public void track(CompletableFuture<?> work) {
      tracked.add(work);
    }

    @Override
    public void untrack(CompletableFuture<?> work) {
      tracked.remove(work);
    }

    /** What StopExecution does: the work in flight fails with States.Aborted. */
    void stop() {
      stopRequested = true;
      tracked.forEach(f -> f.completeExceptionally(new StatesError(StatesError.ABORTED, "Execution stopped")));
    }

    @Override
    public void failedAt(String stateName, JsonNode input) {
      failedAt = stateName;
    }

    @Override
    public void startedMapRun(MapRun run) {
      throw new UnsupportedOperationException();
    }
  }

  /** A timer whose time passes only when a test says so. */
  static final class ManualTimer extends ScheduledThreadPoolExecutor {
    private final List<Due> set = new ArrayList<>();

    ManualTimer() {
      super(1);
    }

    @Override
    public synchronized ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
      Due d = new Due(command, unit.toMillis(delay));
      set.add(d);
      return d;
    }

    /** The delays of every timer set so far (cancelled ones too), milliseconds, in the order they were set. */
    synchronized List<Long> delays() {
      return set.stream().map(d -> d.millis).toList();
    }

    /** The delays of the timers still waiting, milliseconds. */
    synchronized List<Long> waiting() {
      return set.stream().filter(d -> !d.isDone()).map(d -> d.millis).toList();
    }

    /** Lets the time of the next waiting timer come (the shortest first); false when none waits. */
    boolean fireNext() {
      Due next;
      synchronized (this) {
        next = set.stream().filter(d -> !d.isDone()).min(Due::compareTo).orElse(null);
      }
      if (next == null) {
        return false;
      }
      next.run();
      return true;
    }

    /** Fires timers, and those they set, until none waits. */
    void fireAll() {
      for (int i = 0; fireNext(); i++) {
        if (i > 1000) {
          throw new AssertionError("timers keep setting timers");
        }
      }
    }
  }

  private static final class Due extends FutureTask<Void> implements ScheduledFuture<Void> {
    final long millis;

    Due(Runnable r, long millis) {
      super(r, null);
      this.millis = millis;
    }

    @Override
    public long getDelay(TimeUnit unit) {
      return unit.convert(millis, TimeUnit.MILLISECONDS);
    }

    @Override
    public int compareTo(Delayed o) {
      return Long.compare(millis, o.getDelay(TimeUnit.MILLISECONDS));
    }
  }
}
