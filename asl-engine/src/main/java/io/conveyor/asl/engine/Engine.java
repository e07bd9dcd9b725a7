package io.conveyor.asl.engine;

import com.fasterxml.jackson.databind.JsonNode;
import io.conveyor.asl.definition.StateMachineDefinition;
import io.conveyor.asl.engine.state.Callbacks;
import io.conveyor.asl.engine.state.Services;
import io.conveyor.asl.engine.state.Timers;
import io.conveyor.asl.history.History;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
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
  private static final int DEFAULT_RETAINED_EXECUTIONS = 1_000;
  /** The region of ARNs when none is set; also the default of the SDK clients beside a local engine. */
  public static final String DEFAULT_REGION = "us-east-1";
  /** The account of ARNs when none is set, and the stand-in for an ARN without one. */
  private static final String DEFAULT_ACCOUNT = "123456789012";

  /** Engine settings. */
  public static final class Builder {
    private Clock clock = Clock.systemUTC();
    private double timeScale = 1.0;
    private TaskExecutor taskExecutor = r -> CompletableFuture.failedFuture(
        new StatesError("States.TaskFailed", "No task executor is configured for resource " + r.resource()));
    private int workers = Math.max(2, Runtime.getRuntime().availableProcessors());
    private boolean keepHistory = true;
    private int historyLimit = History.DEFAULT_LIMIT;
    private String region = DEFAULT_REGION;
    private String account = DEFAULT_ACCOUNT;
    private int inlineMapConcurrency = 40;
    private DistributedMapStorage objectStore;
    private ExecutionListener executionListener;
    private AwsActionListener actionListener = AwsActionListener.NONE;
    private int retainedExecutions = DEFAULT_RETAINED_EXECUTIONS;
    private Path dataDirectory;

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
    public Builder objectStore(DistributedMapStorage s) {
      this.objectStore = s;
      return this;
    }

    /** Told of the status changes of the standard executions started (see {@link ExecutionListener}). Default: nobody. */
    public Builder executionListener(ExecutionListener l) {
      this.executionListener = l;
      return this;
    }

    /** Told of each AWS action an execution takes under its state machine's role. Default: nobody. */
    public Builder actionListener(AwsActionListener l) {
      this.actionListener = l;
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

    /**
     * Keeps executions in this directory (an append-only file, {@code executions.log}), so that they survive a
     * restart: {@link Engine#resume()} then restores those that had ended and resumes the others. Default: none,
     * executions live in memory only.
     */
    public Builder dataDirectory(Path dir) {
      this.dataDirectory = dir;
      return this;
    }

    public Engine build() {
      return new Engine(this);
    }
  }

  private final Clock clock;
  private final String region;
  private final String account;
  private final ExecutionListener executionListener;
  private final ExecutorService workers;
  private final ScheduledExecutorService timer;
  private final Callbacks callbacks;
  private final ExecutionRegistry executions;
  private final ExecutionLifecycle lifecycle;
  /** Null in memory. */
  private final DurableExecutions durable;

  private Engine(Builder b) {
    this.clock = b.clock;
    this.region = b.region;
    this.account = b.account;
    this.executionListener = b.executionListener;
    this.executions = new ExecutionRegistry(b.retainedExecutions);
    this.workers = Executors.newFixedThreadPool(b.workers, daemon("sfn-worker"));
    this.timer = Executors.newSingleThreadScheduledExecutor(daemon("sfn-timer"));
    Timers timers = new Timers(timer, workers, b.timeScale, b.clock);
    this.callbacks = new Callbacks(timers);
    TaskExecutor tasks = b.actionListener == AwsActionListener.NONE ? b.taskExecutor
        : new ObservedTasks(b.taskExecutor, b.actionListener, b.region, b.account);
    Services services = new Services(b.clock, workers, timers, tasks, b.region, b.objectStore,
        b.inlineMapConcurrency, callbacks, b.actionListener);
    this.durable = b.dataDirectory == null ? null : new DurableExecutions(ExecutionStore.open(b.dataDirectory));
    executions.durable(durable);
    this.lifecycle = new ExecutionLifecycle(services, b.historyLimit, b.keepHistory, executions, durable);
  }

  /**
   * With a data directory, restores the executions kept there: those that had ended are known again as they ended,
   * and those that had not go on, each replayed from its start (or its redrive) with the effects it had recorded
   * taken as they were: a task whose outcome was recorded does not run again, a callback waits for the same token,
   * a timer for the same deadline. A task that was running when the engine stopped fails its attempt with
   * {@code Lambda.ServiceException} (another resource: {@code States.TaskFailed}), which its Retry and Catch then
   * handle. Call it once, when everything the tasks need is ready. Returns the executions resumed.
   */
  public List<Execution> resume() {
    if (durable == null) {
      return List.of();
    }
    List<Execution> resumed = lifecycle.resumeAll();
    if (executionListener != null) {
      for (Execution e : resumed) {
        // Its RUNNING was told before the restart.
        e.completion().thenAccept(ended -> tell(ended, ended.status()));
      }
    }
    return resumed;
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
        return DEFAULT_ACCOUNT;
      }
    }
    int end = arn.indexOf(':', start);
    end = end < 0 ? arn.length() : end;
    return end > start ? arn.substring(start, end) : DEFAULT_ACCOUNT;
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
    return observed(lifecycle.start(program, m.executionArnPrefix() + n, n, stateMachineArn, m.name(), input,
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
    return lifecycle.start(program, executionArn, name, stateMachineArn, smName, input, false);
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
    return lifecycle.abort(e, error, cause);
  }

  /** Redrives a failed, timed-out or aborted execution from the state that failed. */
  public boolean redrive(Execution e) {
    if (!lifecycle.redrive(e)) {
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

  /** SendTaskSuccess: the task waiting for {@code token} succeeds with {@code output}. */
  public void sendTaskSuccess(String token, JsonNode output) {
    known(callbacks.succeed(token, output));
  }

  /** SendTaskFailure: the task waiting for {@code token} fails with this error and cause. */
  public void sendTaskFailure(String token, String error, String cause) {
    known(callbacks.fail(token, error, cause));
  }

  /** SendTaskHeartbeat: the heartbeat timeout of the task waiting for {@code token} starts again. */
  public void sendTaskHeartbeat(String token) {
    known(callbacks.heartbeat(token));
  }

  private static void known(boolean waiting) {
    if (!waiting) {
      throw new TaskDoesNotExistException("Task does not exist anymore");
    }
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

  @Override
  public void close() {
    if (durable != null) {
      // First: the executions still running stay as they are on disk, to resume, whatever stopping does to them.
      durable.close();
    }
    timer.shutdownNow();
    workers.shutdownNow();
  }
}
