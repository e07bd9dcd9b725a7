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
    final long heartbeatMillis;
    volatile ScheduledFuture<?> heartbeatTimer;

    Waiting(long heartbeatMillis) {
      this.heartbeatMillis = heartbeatMillis;
    }
  }

  private final Map<String, Waiting> waiting = new ConcurrentHashMap<>();
  private final Timers timers;

  public Callbacks(Timers timers) {
    this.timers = timers;
  }

  Waiting register(String token, long heartbeatMillis) {
    Waiting w = new Waiting(heartbeatMillis);
    waiting.put(token, w);
    return w;
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
    w.future.complete(output);
    return true;
  }

  /** SendTaskFailure: false when no task waits for this token. */
  public boolean fail(String token, String error, String cause) {
    Waiting w = waiting.remove(token);
    if (w == null) {
      return false;
    }
    w.future.completeExceptionally(new StatesError(error == null ? "" : error, cause == null ? "" : cause));
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
