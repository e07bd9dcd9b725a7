package io.conveyor.asl.engine.state;

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

  /**
   * @param timer the thread that only counts time
   * @param workers where the work runs once due
   * @param timeScale multiplies every delay (0.01 runs waits 100 times faster)
   */
  public Timers(ScheduledExecutorService timer, Executor workers, double timeScale) {
    this.timer = timer;
    this.workers = workers;
    this.timeScale = timeScale;
  }

  /** Runs {@code r} after {@code millis} milliseconds of the execution's time (scaled). */
  public ScheduledFuture<?> schedule(double millis, Runnable r) {
    long scaled = (long) Math.max(0, millis * timeScale);
    return timer.schedule(() -> workers.execute(r), scaled, TimeUnit.MILLISECONDS);
  }
}
