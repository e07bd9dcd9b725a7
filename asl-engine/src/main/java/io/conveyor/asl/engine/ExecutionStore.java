package io.conveyor.asl.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conveyor.asl.engine.state.Journal;
import io.conveyor.asl.json.JsonValues;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;

/**
 * Executions kept in a data directory: one H2 MVStore file ({@code executions.mv.db}) with two maps,
 * {@code executions} (ARN to the execution's record: what it was started with, and once it ended, how) and
 * {@code effects} (ARN and effect key to what the execution's {@link Journal} recorded).
 *
 * <p>Durability: a write returns once the MVStore version holding it is committed, which writes it to the file (to
 * the operating system, not fsync'ed: a {@code kill -9} of the JVM loses nothing, a crash of the machine may lose the
 * last writes). Writers on several threads share commits: one commit covers every change made before it started.
 * The effects of an execution are deleted when it ends; a Distributed Map child's record goes with its parent's
 * effects, and a top-level execution's record once the engine forgets it (its bound on finished executions).
 * Thread-safe.
 */
final class ExecutionStore implements AutoCloseable {
  /** Separates an execution's ARN from an effect key; ARNs and keys never hold it. */
  private static final char SEPARATOR = '\u0000';

  private final MVStore store;
  private final MVMap<String, String> executions;
  private final MVMap<String, String> effects;
  private final AtomicLong written = new AtomicLong();
  private volatile long committed;
  private final Object commitLock = new Object();
  /**
   * Writers hold it shared, {@link #close} alone: once closing, writes are dropped, as a {@code kill -9} would drop
   * them, so that what the engine does while it stops (executions failing as their threads go) is not kept.
   */
  private final ReentrantReadWriteLock open = new ReentrantReadWriteLock();
  private volatile boolean closed;

  private ExecutionStore(MVStore store) {
    this.store = store;
    this.executions = store.openMap("executions");
    this.effects = store.openMap("effects");
  }

  /** Opens (creating if needed) the store in {@code directory}. */
  static ExecutionStore open(Path directory) {
    try {
      Files.createDirectories(directory);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the data directory " + directory, e);
    }
    MVStore store = new MVStore.Builder()
        // "retry:" reopens the file when a thread is interrupted while it writes (the JDK closes a FileChannel
        // then, for every thread): the engine's workers are interrupted when it closes, Lambda's on a timeout.
        .fileName("retry:" + directory.resolve("executions.mv.db"))
        // Without MVStore's background writer, commit() writes the chunk before it returns; with it, a commit can
        // still be on its way to the file when the JVM dies (the DynamoDB emulator's crash test found the same).
        .autoCommitDisabled()
        .open();
    return new ExecutionStore(store);
  }

  /** Records a started (or redriven) execution: {@code record} is what it needs to run again. */
  void started(String arn, ObjectNode record) {
    String json = JsonValues.write(record);
    write(() -> executions.put(arn, json));
  }

  /**
   * Records how an execution ended and deletes its effects; with {@code children}, the records of the Distributed
   * Map child executions it started go too (they are resumed through their parent only).
   */
  void ended(String arn, ObjectNode record, List<String> children) {
    String json = JsonValues.write(record);
    write(() -> {
      executions.put(arn, json);
      deleteEffects(arn);
      for (String child : children) {
        executions.remove(child);
        deleteEffects(child);
      }
    });
  }

  /** Forgets an execution that ended, as the engine does once it is past its bound on finished executions. */
  void forget(String arn) {
    write(() -> executions.remove(arn));
  }

  /** Makes {@code change} and returns once a commit holds it; does nothing once the store is closing. */
  private void write(Runnable change) {
    if (!open.readLock().tryLock()) {
      return;
    }
    try {
      if (closed) {
        return;
      }
      change.run();
      sync(written.incrementAndGet());
    } finally {
      open.readLock().unlock();
    }
  }

  /** The execution's record, or null. */
  ObjectNode record(String arn) {
    String json = executions.get(arn);
    return json == null ? null : (ObjectNode) JsonValues.parse(json);
  }

  /** Every top-level execution's record (Distributed Map children left out), in no order. */
  List<ObjectNode> topLevel() {
    List<ObjectNode> out = new ArrayList<>();
    for (String json : executions.values()) {
      ObjectNode r = (ObjectNode) JsonValues.parse(json);
      if (!r.hasNonNull("mapRunArn")) {
        out.add(r);
      }
    }
    return out;
  }

  /** The journals of every execution that has effects recorded: those that were running when the store closed. */
  Map<String, DurableJournal> journals() {
    Map<String, Map<String, JsonNode>> byArn = new HashMap<>();
    for (Map.Entry<String, String> e : effects.entrySet()) {
      int cut = e.getKey().indexOf(SEPARATOR);
      byArn.computeIfAbsent(e.getKey().substring(0, cut), a -> new ConcurrentHashMap<>())
          .put(e.getKey().substring(cut + 1), JsonValues.parse(e.getValue()));
    }
    Map<String, DurableJournal> out = new ConcurrentHashMap<>();
    byArn.forEach((arn, recorded) -> out.put(arn, new DurableJournal(arn, recorded)));
    return out;
  }

  /** A journal for an execution with nothing recorded yet. */
  DurableJournal newJournal(String arn) {
    return new DurableJournal(arn, new ConcurrentHashMap<>());
  }

  private void deleteEffects(String arn) {
    String prefix = arn + SEPARATOR;
    List<String> doomed = new ArrayList<>();
    Iterator<String> keys = effects.keyIterator(prefix);
    while (keys.hasNext()) {
      String k = keys.next();
      if (!k.startsWith(prefix)) {
        break;
      }
      doomed.add(k);
    }
    doomed.forEach(effects::remove);
  }

  /** Waits until the commit covering change {@code ticket} has been written. */
  private void sync(long ticket) {
    if (committed >= ticket) {
      return;
    }
    synchronized (commitLock) {
      if (committed >= ticket) {
        return;
      }
      long covered = written.get();
      store.commit();
      committed = covered;
    }
  }

  @Override
  public void close() {
    open.writeLock().lock();
    try {
      if (!closed) {
        closed = true;
        store.close();
      }
    } finally {
      open.writeLock().unlock();
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
      write(() -> effects.put(arn + SEPARATOR + key, json));
      recorded.put(key, value);
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
