package io.conveyor.asl.history;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * The append-only event history of one execution, bounded like AWS's (25,000 events). Thread-safe: branches of
 * Parallel and Map states append concurrently.
 */
public final class History {

  /** AWS's hard limit on events per execution. */
  public static final int DEFAULT_LIMIT = 25_000;

  private final List<HistoryEvent> events = new ArrayList<>();
  private final Clock clock;
  private final int limit;
  private final boolean enabled;
  private long lastId;

  /**
   * @param clock timestamps events
   * @param limit maximum number of events; appending past it throws {@link HistoryLimitExceededException}
   * @param enabled false to count events without keeping them (used by throughput benchmarks)
   */
  public History(Clock clock, int limit, boolean enabled) {
    this.clock = clock;
    this.limit = limit;
    this.enabled = enabled;
  }

  /** Thrown when an execution would exceed its event limit. */
  public static final class HistoryLimitExceededException extends RuntimeException {
    public HistoryLimitExceededException(int limit) {
      super("The execution reached the maximum number of history events (" + limit + ").", null, false, false);
    }
  }

  /** Appends an event and returns its id. */
  public synchronized long add(String type, long previousEventId, String detailsKey, ObjectNode details) {
    if (lastId >= limit) {
      throw new HistoryLimitExceededException(limit);
    }
    long id = ++lastId;
    if (enabled) {
      events.add(new HistoryEvent(id, previousEventId, clock.instant(), type, detailsKey, details));
    }
    return id;
  }

  /**
   * Appends a state event ({@code ...StateEntered}, {@code ...StateExited}), whose details (the state's name, and its
   * input or output) are built only if the event is read.
   *
   * @param payloadKey {@code input} or {@code output}
   */
  public synchronized long addStateEvent(String type, long previousEventId, String detailsKey, String stateName,
      String payloadKey, JsonNode payload) {
    if (lastId >= limit) {
      throw new HistoryLimitExceededException(limit);
    }
    long id = ++lastId;
    if (enabled) {
      events.add(new HistoryEvent(id, previousEventId, clock.instant(), type, detailsKey, stateName, payloadKey,
          payload));
    }
    return id;
  }

  /** Appends a terminal event even past the limit (AWS always records how an execution ended). */
  public synchronized long addTerminal(String type, long previousEventId, String detailsKey, ObjectNode details) {
    long id = ++lastId;
    if (enabled) {
      events.add(new HistoryEvent(id, previousEventId, clock.instant(), type, detailsKey, details));
    }
    return id;
  }

  public synchronized long lastId() {
    return lastId;
  }

  public synchronized List<HistoryEvent> events() {
    return List.copyOf(events);
  }

  public synchronized int size() {
    return (int) lastId;
  }
}
