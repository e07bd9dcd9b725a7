package io.conveyor.asl.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conveyor.asl.definition.StateMachineDefinition;
import io.conveyor.asl.engine.state.Journal;
import io.conveyor.asl.history.History;
import io.conveyor.asl.json.JsonValues;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One run of a state machine: identity, status, result and history. Mutable while running, then frozen.
 * Thread-safe: the terminal transition happens once.
 */
public final class Execution {

  private final String executionArn;
  private final String name;
  private final String stateMachineArn;
  private final String stateMachineName;
  private final StateMachineDefinition program;
  private final JsonNode input;
  private final Instant startDate;
  private final History history;
  private final String mapRunArn;
  private final int itemCount;
  /** Told when this execution finishes; null for executions no registry lists (express ones). */
  private final ExecutionRegistry registry;
  private final List<MapRun> mapRuns = new CopyOnWriteArrayList<>();
  private final CompletableFuture<Execution> done = new CompletableFuture<>();
  /** Work a stop must end: timers, tasks, Distributed Map Runs (see {@link #requestStop}). */
  private final Set<CompletableFuture<?>> pending = ConcurrentHashMap.newKeySet();
  /** The workflow variables' outer scope; a redrive goes on with the variables assigned so far. */
  private final Variables variables = new Variables(null);

  private volatile ExecutionStatus status = ExecutionStatus.RUNNING;
  private volatile JsonNode output;
  private volatile String error;
  private volatile String cause;
  private volatile Instant stopDate;
  private volatile boolean stopRequested;
  private volatile int redriveCount;
  private volatile Instant redriveDate;
  private volatile int finishCount;
  /** Where a redrive resumes: the failed top-level state and its input. */
  private volatile RedrivePoint redrivePoint;
  private volatile CompletableFuture<Execution> completion = done;
  /** $$.Execution once built; replaced, never changed, since states may have copied it into their data. */
  private volatile ObjectNode contextExecution;
  /** What the execution did that must not be done twice; kept on disk when the engine has a data directory. */
  private volatile Journal journal = Journal.NONE;

  record RedrivePoint(String stateName, JsonNode input) {
  }

  Execution(String executionArn, String name, String stateMachineArn, String stateMachineName, StateMachineDefinition program,
      JsonNode input, Instant startDate, History history, String mapRunArn, int itemCount,
      ExecutionRegistry registry) {
    this.executionArn = executionArn;
    this.name = name;
    this.stateMachineArn = stateMachineArn;
    this.stateMachineName = stateMachineName;
    this.program = program;
    this.input = input;
    this.startDate = startDate;
    this.history = history;
    this.mapRunArn = mapRunArn;
    this.itemCount = itemCount;
    this.registry = registry;
  }

  Variables variables() {
    return variables;
  }

  Journal journal() {
    return journal;
  }

  void journal(Journal j) {
    this.journal = j;
  }

  void track(CompletableFuture<?> work) {
    pending.add(work);
  }

  void untrack(CompletableFuture<?> work) {
    pending.remove(work);
  }

  void failedAt(String stateName, JsonNode stateInput) {
    redrivePoint = new RedrivePoint(stateName, stateInput);
  }

  /** Where a redrive resumes, or null when there is nothing to redrive. */
  RedrivePoint redrivePoint() {
    return redrivePoint;
  }

  /** The role the execution runs as: a local stand-in in the state machine's account. */
  String roleArn() {
    return "arn:aws:iam::" + Engine.accountOf(stateMachineArn) + ":role/StepFunctionsRole";
  }

  /** $$.Execution, built when a state first reads it (most executions never do). */
  ObjectNode contextExecution() {
    ObjectNode c = contextExecution;
    if (c == null) {
      synchronized (this) {
        if (contextExecution == null) {
          ObjectNode n = JsonValues.object();
          n.put("Id", executionArn);
          n.set("Input", input);
          n.put("StartTime", startDate.toString());
          n.put("Name", name);
          n.put("RoleArn", roleArn());
          n.put("RedriveCount", redriveCount);
          contextExecution = n;
        }
        c = contextExecution;
      }
    }
    return c;
  }

  public String executionArn() {
    return executionArn;
  }

  public String name() {
    return name;
  }

  public String stateMachineArn() {
    return stateMachineArn;
  }

  public String stateMachineName() {
    return stateMachineName;
  }

  public StateMachineDefinition program() {
    return program;
  }

  public JsonNode input() {
    return input;
  }

  public Instant startDate() {
    return startDate;
  }

  public History history() {
    return history;
  }

  /** The Map Run this execution is a child of, or null. */
  public String mapRunArn() {
    return mapRunArn;
  }

  /** For a Distributed Map child execution, how many items it processed (its batch's, or 1); else 0. */
  public int itemCount() {
    return itemCount;
  }

  /** The Map Runs this execution's Distributed Map states started, oldest first. */
  public List<MapRun> mapRuns() {
    return List.copyOf(mapRuns);
  }

  /** The live list, for the registry: no copy for each execution that finishes (most started no Map Run). */
  List<MapRun> mapRunList() {
    return mapRuns;
  }

  void addMapRun(MapRun run) {
    mapRuns.add(run);
  }

  /** How many times this execution reached a terminal status (more than once after redrives). */
  int finishCount() {
    return finishCount;
  }

  public ExecutionStatus status() {
    return status;
  }

  public JsonNode output() {
    return output;
  }

  public String error() {
    return error;
  }

  public String cause() {
    return cause;
  }

  public Instant stopDate() {
    return stopDate;
  }

  public int redriveCount() {
    return redriveCount;
  }

  public Instant redriveDate() {
    return redriveDate;
  }

  public boolean stopRequested() {
    return stopRequested;
  }

  /** Completes when the execution reaches a terminal status (again, after a redrive). */
  public CompletableFuture<Execution> completion() {
    return completion;
  }

  void requestStop() {
    stopRequested = true;
    for (CompletableFuture<?> f : pending) {
      f.completeExceptionally(new StatesError(StatesError.ABORTED, "Execution stopped"));
    }
  }

  synchronized boolean finish(ExecutionStatus s, JsonNode out, String err, String cse, Instant when) {
    return finish(s, out, err, cse, when, true);
  }

  /**
   * Ends the execution once.
   *
   * @param record false for an execution restored from a data directory as it had ended: nothing new to keep
   */
  synchronized boolean finish(ExecutionStatus s, JsonNode out, String err, String cse, Instant when,
      boolean record) {
    if (status != ExecutionStatus.RUNNING) {
      return false;
    }
    if (registry != null && record) {
      // Kept before anyone can see it: a status once seen is the status after a restart.
      registry.ending(this, s, out, err, cse, when);
    }
    status = s;
    output = out;
    error = err;
    cause = cse;
    stopDate = when;
    finishCount++;
    if (registry != null) {
      registry.finished(this);
    }
    completion.complete(this);
    return true;
  }

  /** Restores the redrives an execution kept in a data directory had had. */
  synchronized void restoreRedrive(int count, Instant when) {
    redriveCount = count;
    redriveDate = when;
  }

  synchronized boolean beginRedrive(Instant when) {
    if (status != ExecutionStatus.FAILED && status != ExecutionStatus.TIMED_OUT
        && status != ExecutionStatus.ABORTED) {
      return false;
    }
    redriveCount++;
    redriveDate = when;
    // A second redrive needs a new failure.
    redrivePoint = null;
    // Built again when next read: states may have copied the old one into their data.
    contextExecution = null;
    status = ExecutionStatus.RUNNING;
    stopRequested = false;
    output = null;
    error = null;
    cause = null;
    stopDate = null;
    completion = new CompletableFuture<>();
    return true;
  }
}
