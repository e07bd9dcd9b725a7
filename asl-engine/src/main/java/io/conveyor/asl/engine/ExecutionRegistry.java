package io.conveyor.asl.engine;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The executions an engine answers for: every running one (parents and Distributed Map children alike) and the
 * most recently finished ones, up to a bound. AWS keeps finished executions for 90 days; a local engine keeps a
 * number of them instead, so that memory follows what runs, not what ran: when one more finishes than the bound
 * allows, the one that finished first is forgotten, with the Map Runs it started. Thread-safe.
 */
final class ExecutionRegistry {

  /** A finished execution, in finishing order; {@code finishCount} tells a redriven execution's older entries. */
  private record Finished(Execution execution, int finishCount) {
  }

  private final int retained;
  private final Map<String, Execution> byArn = new ConcurrentHashMap<>();
  private final Map<String, MapRun> mapRuns = new ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<Finished> finished = new ConcurrentLinkedQueue<>();
  private final AtomicInteger finishedCount = new AtomicInteger();
  /** Where executions are kept with a data directory; null in memory. */
  private volatile DurableExecutions durable;

  /** @param retained how many finished executions to keep, at least 0 */
  ExecutionRegistry(int retained) {
    if (retained < 0) {
      throw new IllegalArgumentException("retained executions must be 0 or more, not " + retained);
    }
    this.retained = retained;
  }

  /** Keeps how executions end, and forgets them there too, from now on. */
  void durable(DurableExecutions d) {
    this.durable = d;
  }

  void add(Execution e) {
    byArn.put(e.executionArn(), e);
  }

  void addMapRun(Execution parent, MapRun run) {
    mapRuns.put(run.mapRunArn(), run);
    parent.addMapRun(run);
  }

  /** {@code e} is about to end so: with a data directory, that is kept first. */
  void ending(Execution e, ExecutionStatus status, JsonNode output, String error, String cause, Instant when) {
    DurableExecutions d = durable;
    if (d != null) {
      d.ended(e, status, output, error, cause, when);
    }
  }

  /** Records that {@code e} reached a terminal status, and forgets the oldest finished ones past the bound. */
  void finished(Execution e) {
    DurableExecutions d = durable;
    finished.add(new Finished(e, e.finishCount()));
    // One out for each one in past the bound, so the queue holds at most the bound (plus those in flight).
    if (finishedCount.incrementAndGet() <= retained) {
      return;
    }
    Finished oldest = finished.poll();
    finishedCount.decrementAndGet();
    if (oldest == null) {
      return;
    }
    Execution o = oldest.execution();
    // Running again after a redrive, or finished again later: a newer entry stands for it.
    if (o.status() == ExecutionStatus.RUNNING || oldest.finishCount() != o.finishCount()) {
      return;
    }
    if (byArn.remove(o.executionArn(), o) && d != null && o.mapRunArn() == null) {
      d.forget(o);
    }
    for (MapRun r : o.mapRunList()) {
      mapRuns.remove(r.mapRunArn(), r);
    }
  }

  /** The execution with this ARN, or null when there is none or it was forgotten. */
  Execution get(String arn) {
    return byArn.get(arn);
  }

  /** Every execution known, newest first. */
  List<Execution> all() {
    List<Execution> list = new ArrayList<>(byArn.values());
    list.sort(Comparator.comparing(Execution::startDate).reversed());
    return list;
  }

  MapRun mapRun(String arn) {
    return mapRuns.get(arn);
  }
}
