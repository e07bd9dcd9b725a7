package io.conveyor.dynamodb.internal.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conveyor.dynamodb.internal.table.IndexDefinition;
import io.conveyor.dynamodb.internal.table.KeyAttribute;
import io.conveyor.dynamodb.internal.table.TableDefinition;
import io.conveyor.dynamodb.internal.value.ItemSize;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A table's items in memory, ordered by primary key, and one ordered map per secondary index from (index key,
 * primary key) to the item. Items are immutable once stored. Readers take no lock and see each item either
 * before or after a write; writers call {@link #write} holding the item's lock ({@link ItemLocks}).
 */
public final class Table {
    private volatile TableDefinition definition;
    private final ConcurrentSkipListMap<Key, ObjectNode> items = new ConcurrentSkipListMap<>();
    private final Map<String, ConcurrentSkipListMap<Key, ObjectNode>> indexes = new ConcurrentHashMap<>();
    private final AtomicLong itemCount = new AtomicLong();
    private final Persistence persistence;

    public Table(TableDefinition definition, Persistence persistence) {
        this.definition = definition;
        this.persistence = persistence;
        definition.indexes().keySet().forEach(name -> indexes.put(name, new ConcurrentSkipListMap<>()));
    }

    public TableDefinition definition() {
        return definition;
    }

    /**
     * Replaces the definition (TTL changes, a new GSI, a deleted GSI). A new index starts empty: writes from
     * now on maintain it, and the caller fills it with {@link #indexExisting} under each item's lock. Callers
     * serialise definition changes per table.
     */
    public synchronized void redefine(TableDefinition next) {
        for (IndexDefinition index : next.indexes().values()) {
            indexes.putIfAbsent(index.name(), new ConcurrentSkipListMap<>());
        }
        this.definition = next;
        indexes.keySet().retainAll(next.indexes().keySet());
    }

    /**
     * Puts the item now stored under {@code key}, if any, into a newly added index. The caller holds the key's
     * lock, so a concurrent write cannot interleave and leave a stale entry behind.
     */
    public void indexExisting(IndexDefinition index, Key key) {
        ObjectNode item = items.get(key);
        Key ik = item == null ? null : indexKey(index, key, item);
        if (ik != null) {
            indexes.get(index.name()).put(ik, item);
        }
    }

    /** The primary key of an item (whose key attributes are present and valid). */
    public Key keyOf(ObjectNode item) {
        TableDefinition d = definition;
        return d.range() == null ? new Key(item.get(d.hash().name()))
                : new Key(item.get(d.hash().name()), item.get(d.range().name()));
    }

    /** The item stored under {@code key}, or null. */
    public ObjectNode get(Key key) {
        return items.get(key);
    }

    /** The items ordered by primary key. */
    public NavigableMap<Key, ObjectNode> items() {
        return items;
    }

    /** An index's entries ordered by (index key, primary key), or null when there is no such index. */
    public NavigableMap<Key, ObjectNode> index(String name) {
        return indexes.get(name);
    }

    /**
     * An item's position in an index: the index key then the primary key; null when the item lacks one of the
     * index's key attributes (or has it with another type), so it is not in the index.
     */
    public Key indexKey(IndexDefinition index, Key primary, ObjectNode item) {
        JsonNode h = keyValue(index.hash(), item);
        if (h == null) {
            return null;
        }
        JsonNode r = null;
        if (index.range() != null) {
            r = keyValue(index.range(), item);
            if (r == null) {
                return null;
            }
        }
        int n = 1 + (r == null ? 0 : 1) + primary.size();
        JsonNode[] parts = new JsonNode[n];
        int i = 0;
        parts[i++] = h;
        if (r != null) {
            parts[i++] = r;
        }
        for (int j = 0; j < primary.size(); j++) {
            parts[i++] = primary.part(j);
        }
        return new Key(parts);
    }

    private static JsonNode keyValue(KeyAttribute attribute, ObjectNode item) {
        JsonNode v = item.get(attribute.name());
        return v != null && v.has(attribute.type()) ? v : null;
    }

    /**
     * Stores {@code next} (null: deletes) in place of {@code previous} (null: none) under {@code key}, in the
     * indexes too, and records it for persistence. The caller holds the key's lock.
     *
     * @return the persistence ticket to {@link Persistence#sync(long)} before acknowledging the write
     */
    public long write(Key key, ObjectNode previous, ObjectNode next) {
        TableDefinition d = definition;
        for (IndexDefinition index : d.indexes().values()) {
            ConcurrentSkipListMap<Key, ObjectNode> entries = indexes.get(index.name());
            if (entries == null) {
                // The index was deleted by an UpdateTable since this write read the definition.
                continue;
            }
            Key before = previous == null ? null : indexKey(index, key, previous);
            Key after = next == null ? null : indexKey(index, key, next);
            if (before != null && !before.equals(after)) {
                entries.remove(before);
            }
            if (after != null) {
                entries.put(after, next);
            }
        }
        if (next == null) {
            if (items.remove(key) != null) {
                itemCount.decrementAndGet();
            }
        } else if (items.put(key, next) == null) {
            itemCount.incrementAndGet();
        }
        return persistence.write(d, key.id(), next);
    }

    /** Loads an item read back from the persistence at start-up (no persistence write). */
    public void load(ObjectNode item) {
        Key key = keyOf(item);
        TableDefinition d = definition;
        for (IndexDefinition index : d.indexes().values()) {
            Key ik = indexKey(index, key, item);
            if (ik != null) {
                indexes.get(index.name()).put(ik, item);
            }
        }
        if (items.put(key, item) == null) {
            itemCount.incrementAndGet();
        }
    }

    public long itemCount() {
        return itemCount.get();
    }

    /**
     * The items' total size, summed when asked: DescribeTable is rare, writes are not, so writes do not keep
     * a running total.
     */
    public long sizeBytes() {
        long total = 0;
        for (ObjectNode item : items.values()) {
            total += ItemSize.bytes(item);
        }
        return total;
    }
}
