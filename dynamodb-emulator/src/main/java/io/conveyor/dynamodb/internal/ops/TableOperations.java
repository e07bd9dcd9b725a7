package io.conveyor.dynamodb.internal.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conveyor.dynamodb.internal.Database;
import io.conveyor.dynamodb.internal.Database.RequestContext;
import io.conveyor.dynamodb.internal.DynamoDbError;
import io.conveyor.dynamodb.internal.store.ItemLocks;
import io.conveyor.dynamodb.internal.store.Key;
import io.conveyor.dynamodb.internal.store.Table;
import io.conveyor.dynamodb.internal.table.IndexDefinition;
import io.conveyor.dynamodb.internal.table.KeyAttribute;
import io.conveyor.dynamodb.internal.table.TableDefinition;
import java.util.Iterator;
import java.util.Set;
import java.util.UUID;

/**
 * CreateTable, DescribeTable, ListTables, DeleteTable and UpdateTable. Tables and indexes are ACTIVE at once
 * (a new GSI is filled before UpdateTable answers), so clients waiting for ACTIVE pass on their first look.
 */
public final class TableOperations {
    private static final int MAX_LIST = 100;
    /** UpdateTable parameters this emulator applies; anything else is refused rather than ignored. */
    private static final Set<String> UPDATE_FIELDS = Set.of("TableName", "AttributeDefinitions", "BillingMode",
            "ProvisionedThroughput", "GlobalSecondaryIndexUpdates", "DeletionProtectionEnabled", "StreamSpecification",
            "SSESpecification", "TableClass");

    private final Database db;

    public TableOperations(Database db) {
        this.db = db;
    }

    private Table existing(ObjectNode request) {
        String name = Requests.required(request, "TableName", "tableName");
        Table table = db.tables().get(name);
        if (table == null) {
            throw Database.notFound(name);
        }
        return table;
    }

    public ObjectNode createTable(ObjectNode request, RequestContext context) {
        TableDefinition d = TableDefinition.create(request, UUID.randomUUID().toString(), context.region(),
                db.clock().millis() / 1000.0);
        Table table = new Table(d, db.persistence());
        if (db.tables().putIfAbsent(d.name(), table) != null) {
            throw new DynamoDbError(400, "ResourceInUseException", "Table already exists: " + d.name(), null);
        }
        db.persistence().saveTable(d);
        return wrap("TableDescription", describe(table, true));
    }

    public ObjectNode describeTable(ObjectNode request, RequestContext context) {
        return wrap("Table", describe(existing(request), true));
    }

    public ObjectNode deleteTable(ObjectNode request, RequestContext context) {
        Table table = existing(request);
        TableDefinition d = table.definition();
        if (d.request().path("DeletionProtectionEnabled").asBoolean(false)) {
            throw DynamoDbError.validation("Resource cannot be deleted as it is currently protected against deletion. "
                    + "Disable deletion protection first.");
        }
        db.tables().remove(d.name(), table);
        db.persistence().dropTable(d);
        ObjectNode description = describe(table, false);
        description.put("TableStatus", "DELETING");
        return wrap("TableDescription", description);
    }

    public ObjectNode listTables(ObjectNode request, RequestContext context) {
        int limit = Requests.integer(request, "Limit", MAX_LIST);
        if (limit < 1 || limit > MAX_LIST) {
            throw DynamoDbError.validation("1 validation error detected: Value '" + limit + "' at 'limit' failed to satisfy "
                    + "constraint: Member must have value " + (limit < 1 ? "greater than or equal to 1"
                    : "less than or equal to 100"));
        }
        String start = Requests.string(request, "ExclusiveStartTableName");
        ObjectNode response = JsonNodeFactory.instance.objectNode();
        ArrayNode names = response.putArray("TableNames");
        Iterator<String> it = (start == null ? db.tables().keySet() : db.tables().tailMap(start, false).keySet()).iterator();
        String last = null;
        while (it.hasNext() && names.size() < limit) {
            last = it.next();
            names.add(last);
        }
        if (it.hasNext()) {
            response.put("LastEvaluatedTableName", last);
        }
        return response;
    }

    public ObjectNode updateTable(ObjectNode request, RequestContext context) {
        Table table = existing(request);
        for (Iterator<String> it = request.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!UPDATE_FIELDS.contains(field)) {
                throw DynamoDbError.validation("UpdateTable parameter " + field + " is not supported by this emulator");
            }
        }
        synchronized (table) {
            TableDefinition d = table.definition();
            TableDefinition next = d;
            ObjectNode changed = d.request().deepCopy();
            for (String field : new String[] {"BillingMode", "ProvisionedThroughput", "DeletionProtectionEnabled",
                    "StreamSpecification", "SSESpecification", "TableClass"}) {
                if (request.has(field)) {
                    changed.set(field, request.get(field));
                }
            }
            if ("PAY_PER_REQUEST".equals(changed.path("BillingMode").asText())) {
                changed.remove("ProvisionedThroughput");
            }
            if (!changed.equals(d.request())) {
                next = TableDefinition.fromJson(d.toJson().set("request", changed));
            }
            for (JsonNode update : request.path("GlobalSecondaryIndexUpdates")) {
                if (update.has("Create")) {
                    next = next.withGlobalIndex(update.get("Create"), request.path("AttributeDefinitions"));
                } else if (update.has("Delete")) {
                    next = next.withoutGlobalIndex(update.get("Delete").path("IndexName").asText());
                } else {
                    throw DynamoDbError.validation("GlobalSecondaryIndexUpdates: only Create and Delete are supported by "
                            + "this emulator");
                }
            }
            db.persistence().saveTable(next);
            Set<String> before = d.indexes().keySet();
            table.redefine(next);
            for (IndexDefinition index : next.indexes().values()) {
                if (!before.contains(index.name())) {
                    backfill(table, index);
                }
            }
        }
        return wrap("TableDescription", describe(table, true));
    }

    /** Fills a new GSI from the items already stored, each under its lock (writes keep running meanwhile). */
    private void backfill(Table table, IndexDefinition index) {
        String name = table.definition().name();
        for (Key key : table.items().keySet()) {
            try (ItemLocks.Held held = db.locks().lock(ItemLocks.lockName(name, key))) {
                table.indexExisting(index, key);
            }
        }
    }

    private static ObjectNode wrap(String field, ObjectNode value) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.set(field, value);
        return out;
    }

    /**
     * DescribeTable's shape; {@code withSchema} false for DeleteTable, which omits the creation time, keys and
     * indexes.
     */
    private static ObjectNode describe(Table table, boolean withSchema) {
        TableDefinition d = table.definition();
        ObjectNode r = d.request();
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        if (withSchema) {
            out.set("AttributeDefinitions", r.get("AttributeDefinitions"));
        }
        out.put("TableName", d.name());
        if (withSchema) {
            out.set("KeySchema", keySchema(d.hash(), d.range()));
        }
        out.put("TableStatus", "ACTIVE");
        if (withSchema) {
            out.put("CreationDateTime", d.creationDateTime());
        }
        out.set("ProvisionedThroughput", throughput(r.get("ProvisionedThroughput")));
        out.put("TableSizeBytes", table.sizeBytes());
        out.put("ItemCount", table.itemCount());
        out.put("TableArn", d.arn());
        out.put("TableId", d.tableId());
        if ("PAY_PER_REQUEST".equals(r.path("BillingMode").asText())) {
            ObjectNode billing = out.putObject("BillingModeSummary");
            billing.put("BillingMode", "PAY_PER_REQUEST");
            billing.put("LastUpdateToPayPerRequestDateTime", d.creationDateTime());
        }
        if (withSchema) {
            ArrayNode gsis = JsonNodeFactory.instance.arrayNode();
            ArrayNode lsis = JsonNodeFactory.instance.arrayNode();
            for (IndexDefinition index : d.indexes().values()) {
                ObjectNode i = (index.global() ? gsis : lsis).addObject();
                i.put("IndexName", index.name());
                i.set("KeySchema", keySchema(index.hash(), index.range()));
                ObjectNode projection = i.putObject("Projection");
                projection.put("ProjectionType", index.projectionType());
                if (!index.nonKeyAttributes().isEmpty()) {
                    ArrayNode nk = projection.putArray("NonKeyAttributes");
                    index.nonKeyAttributes().forEach(nk::add);
                }
                if (index.global()) {
                    i.put("IndexStatus", "ACTIVE");
                    i.set("ProvisionedThroughput", throughput(index.provisionedThroughput()));
                }
                var entries = table.index(index.name());
                i.put("IndexSizeBytes", 0);
                i.put("ItemCount", entries == null ? 0 : entries.size());
                i.put("IndexArn", d.arn() + "/index/" + index.name());
            }
            if (!gsis.isEmpty()) {
                out.set("GlobalSecondaryIndexes", gsis);
            }
            if (!lsis.isEmpty()) {
                out.set("LocalSecondaryIndexes", lsis);
            }
        }
        if (r.path("StreamSpecification").path("StreamEnabled").asBoolean(false)) {
            // Described as AWS does, though no stream can be read here (DynamoDB Streams is not implemented).
            out.set("StreamSpecification", r.get("StreamSpecification"));
            String label = java.time.Instant.ofEpochMilli((long) (d.creationDateTime() * 1000)).toString()
                    .replace("Z", "");
            out.put("LatestStreamLabel", label);
            out.put("LatestStreamArn", d.arn() + "/stream/" + label);
        }
        if (r.hasNonNull("TableClass")) {
            out.putObject("TableClassSummary").set("TableClass", r.get("TableClass"));
        }
        if (r.path("SSESpecification").path("Enabled").asBoolean(false)) {
            ObjectNode sse = out.putObject("SSEDescription");
            sse.put("Status", "ENABLED");
            sse.put("SSEType", "KMS");
        }
        out.put("DeletionProtectionEnabled", r.path("DeletionProtectionEnabled").asBoolean(false));
        return out;
    }

    private static ArrayNode keySchema(KeyAttribute hash, KeyAttribute range) {
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        out.addObject().put("AttributeName", hash.name()).put("KeyType", "HASH");
        if (range != null) {
            out.addObject().put("AttributeName", range.name()).put("KeyType", "RANGE");
        }
        return out;
    }

    private static ObjectNode throughput(JsonNode declared) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("NumberOfDecreasesToday", 0);
        out.put("ReadCapacityUnits", declared == null ? 0 : declared.path("ReadCapacityUnits").asLong());
        out.put("WriteCapacityUnits", declared == null ? 0 : declared.path("WriteCapacityUnits").asLong());
        return out;
    }
}
