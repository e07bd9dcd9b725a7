package io.conveyor.asl.engine.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.LongNode;
import java.time.Clock;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs work later (Wait states, retry intervals, timeouts, heartbeats) on the worker pool, holding no thread
 * while it waits. Every delay is multiplied by the engine's time scale. Thread-safe.
 */
public final class Timers {
  private final ScheduledExecutorService timer;
  private final Executor workers;
  private final double timeScale;
  private final Clock clock;

  /**
   * @param timer the thread that only counts time
   * @param workers where the work runs once due
   * @param timeScale multiplies every delay (0.01 runs waits 100 times faster)
   * @param clock the wall clock that the deadlines of timers kept across a restart are times of
   */
  public Timers(ScheduledExecutorService timer, Executor workers, double timeScale, Clock clock) {
    this.timer = timer;
    this.workers = workers;
    this.timeScale = timeScale;
    this.clock = clock;
  }

  /**
   * The delay of a timer that must survive a restart: the first time, {@code millis}, its deadline recorded under
   * {@code key}; after a restart, what is left until that deadline (0 when it passed). In memory, {@code millis}.
   */
  public double durable(Journal journal, String key, double millis) {
    if (!journal.durable()) {
      return millis;
    }
    JsonNode due = journal.get(key);
    if (due != null) {
      return untilDue(due.asLong());
    }
    journal.put(key, LongNode.valueOf(dueAfter(millis)));
    return millis;
  }

  /** The wall-clock time (epoch milliseconds) at which a timer of {@code millis} started now runs out. */
  long dueAfter(double millis) {
    return clock.millis() + (long) Math.max(0, millis * timeScale);
  }

  /** The delay (unscaled, as {@link #schedule} takes it) until wall-clock time {@code due}; 0 once it passed. */
  double untilDue(long due) {
    long left = due - clock.millis();
    return left <= 0 || timeScale <= 0 ? 0 : left / timeScale;
  }

  /** Runs {@code r} after {@code millis} milliseconds of the execution's time (scaled). */
  public ScheduledFuture<?> schedule(double millis, Runnable r) {
    long scaled = (long) Math.max(0, millis * timeScale);
    return timer.schedule(() -> workers.execute(r), scaled, TimeUnit.MILLISECONDS);
  }
}
