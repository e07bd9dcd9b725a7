package io.conveyor.local.stepfunctions.engine;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The record of one Distributed Map run, as {@code DescribeMapRun} reports it. Counters are updated while
 * the run progresses. Thread-safe.
 */
public final class MapRun {
  private final String mapRunArn;
  private final String executionArn;
  private final Instant startDate;
  private final int maxConcurrency;
  private final double toleratedFailurePercentage;
  private final long toleratedFailureCount;
  final AtomicLong total = new AtomicLong();
  final AtomicLong pending = new AtomicLong();
  final AtomicLong running = new AtomicLong();
  final AtomicLong succeeded = new AtomicLong();
  final AtomicLong failed = new AtomicLong();
  final AtomicLong aborted = new AtomicLong();
  private volatile String status = "RUNNING";
  private volatile Instant stopDate;

  MapRun(String mapRunArn, String executionArn, Instant startDate, int maxConcurrency,
      double toleratedFailurePercentage, long toleratedFailureCount) {
    this.mapRunArn = mapRunArn;
    this.executionArn = executionArn;
    this.startDate = startDate;
    this.maxConcurrency = maxConcurrency;
    this.toleratedFailurePercentage = toleratedFailurePercentage;
    this.toleratedFailureCount = toleratedFailureCount;
  }

  public String mapRunArn() {
    return mapRunArn;
  }

  public String executionArn() {
    return executionArn;
  }

  public Instant startDate() {
    return startDate;
  }

  public Instant stopDate() {
    return stopDate;
  }

  /** RUNNING, SUCCEEDED, FAILED or ABORTED. */
  public String status() {
    return status;
  }

  public int maxConcurrency() {
    return maxConcurrency;
  }

  public double toleratedFailurePercentage() {
    return toleratedFailurePercentage;
  }

  public long toleratedFailureCount() {
    return toleratedFailureCount;
  }

  public long total() {
    return total.get();
  }

  public long pending() {
    return pending.get();
  }

  public long running() {
    return running.get();
  }

  public long succeeded() {
    return succeeded.get();
  }

  public long failed() {
    return failed.get();
  }

  public long aborted() {
    return aborted.get();
  }

  void finish(String s, Instant when) {
    status = s;
    stopDate = when;
  }
}
