package io.conveyor.asl.engine.state;

import com.fasterxml.jackson.databind.JsonNode;
import io.conveyor.asl.engine.StatesError;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;

/**
 * The tasks waiting for a callback ({@code .waitForTaskToken}), by task token: SendTaskSuccess, SendTaskFailure
 * and SendTaskHeartbeat reach them here. Thread-safe.
 */
public final class Callbacks {

  /** A task waiting for its token to come back. */
  static final class Waiting {
    final CompletableFuture<JsonNode> future = new CompletableFuture<>();
    /** HeartbeatSeconds in milliseconds, 0 for none. */
    volatile long heartbeatMillis;
    volatile ScheduledFuture<?> heartbeatTimer;
    /** Where the answer is recorded before the task sees it (with a data directory), and under which key. */
    private final Journal journal;
    private final String outcomeKey;

    Waiting(long heartbeatMillis, Journal journal, String outcomeKey) {
      this.heartbeatMillis = heartbeatMillis;
      this.journal = journal;
      this.outcomeKey = outcomeKey;
    }

    /** Records the answer, so that a restart after SendTaskSuccess or SendTaskFailure has it. */
    private void record(JsonNode outcome) {
      if (outcomeKey != null) {
        journal.put(outcomeKey, outcome);
      }
    }
  }

  private final Map<String, Waiting> waiting = new ConcurrentHashMap<>();
  /**
   * Tokens of tasks that were waiting when the engine last stopped, taken back at start-up before their executions'
   * replays reach them, so that an answer sent meanwhile is not refused.
   */
  private final Map<String, Waiting> parked = new ConcurrentHashMap<>();
  private final Timers timers;

  public Callbacks(Timers timers) {
    this.timers = timers;
  }

  /**
   * A task waits for {@code token}: the one parked for it at start-up, if any, else a new one.
   *
   * @param outcomeKey where {@code journal} records the answer, or null when nothing is recorded
   */
  Waiting register(String token, long heartbeatMillis, Journal journal, String outcomeKey) {
    Waiting p = parked.remove(token);
    if (p != null) {
      p.heartbeatMillis = heartbeatMillis;
      return p;
    }
    Waiting w = new Waiting(heartbeatMillis, journal, outcomeKey);
    waiting.put(token, w);
    return w;
  }

  /**
   * Takes back a token whose task was waiting when the engine last stopped: answers are accepted at once, and
   * recorded, until the execution's replay reaches the task and {@link #register registers} it.
   */
  public void park(String token, Journal journal, String outcomeKey) {
    Waiting w = new Waiting(0, journal, outcomeKey);
    parked.put(token, w);
    waiting.put(token, w);
  }

  /** Forgets the token once its task ended, however it ended. */
  void forget(String token, Waiting w) {
    waiting.remove(token, w);
    ScheduledFuture<?> hb = w.heartbeatTimer;
    if (hb != null) {
      hb.cancel(false);
    }
  }

  /** SendTaskSuccess: false when no task waits for this token. */
  public boolean succeed(String token, JsonNode output) {
    Waiting w = waiting.remove(token);
    if (w == null) {
      return false;
    }
    w.record(TaskOutcomes.success(output));
    w.future.complete(output);
    return true;
  }

  /** SendTaskFailure: false when no task waits for this token. */
  public boolean fail(String token, String error, String cause) {
    Waiting w = waiting.remove(token);
    if (w == null) {
      return false;
    }
    StatesError failure = new StatesError(error == null ? "" : error, cause == null ? "" : cause);
    w.record(TaskOutcomes.failure(failure));
    w.future.completeExceptionally(failure);
    return true;
  }

  /** SendTaskHeartbeat: the task's heartbeat timeout starts again. False when no task waits for this token. */
  public boolean heartbeat(String token) {
    Waiting w = waiting.get(token);
    if (w == null) {
      return false;
    }
    armHeartbeat(token, w);
    return true;
  }

  /** (Re)starts the task's heartbeat timeout, if it has one: when it runs out, the task fails. */
  void armHeartbeat(String token, Waiting w) {
    if (w.heartbeatMillis <= 0) {
      return;
    }
    ScheduledFuture<?> old = w.heartbeatTimer;
    if (old != null) {
      old.cancel(false);
    }
    w.heartbeatTimer = timers.schedule(w.heartbeatMillis, () -> {
      if (waiting.remove(token, w)) {
        w.future.completeExceptionally(new StatesError(StatesError.HEARTBEAT_TIMEOUT, null));
      }
    });
  }
}
