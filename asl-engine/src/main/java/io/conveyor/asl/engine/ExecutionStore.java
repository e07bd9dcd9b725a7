package io.conveyor.asl.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conveyor.asl.engine.state.Journal;
import io.conveyor.asl.json.JsonValues;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Executions kept in a data directory, in one append-only file ({@code executions.log}, see {@link AppendLog}):
 * execution records (ARN to what it was started with and, once it ended, how) and the effects each execution's
 * {@link Journal} records, held in memory as well, so that reading costs no I/O.
 *
 * <p>Why a log of its own and not a store such as H2's MVStore (which the DynamoDB emulator uses): an engine writes
 * once or twice per task, and on the build machine an MVStore commit (a new chunk, about 25 KiB, written per commit)
 * took 1 to 2 ms and its file grew by 220 MB in 9,000 commits until its retention time let chunks be reused; an
 * append here is one {@code write} of the entry's few hundred bytes.
 *
 * <p>Durability: a write returns once its entry is in the operating system (a {@code kill -9} of the JVM loses
 * nothing written; a power cut may lose the last entries, which are then cut off as a torn tail). The file is
 * compacted when it opens and whenever it has grown to four times its size after the last compaction (at least
 * 16 MiB): the live entries are written to a new file, forced to disk and renamed over the old one. An execution's
 * effects go when it ends (with its Distributed Map children's records and effects), a record when the engine
 * forgets the execution. Thread-safe: writers do not wait for each other, only for a compaction.
 */
final class ExecutionStore implements AutoCloseable {
  private static final int PUT_RECORD = 1;
  private static final int REMOVE_RECORD = 2;
  private static final int PUT_EFFECT = 3;
  private static final int REMOVE_EFFECTS = 4;
  private static final long MIN_COMPACTION_LENGTH = 16L << 20;

  private final AppendLog log;
  private final Map<String, String> records = new ConcurrentHashMap<>();
  /** The journals with effects kept (or to keep), by execution ARN. */
  private final Map<String, DurableJournal> journals = new ConcurrentHashMap<>();
  private volatile long compactAt;
  private volatile boolean closed;
  /**
   * Appends hold it shared (they need not wait for each other, see {@link AppendLog#append}); a compaction or the
   * close holds it alone.
   */
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();

  private ExecutionStore(Path file) {
    Map<String, Map<String, JsonNode>> effects = new ConcurrentHashMap<>();
    this.log = AppendLog.open(file, e -> {
      List<String> s = e.strings();
      switch (e.operation()) {
        case PUT_RECORD -> records.put(s.get(0), s.get(1));
        case REMOVE_RECORD -> records.remove(s.get(0));
        case PUT_EFFECT -> effects.computeIfAbsent(s.get(0), a -> new ConcurrentHashMap<>())
            .put(s.get(1), JsonValues.parse(s.get(2)));
        case REMOVE_EFFECTS -> effects.remove(s.get(0));
        default -> throw new IllegalStateException(file + " holds an entry of unknown kind " + e.operation()
            + ": it was written by another version of the engine");
      }
    });
    effects.forEach((arn, recorded) -> {
      // An effect that a branch still running recorded as its execution ended is of no use: it is not kept.
      String record = records.get(arn);
      if (record == null || !JsonValues.parse(record).hasNonNull("status")) {
        journals.put(arn, new DurableJournal(arn, recorded));
      }
    });
    compact();
  }

  /** Opens (creating if needed) the store in {@code directory}. */
  static ExecutionStore open(Path directory) {
    return new ExecutionStore(directory.resolve("executions.log"));
  }

  /** Records a started (or redriven) execution: {@code record} is what it needs to run again. */
  void started(String arn, ObjectNode record) {
    String json = JsonValues.write(record);
    write(() -> {
      records.put(arn, json);
      log.append(PUT_RECORD, arn, json);
    });
  }

  /** Runs {@code appends} unless the store is closed, then compacts the file if it has grown enough. */
  private void write(Runnable appends) {
    lock.readLock().lock();
    try {
      if (closed) {
        return;
      }
      appends.run();
    } finally {
      lock.readLock().unlock();
    }
    if (log.length() >= compactAt) {
      compact();
    }
  }

  /**
   * Records how an execution ended and deletes its effects; with {@code children}, the records and effects of the
   * Distributed Map child executions it started go too (they are resumed through their parent only).
   */
  void ended(String arn, ObjectNode record, List<String> children) {
    String json = JsonValues.write(record);
    write(() -> {
      records.put(arn, json);
      log.append(PUT_RECORD, arn, json);
      removeEffects(arn);
      for (String child : children) {
        if (records.remove(child) != null) {
          log.append(REMOVE_RECORD, child);
        }
        removeEffects(child);
      }
    });
  }

  private void removeEffects(String arn) {
    DurableJournal j = journals.remove(arn);
    if (j != null && !j.recorded.isEmpty()) {
      log.append(REMOVE_EFFECTS, arn);
    }
  }

  /** Forgets an execution that ended, as the engine does once it is past its bound on finished executions. */
  void forget(String arn) {
    write(() -> {
      if (records.remove(arn) != null) {
        log.append(REMOVE_RECORD, arn);
      }
    });
  }

  /** The execution's record, or null. */
  ObjectNode record(String arn) {
    String json = records.get(arn);
    return json == null ? null : (ObjectNode) JsonValues.parse(json);
  }

  /** Every top-level execution's record (Distributed Map children left out), in no order. */
  List<ObjectNode> topLevel() {
    List<ObjectNode> out = new ArrayList<>();
    for (String json : records.values()) {
      ObjectNode r = (ObjectNode) JsonValues.parse(json);
      if (!r.hasNonNull("mapRunArn")) {
        out.add(r);
      }
    }
    return out;
  }

  /** The journals of every execution that has effects kept: those that were running when the store last closed. */
  Map<String, DurableJournal> journals() {
    return new ConcurrentHashMap<>(journals);
  }

  /** A journal for an execution with nothing recorded yet. */
  DurableJournal newJournal(String arn) {
    DurableJournal j = new DurableJournal(arn, new ConcurrentHashMap<>());
    journals.put(arn, j);
    return j;
  }

  /** Rewrites the file with the live entries only (unless another thread just did). */
  private void compact() {
    lock.writeLock().lock();
    try {
      if (closed || log.length() < compactAt) {
        return;
      }
      List<AppendLog.Entry> live = new ArrayList<>();
      records.forEach((arn, json) -> live.add(new AppendLog.Entry(PUT_RECORD, List.of(arn, json))));
      journals.forEach((arn, j) -> j.recorded.forEach((key, value) ->
          live.add(new AppendLog.Entry(PUT_EFFECT, List.of(arn, key, JsonValues.write(value))))));
      log.rewrite(live);
      compactAt = Math.max(MIN_COMPACTION_LENGTH, 4 * log.length());
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** Closes the file; writes after this are dropped, as a {@code kill -9} would drop them. */
  @Override
  public void close() {
    lock.writeLock().lock();
    try {
      if (!closed) {
        closed = true;
        log.close();
      }
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** One execution's journal: what was recorded for it, in memory for replays, each new record written through. */
  final class DurableJournal implements Journal {
    private final String arn;
    private final Map<String, JsonNode> recorded;

    private DurableJournal(String arn, Map<String, JsonNode> recorded) {
      this.arn = arn;
      this.recorded = recorded;
    }

    @Override
    public boolean durable() {
      return true;
    }

    @Override
    public JsonNode get(String key) {
      return recorded.get(key);
    }

    @Override
    public void put(String key, JsonNode value) {
      String json = JsonValues.write(value);
      write(() -> {
        if (journals.get(arn) == this) {
          // Unless the execution ended: nothing more of it is kept then.
          log.append(PUT_EFFECT, arn, key, json);
          recorded.put(key, value);
        }
      });
    }

    /** Every key recorded, for finding what a replay must pick up (callbacks waiting for their token). */
    Map<String, JsonNode> entries() {
      return recorded;
    }

    /** Forgets what was recorded: the execution ended, and a redrive records its effects anew. */
    void clear() {
      recorded.clear();
    }
  }
}
