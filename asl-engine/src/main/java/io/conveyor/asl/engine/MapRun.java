package io.conveyor.asl.engine;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The record of one Distributed Map run, as {@code DescribeMapRun} reports it. Counters are updated while
 * the run progresses. Thread-safe.
 */
public final class MapRun {
  /**
   * Counts of the run's items or of its child executions by status. The two differ with an {@code ItemBatcher}:
   * a child execution then processes a batch of items, and its outcome counts for every item in it.
   */
  public static final class Counts {
    private final AtomicLong total = new AtomicLong();
    private final AtomicLong pending = new AtomicLong();
    private final AtomicLong running = new AtomicLong();
    private final AtomicLong succeeded = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong aborted = new AtomicLong();
    private final AtomicLong timedOut = new AtomicLong();

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

    public long timedOut() {
      return timedOut.get();
    }

    void planned(long n) {
      total.set(n);
      pending.set(n);
    }

    void started(long n) {
      pending.addAndGet(-n);
      running.addAndGet(n);
    }

    void ended(long n, ExecutionStatus status) {
      running.addAndGet(-n);
      switch (status) {
        case SUCCEEDED -> succeeded.addAndGet(n);
        case TIMED_OUT -> timedOut.addAndGet(n);
        case ABORTED -> aborted.addAndGet(n);
        default -> failed.addAndGet(n);
      }
    }
  }

  private final String mapRunArn;
  private final String executionArn;
  private final String stateMachineArn;
  private final String label;
  private final Instant startDate;
  private final int maxConcurrency;
  private final double toleratedFailurePercentage;
  private final long toleratedFailureCount;
  /** How its children's ARNs name their kind: {@code :execution:} or {@code :express:}. */
  private final String childKind;
  private final Counts items = new Counts();
  private final Counts executions = new Counts();
  private volatile String status = "RUNNING";
  private volatile Instant stopDate;

  MapRun(String mapRunArn, String executionArn, String stateMachineArn, String label, Instant startDate,
      int maxConcurrency, double toleratedFailurePercentage, long toleratedFailureCount, String childKind) {
    this.childKind = childKind;
    this.mapRunArn = mapRunArn;
    this.executionArn = executionArn;
    this.stateMachineArn = stateMachineArn;
    this.label = label;
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

  /**
   * The state machine its child executions run: the parent's ARN with the Map's label,
   * {@code arn:aws:states:<region>:<account>:stateMachine:<name>/<label>}.
   */
  public String stateMachineArn() {
    return stateMachineArn;
  }

  /** The Map state's {@code Label}, or its name when it has none. */
  public String label() {
    return label;
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

  /** The items, as {@code itemCounts} reports them. */
  public Counts items() {
    return items;
  }

  /** The child executions, as {@code executionCounts} reports them. */
  public Counts executions() {
    return executions;
  }

  String childKind() {
    return childKind;
  }

  void finish(String s, Instant when) {
    status = s;
    stopDate = when;
  }
}
