package io.conveyor.dynamodb.internal.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conveyor.dynamodb.internal.store.Key;
import io.conveyor.dynamodb.internal.store.Table;
import io.conveyor.dynamodb.internal.table.IndexDefinition;
import io.conveyor.dynamodb.internal.table.TableDefinition;
import io.conveyor.dynamodb.internal.value.ItemSize;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Capacity units as DynamoDB charges them (developer guide, "Read/write capacity mode"): a read is one unit per
 * 4 KB (rounded up; half for an eventually consistent read), a write one unit per 1 KB of the larger of the old
 * and new item, transactional requests twice that, and a write also costs each global secondary index whose
 * entry it puts, deletes or changes (developer guide, "Provisioned throughput considerations for Global Secondary
 * Indexes": an update that changes no key and no projected attribute of an index does not write it). Query and Scan add up the sizes of the items read and round once.
 */
final class Capacity {
    static final String NONE = "NONE";
    static final String TOTAL = "TOTAL";
    static final String INDEXES = "INDEXES";
    private static final Set<String> MODES = Set.of(NONE, TOTAL, INDEXES);

    /** Units consumed by one request against one table: on the table and on each index. */
    static final class Units {
        private final String table;
        private double tableUnits;
        private final Map<String, Double> globalIndexes = new LinkedHashMap<>();
        private final Map<String, Double> localIndexes = new LinkedHashMap<>();
        private final boolean read;

        Units(String table, boolean read) {
            this.table = table;
            this.read = read;
        }

        void addTable(double units) {
            tableUnits += units;
        }

        void addIndex(IndexDefinition index, double units) {
            (index.global() ? globalIndexes : localIndexes).merge(index.name(), units, Double::sum);
        }

        void add(Units other) {
            tableUnits += other.tableUnits;
            other.globalIndexes.forEach((k, v) -> globalIndexes.merge(k, v, Double::sum));
            other.localIndexes.forEach((k, v) -> localIndexes.merge(k, v, Double::sum));
        }

        /** The {@code ConsumedCapacity} entry in {@code mode}, or null for NONE. */
        ObjectNode toJson(String mode) {
            if (mode.equals(NONE)) {
                return null;
            }
            double total = tableUnits;
            for (double v : globalIndexes.values()) {
                total += v;
            }
            for (double v : localIndexes.values()) {
                total += v;
            }
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            out.put("TableName", table);
            out.put("CapacityUnits", total);
            out.put(read ? "ReadCapacityUnits" : "WriteCapacityUnits", total);
            if (mode.equals(INDEXES)) {
                out.set("Table", units(tableUnits));
                if (!globalIndexes.isEmpty()) {
                    ObjectNode g = out.putObject("GlobalSecondaryIndexes");
                    globalIndexes.forEach((k, v) -> g.set(k, units(v)));
                }
                if (!localIndexes.isEmpty()) {
                    ObjectNode l = out.putObject("LocalSecondaryIndexes");
                    localIndexes.forEach((k, v) -> l.set(k, units(v)));
                }
            }
            return out;
        }

        private ObjectNode units(double v) {
            ObjectNode o = JsonNodeFactory.instance.objectNode();
            o.put("CapacityUnits", v);
            o.put(read ? "ReadCapacityUnits" : "WriteCapacityUnits", v);
            return o;
        }
    }

    private Capacity() {
    }

    /** The request's ReturnConsumedCapacity (NONE when absent). */
    static String mode(JsonNode request) {
        return Requests.choice(request, "ReturnConsumedCapacity", "returnConsumedCapacity", MODES, NONE);
    }

    /** Read units for {@code bytes} read at once: 4 KB units rounded up (at least one), halved if eventual. */
    static double readUnits(long bytes, boolean consistent) {
        long units = Math.max(1, (bytes + 4095) / 4096);
        return consistent ? units : units / 2.0;
    }

    /** Write units for an item of {@code bytes}: 1 KB units rounded up, at least one. */
    static double writeUnits(long bytes) {
        return Math.max(1, (bytes + 1023) / 1024);
    }

    /** The units of one item write: the table's, and each index entry put or deleted. */
    static Units write(Table table, Key key, ObjectNode before, ObjectNode after, double factor) {
        TableDefinition d = table.definition();
        Units u = new Units(d.name(), false);
        long size = Math.max(before == null ? 0 : ItemSize.bytes(before), after == null ? 0 : ItemSize.bytes(after));
        u.addTable(writeUnits(size) * factor);
        for (IndexDefinition index : d.indexes().values()) {
            Key was = before == null ? null : table.indexKey(index, key, before);
            Key is = after == null ? null : table.indexKey(index, key, after);
            double units = 0;
            if (was != null && is != null && was.equals(is)) {
                // The entry stays under the same key: one write if a projected attribute changed, none otherwise
                // (a keys-only index is not written when only attributes it does not project change).
                ObjectNode projectedBefore = IndexProjection.project(d, index, before);
                ObjectNode projectedAfter = IndexProjection.project(d, index, after);
                if (!projectedBefore.equals(projectedAfter)) {
                    units = writeUnits(Math.max(ItemSize.bytes(projectedBefore), ItemSize.bytes(projectedAfter)));
                }
            } else {
                if (was != null) {
                    units += writeUnits(ItemSize.bytes(IndexProjection.project(d, index, before)));
                }
                if (is != null) {
                    units += writeUnits(ItemSize.bytes(IndexProjection.project(d, index, after)));
                }
            }
            if (units > 0) {
                u.addIndex(index, units * factor);
            }
        }
        return u;
    }
}
