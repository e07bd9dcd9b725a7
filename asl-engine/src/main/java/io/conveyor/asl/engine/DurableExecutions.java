package io.conveyor.asl.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conveyor.asl.engine.state.Callbacks;
import io.conveyor.asl.json.JsonValues;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The engine's executions on a data directory: what each was started with (its definition, input and start), how
 * it ended, and its {@link io.conveyor.asl.engine.state.Journal journal} while it runs, in an
 * {@link ExecutionStore}. At start-up it restores the executions that had ended (as the engine's bound on finished
 * executions allows) and hands back those that had not, to be replayed from their start (or from where they were
 * redriven). Thread-safe.
 */
final class DurableExecutions {
  private final ExecutionStore store;
  /** Journals found at start-up and not yet taken by their execution (Distributed Map children, resumed later). */
  private volatile Map<String, ExecutionStore.DurableJournal> found = new java.util.concurrent.ConcurrentHashMap<>();

  DurableExecutions(ExecutionStore store) {
    this.store = store;
  }

  /** A new top-level execution: its record is kept, and so are its effects from now on. */
  void started(Execution e) {
    e.journal(store.newJournal(e.executionArn()));
    store.started(e.executionArn(), record(e));
  }

  /** A Distributed Map child starting (or starting again in its parent's replay): its journal. */
  void childStarted(Execution child) {
    ExecutionStore.DurableJournal j = found.remove(child.executionArn());
    child.journal(j != null ? j : store.newJournal(child.executionArn()));
  }

  /** A redriven execution: where its new run starts, so a restart replays it from there. */
  void redriven(Execution e, Execution.RedrivePoint p) {
    // Its effects went when it ended: the new run keeps its own from now on.
    e.journal(store.newJournal(e.executionArn()));
    ObjectNode r = record(e);
    r.set("redrive", redrive(e, p));
    store.started(e.executionArn(), r);
  }

  /** How an execution ends; its effects go, and with a top-level one, its Distributed Map children. */
  void ended(Execution e, ExecutionStatus status, JsonNode output, String error, String cause, Instant when) {
    ObjectNode r;
    List<String> children = new ArrayList<>();
    if (e.mapRunArn() == null) {
      r = record(e);
      for (MapRun run : e.mapRunList()) {
        children.addAll(DistributedMapRun.children(run));
      }
      Execution.RedrivePoint p = e.redrivePoint();
      if (p != null) {
        r.set("redrive", redrive(e, p));
      }
    } else {
      r = JsonValues.object();
      r.put("executionArn", e.executionArn());
      r.put("mapRunArn", e.mapRunArn());
    }
    r.put("status", status.name());
    r.set("output", output);
    r.put("error", error);
    r.put("cause", cause);
    r.put("stopDate", when.toEpochMilli());
    store.ended(e.executionArn(), r, children);
    if (e.journal() instanceof ExecutionStore.DurableJournal j) {
      j.clear();
    }
  }

  /** An ended top-level execution the engine no longer keeps. */
  void forget(Execution e) {
    store.forget(e.executionArn());
  }

  /** The record of a Distributed Map child that ended, or null while it has not. */
  ObjectNode endedChild(String arn) {
    return store.record(arn);
  }

  /**
   * Every top-level execution kept: the callbacks that were waiting are taken back first ({@link Callbacks#park}),
   * so that an answer sent while the replays catch up is kept.
   */
  List<ObjectNode> load(Callbacks callbacks) {
    Map<String, ExecutionStore.DurableJournal> journals = store.journals();
    for (ExecutionStore.DurableJournal j : journals.values()) {
      j.entries().forEach((key, value) -> {
        // A callback's task was submitted and has no outcome yet: its token is still out there.
        if (key.endsWith(":run") && value.hasNonNull("token")) {
          String attempt = key.substring(0, key.length() - ":run".length());
          if (j.get(attempt + ":submitted") != null && j.get(attempt + ":outcome") == null) {
            callbacks.park(value.get("token").asText(), j, attempt + ":outcome");
          }
        }
      });
    }
    found = journals;
    List<ObjectNode> records = store.topLevel();
    // Ended ones in the order they ended, as the engine forgets them (running ones have no stop date, and come last).
    records.sort(Comparator.comparingLong(r -> r.path("stopDate").asLong(Long.MAX_VALUE)));
    return records;
  }

  /** The journal of a top-level execution resumed from its record. */
  void resumed(Execution e) {
    ExecutionStore.DurableJournal j = found.remove(e.executionArn());
    e.journal(j != null ? j : store.newJournal(e.executionArn()));
  }

  private static ObjectNode record(Execution e) {
    ObjectNode r = JsonValues.object();
    r.put("executionArn", e.executionArn());
    r.put("name", e.name());
    r.put("stateMachineArn", e.stateMachineArn());
    r.put("stateMachineName", e.stateMachineName());
    r.set("definition", e.program().raw());
    r.set("input", e.input());
    r.put("startDate", e.startDate().toEpochMilli());
    return r;
  }

  private static ObjectNode redrive(Execution e, Execution.RedrivePoint p) {
    ObjectNode d = JsonValues.object();
    d.put("state", p.stateName());
    d.set("input", p.input());
    d.set("variables", e.variables().snapshot());
    d.put("count", e.redriveCount());
    if (e.redriveDate() != null) {
      d.put("date", e.redriveDate().toEpochMilli());
    }
    return d;
  }

  static Instant instant(JsonNode epochMillis) {
    return epochMillis == null || epochMillis.isNull() ? null : Instant.ofEpochMilli(epochMillis.asLong());
  }

  /** Closes the store. */
  void close() {
    store.close();
  }
}
