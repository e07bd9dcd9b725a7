package io.conveyor.dynamodb.internal.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conveyor.dynamodb.internal.table.TableDefinition;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;

/**
 * Tables and items in one H2 MVStore file ({@code dynamodb.mv.db} in the data directory): a map {@code tables}
 * from table name to its stored definition, and per table a map from item key to the item's JSON text.
 *
 * <p>Durability: a write is acknowledged only after {@link #sync(long)} has committed the MVStore version holding
 * it, which writes the new chunk to the file (to the OS, not fsync'ed: a crash of the JVM loses nothing, a crash
 * of the machine may lose recent writes or, as chunks are reused at once, damage the file). Concurrent writers share commits: one commit covers every change made before it started.
 */
public final class MvStorePersistence implements Persistence {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final MVStore store;
    private final MVMap<String, String> tables;
    /** Changes handed to MVStore so far, and the count the last commit covered. */
    private final AtomicLong written = new AtomicLong();
    private volatile long committed;
    private final Object commitLock = new Object();
    /** The item maps by MVStore map name; opening a map by name on every write would cost a lookup. */
    private final java.util.Map<String, MVMap<String, String>> itemMaps = new java.util.concurrent.ConcurrentHashMap<>();

    private MvStorePersistence(MVStore store) {
        this.store = store;
        this.tables = store.openMap("tables");
    }

    /** Opens (creating if needed) the data file in {@code directory}. */
    public static MvStorePersistence open(Path directory) {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the data directory " + directory, e);
        }
        MVStore store = new MVStore.Builder()
                .fileName(directory.resolve("dynamodb.mv.db").toString())
                // With MVStore's background writer on, commit() hands the chunk to writer threads and returns
                // before it reaches the file (and returns at once while a background store runs): acknowledged
                // writes were lost in the crash test. Without it, commit() writes synchronously.
                .autoCommitDisabled()
                .open();
        return new MvStorePersistence(store);
    }

    private static String itemsMap(TableDefinition definition) {
        return "items:" + definition.name() + ":" + definition.tableId();
    }

    @Override
    public void saveTable(TableDefinition definition) {
        tables.put(definition.name(), definition.toJson().toString());
        sync(written.incrementAndGet());
    }

    @Override
    public void dropTable(TableDefinition definition) {
        tables.remove(definition.name());
        itemMaps.remove(itemsMap(definition));
        store.removeMap(itemsMap(definition));
        sync(written.incrementAndGet());
    }

    @Override
    public List<TableDefinition> tables() {
        List<TableDefinition> out = new ArrayList<>();
        for (String json : tables.values()) {
            out.add(TableDefinition.fromJson(parse(json)));
        }
        return out;
    }

    @Override
    public void items(TableDefinition definition, Consumer<ObjectNode> sink) {
        MVMap<String, String> items = itemMap(definition);
        for (String json : items.values()) {
            sink.accept(parse(json));
        }
    }

    @Override
    public long write(TableDefinition definition, String keyId, ObjectNode item) {
        MVMap<String, String> items = itemMap(definition);
        if (item == null) {
            items.remove(keyId);
        } else {
            items.put(keyId, item.toString());
        }
        return written.incrementAndGet();
    }

    private MVMap<String, String> itemMap(TableDefinition definition) {
        return itemMaps.computeIfAbsent(itemsMap(definition), store::openMap);
    }

    @Override
    public void sync(long ticket) {
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

    private static ObjectNode parse(String json) {
        try {
            return (ObjectNode) JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the data file holds JSON that does not parse: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        store.close();
    }
}
