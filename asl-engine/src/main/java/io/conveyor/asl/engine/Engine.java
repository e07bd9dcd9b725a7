package io.conveyor.asl.engine;

import com.fasterxml.jackson.databind.JsonNode;
import io.conveyor.asl.definition.StateMachineDefinition;
import io.conveyor.asl.history.History;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The States Language engine: starts executions of parsed {@link StateMachineDefinition}s and drives them to completion.
 *
 * <p>Executions run on a small pool of worker threads; waiting (Wait states, retry intervals, callbacks,
 * timeouts) holds no thread: it is a timer or a pending future. Map iterations and Parallel branches run
 * concurrently. Thread-safe. Close it to stop its threads.
 */
public final class Engine implements AutoCloseable {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Engine.class);

  /** The default bound on finished executions kept in memory. */
  public static final int DEFAULT_RETAINED_EXECUTIONS = 1_000;

  /** Engine settings. */
  public static final class Builder {
    private Clock clock = Clock.systemUTC();
    private double timeScale = 1.0;
    private TaskExecutor taskExecutor = r -> CompletableFuture.failedFuture(
        new StatesError("States.TaskFailed", "No task executor is configured for resource " + r.resource()));
    private int workers = Math.max(2, Runtime.getRuntime().availableProcessors());
    private boolean keepHistory = true;
    private int historyLimit = History.DEFAULT_LIMIT;
    private String region = "us-east-1";
    private String account = "123456789012";
    private int inlineMapConcurrency = 40;
    private ObjectStore objectStore;
    private ExecutionListener executionListener;
    private int retainedExecutions = DEFAULT_RETAINED_EXECUTIONS;

    /** Clock for timestamps and Wait deadlines. Default: system UTC. */
    public Builder clock(Clock c) {
      this.clock = c;
      return this;
    }

    /** Multiplier for every wait (Wait states, retry intervals, timeouts); 0.001 makes 1 s last 1 ms. Default 1. */
    public Builder timeScale(double s) {
      this.timeScale = s;
      return this;
    }

    public Builder taskExecutor(TaskExecutor t) {
      this.taskExecutor = t;
      return this;
    }

    /** Worker threads that interpret states. Default: the number of processors, at least 2. */
    public Builder workers(int n) {
      this.workers = n;
      return this;
    }

    /** False to count history events without keeping them (benchmarks). Default true. */
    public Builder keepHistory(boolean k) {
      this.keepHistory = k;
      return this;
    }

    public Builder historyLimit(int n) {
      this.historyLimit = n;
      return this;
    }

    public Builder region(String r) {
      this.region = r;
      return this;
    }

    public Builder account(String a) {
      this.account = a;
      return this;
    }

    /** How many iterations of an inline Map run at once when MaxConcurrency is 0. Default 40, as on AWS. */
    public Builder inlineMapConcurrency(int n) {
      this.inlineMapConcurrency = n;
      return this;
    }

    /** S3 access for Distributed Map ItemReader/ResultWriter. Default: none. */
    public Builder objectStore(ObjectStore s) {
      this.objectStore = s;
      return this;
    }

    /** Told of the status changes of the standard executions started (see {@link ExecutionListener}). Default: nobody. */
    public Builder executionListener(ExecutionListener l) {
      this.executionListener = l;
      return this;
    }

    /**
     * How many finished executions (parents and Distributed Map children alike) stay known to
     * {@link #execution}, {@link #executions} and their histories; past that, the one that finished first is
     * forgotten, with its Map Runs. Running executions are always known. Default 1,000.
     */
    public Builder retainedExecutions(int n) {
      this.retainedExecutions = n;
      return this;
    }

    public Engine build() {
      return new Engine(this);
    }
  }

  final Clock clock;
  final double timeScale;
  final TaskExecutor taskExecutor;
  final boolean keepHistory;
  final int historyLimit;
  final String region;
  final String account;
  final int inlineMapConcurrency;
  final ObjectStore objectStore;
  private final ExecutionListener executionListener;
  final ExecutorService workers;
  final ScheduledExecutorService timer;
  final Interpreter interpreter;
  final Map<String, Callback> callbacks = new ConcurrentHashMap<>();
  final ExecutionRegistry executions;

  /** A task waiting for SendTaskSuccess/Failure. */
  static final class Callback {
    final CompletableFuture<JsonNode> future = new CompletableFuture<>();
    final Execution execution;
    final long heartbeatMillis;
    volatile ScheduledFuture<?> heartbeatTimer;

    Callback(Execution execution, long heartbeatMillis) {
      this.execution = execution;
      this.heartbeatMillis = heartbeatMillis;
    }
  }

  private Engine(Builder b) {
    this.clock = b.clock;
    this.timeScale = b.timeScale;
    this.taskExecutor = b.taskExecutor;
    this.keepHistory = b.keepHistory;
    this.historyLimit = b.historyLimit;
    this.region = b.region;
    this.account = b.account;
    this.inlineMapConcurrency = b.inlineMapConcurrency;
    this.objectStore = b.objectStore;
    this.executionListener = b.executionListener;
    this.executions = new ExecutionRegistry(b.retainedExecutions);
    this.workers = Executors.newFixedThreadPool(b.workers, daemon("sfn-worker"));
    this.timer = Executors.newSingleThreadScheduledExecutor(daemon("sfn-timer"));
    this.interpreter = new Interpreter(this);
  }

  public static Builder builder() {
    return new Builder();
  }

  private static ThreadFactory daemon(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  public Clock clock() {
    return clock;
  }

  public String region() {
    return region;
  }

  public String account() {
    return account;
  }

  /** The account field of an ARN (its fifth), or a stand-in when it has none. */
  static String accountOf(String arn) {
    int start = 0;
    for (int field = 0; field < 4; field++) {
      start = arn.indexOf(':', start) + 1;
      if (start == 0) {
        return "123456789012";
      }
    }
    int end = arn.indexOf(':', start);
    end = end < 0 ? arn.length() : end;
    return end > start ? arn.substring(start, end) : "123456789012";
  }

  /**
   * Starts a (standard) execution, known to {@link #execution} and {@link #executions} while it runs and, once
   * finished, until {@link Builder#retainedExecutions} newer ones have finished.
   *
   * @param program the parsed state machine
   * @param stateMachineArn its ARN (the execution ARN is derived from it)
   * @param name the execution name, or null for a random one
   * @param input the execution input
   */
  public Execution start(StateMachineDefinition program, String stateMachineArn, String name, JsonNode input) {
    String n = name == null ? UUID.randomUUID().toString() : name;
    MachineArns m = lastStarted;
    if (m == null || !m.stateMachineArn().equals(stateMachineArn)) {
      m = new MachineArns(stateMachineArn, stateMachineArn.substring(stateMachineArn.lastIndexOf(':') + 1),
          stateMachineArn.replace(":stateMachine:", ":execution:") + ":");
      lastStarted = m;
    }
    return observed(interpreter.start(program, m.executionArnPrefix() + n, n, stateMachineArn, m.name(), input,
        true));
  }

  /** A state machine's name and its executions' ARN prefix, as derived from its ARN. */
  private record MachineArns(String stateMachineArn, String name, String executionArnPrefix) {
  }

  /** Those of the machine started last: most starts follow one of the same machine. */
  private volatile MachineArns lastStarted;

  /**
   * Starts an express execution with an explicit ARN; as on AWS, it is not listed or described afterwards, so
   * only the returned object knows it.
   */
  public Execution startExpress(StateMachineDefinition program, String executionArn, String name, String stateMachineArn,
      JsonNode input) {
    String smName = stateMachineArn.substring(stateMachineArn.lastIndexOf(':') + 1);
    return interpreter.start(program, executionArn, name, stateMachineArn, smName, input, false);
  }

  /** The execution with this ARN, running or retained after it finished; null when unknown or forgotten. */
  public Execution execution(String executionArn) {
    return executions.get(executionArn);
  }

  /** Every execution known (running, and finished ones retained), newest first. */
  public List<Execution> executions() {
    return executions.all();
  }

  /** Stops a running execution (ExecutionAborted). Returns false when it was not running. */
  public boolean stop(Execution e, String error, String cause) {
    return interpreter.abort(e, error, cause);
  }

  /** Redrives a failed, timed-out or aborted execution from the state that failed. */
  public boolean redrive(Execution e) {
    if (!interpreter.redrive(e)) {
      return false;
    }
    observed(e);
    return true;
  }

  /** Tells the listener that {@code e} runs now, and how it ends when it does. */
  private Execution observed(Execution e) {
    if (executionListener != null) {
      tell(e, ExecutionStatus.RUNNING);
      // The completion of this run: a redrive makes a new one and observes it again.
      e.completion().thenAccept(ended -> tell(ended, ended.status()));
    }
    return e;
  }

  private void tell(Execution e, ExecutionStatus status) {
    try {
      executionListener.statusChanged(e, status);
    } catch (RuntimeException listenerFailed) {
      // A listener's fault must not change how the execution runs; it is the listener's to report.
      LOG.warn("the execution listener failed on {} {}", e.executionArn(), status, listenerFailed);
    }
  }

  /** Thrown for a task token that names no waiting task. */
  public static final class TaskDoesNotExistException extends RuntimeException {
    public TaskDoesNotExistException(String m) {
      super(m);
    }
  }

  private Callback callback(String token) {
    Callback c = callbacks.get(token);
    if (c == null) {
      throw new TaskDoesNotExistException("Task does not exist anymore");
    }
    return c;
  }

  public void sendTaskSuccess(String token, JsonNode output) {
    Callback c = callback(token);
    callbacks.remove(token);
    c.future.complete(output);
  }

  public void sendTaskFailure(String token, String error, String cause) {
    Callback c = callback(token);
    callbacks.remove(token);
    c.future.completeExceptionally(new StatesError(error == null ? "" : error, cause == null ? "" : cause));
  }

  public void sendTaskHeartbeat(String token) {
    Callback c = callback(token);
    interpreter.resetHeartbeat(token, c);
  }

  /** The Map Run with this ARN while its parent execution is known; else null. */
  public MapRun mapRun(String arn) {
    return executions.mapRun(arn);
  }

  /** The Map Runs the execution started, oldest first; empty when it is unknown. */
  public List<MapRun> mapRuns(String executionArn) {
    Execution e = executions.get(executionArn);
    return e == null ? List.of() : e.mapRuns();
  }

  /** Schedules work after a delay in (unscaled) milliseconds; the engine's time scale applies. */
  ScheduledFuture<?> schedule(double millis, Runnable r) {
    long scaled = (long) Math.max(0, millis * timeScale);
    return timer.schedule(() -> workers.execute(r), scaled, TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    timer.shutdownNow();
    workers.shutdownNow();
  }
}
