package io.conveyor.dynamodb.internal.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conveyor.dynamodb.internal.Database;
import io.conveyor.dynamodb.internal.Database.RequestContext;
import io.conveyor.dynamodb.internal.DynamoDbError;
import io.conveyor.dynamodb.internal.store.ItemLocks;
import io.conveyor.dynamodb.internal.store.Key;
import io.conveyor.dynamodb.internal.store.Table;
import io.conveyor.dynamodb.internal.table.TableDefinition;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * UpdateTimeToLive, DescribeTimeToLive, and the deletion of expired items: an item expires when its TTL
 * attribute is a number of epoch seconds in the past by the emulator's clock. As on AWS, a value more than five
 * years in the past is taken for a mistake (milliseconds, say) and the item is kept.
 */
public final class TtlOperations {
    private static final long FIVE_YEARS_SECONDS = Duration.ofDays(5 * 365).toSeconds();

    private final Database db;
    private final ItemOperations items;

    public TtlOperations(Database db, ItemOperations items) {
        this.db = db;
        this.items = items;
    }

    public ObjectNode updateTimeToLive(ObjectNode request, RequestContext context) {
        String name = Requests.required(request, "TableName", "tableName");
        ObjectNode spec = Requests.object(request, "TimeToLiveSpecification");
        if (spec == null) {
            throw DynamoDbError.validation("1 validation error detected: Value null at 'timeToLiveSpecification' failed to "
                    + "satisfy constraint: Member must not be null");
        }
        String attribute = Requests.required(spec, "AttributeName", "timeToLiveSpecification.attributeName");
        if (attribute.isEmpty() || attribute.length() > 255) {
            throw DynamoDbError.validation("1 validation error detected: Value '" + attribute + "' at "
                    + "'timeToLiveSpecification.attributeName' failed to satisfy constraint: Member must have length "
                    + (attribute.isEmpty() ? "greater than or equal to 1" : "less than or equal to 255"));
        }
        if (!spec.hasNonNull("Enabled")) {
            throw DynamoDbError.validation("1 validation error detected: Value null at 'timeToLiveSpecification.enabled' "
                    + "failed to satisfy constraint: Member must not be null");
        }
        boolean enabled = Requests.bool(spec, "Enabled");
        Table table = db.tables().get(name);
        if (table == null) {
            throw Database.notFound(name);
        }
        synchronized (table) {
            TableDefinition d = table.definition();
            if (enabled && d.ttlEnabled()) {
                throw DynamoDbError.validation("TimeToLive is already enabled");
            }
            if (!enabled && !d.ttlEnabled()) {
                throw DynamoDbError.validation("TimeToLive is already disabled");
            }
            if (!enabled && !attribute.equals(d.ttlAttribute())) {
                throw DynamoDbError.validation("TimeToLive is active on a different AttributeName: current AttributeName is "
                        + d.ttlAttribute());
            }
            TableDefinition next = d.withTtl(attribute, enabled);
            db.persistence().saveTable(next);
            table.redefine(next);
        }
        ObjectNode response = JsonNodeFactory.instance.objectNode();
        ObjectNode out = response.putObject("TimeToLiveSpecification");
        out.put("AttributeName", attribute);
        out.put("Enabled", enabled);
        return response;
    }

    public ObjectNode describeTimeToLive(ObjectNode request, RequestContext context) {
        String name = Requests.required(request, "TableName", "tableName");
        Table table = db.tables().get(name);
        if (table == null) {
            throw Database.notFound(name);
        }
        TableDefinition d = table.definition();
        ObjectNode response = JsonNodeFactory.instance.objectNode();
        ObjectNode out = response.putObject("TimeToLiveDescription");
        out.put("TimeToLiveStatus", d.ttlEnabled() ? "ENABLED" : "DISABLED");
        if (d.ttlEnabled()) {
            out.put("AttributeName", d.ttlAttribute());
        }
        return response;
    }

    /** Deletes every expired item of every table with TTL enabled; returns how many were deleted. */
    public int expireItems() {
        long now = db.clock().instant().getEpochSecond();
        int deleted = 0;
        for (Table table : db.tables().values()) {
            String attribute = table.definition().ttlAttribute();
            if (attribute == null) {
                continue;
            }
            List<Key> expired = new ArrayList<>();
            for (Map.Entry<Key, ObjectNode> e : table.items().entrySet()) {
                if (expired(e.getValue(), attribute, now)) {
                    expired.add(e.getKey());
                }
            }
            for (Key key : expired) {
                deleted += delete(table, attribute, key, now) ? 1 : 0;
            }
        }
        return deleted;
    }

    /** Deletes the item if it is still expired under its lock (it may have been rewritten meanwhile). */
    private boolean delete(Table table, String attribute, Key key, long now) {
        boolean[] removed = new boolean[1];
        ItemOperations.PreparedWrite w = new ItemOperations.PreparedWrite(table, key,
                ItemLocks.lockName(table.definition().name(), key), current -> {
                    removed[0] = current != null && expired(current, attribute, now);
                    return removed[0] ? null : current;
                }, null);
        try {
            items.apply(w);
        } catch (DynamoDbError conflict) {
            // A transaction holds the item: the next sweep tries again.
            return false;
        }
        return removed[0];
    }

    private static boolean expired(ObjectNode item, String attribute, long now) {
        JsonNode v = item.get(attribute);
        if (v == null || !v.has("N")) {
            return false;
        }
        BigDecimal at = new BigDecimal(v.get("N").asText());
        return at.compareTo(BigDecimal.valueOf(now)) < 0
                && at.compareTo(BigDecimal.valueOf(now - FIVE_YEARS_SECONDS)) >= 0;
    }
}
