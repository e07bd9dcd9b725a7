package io.conveyor.dynamodb.internal.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conveyor.dynamodb.internal.Database;
import io.conveyor.dynamodb.internal.Database.RequestContext;
import io.conveyor.dynamodb.internal.DynamoDbError;
import io.conveyor.dynamodb.internal.expression.Projection;
import io.conveyor.dynamodb.internal.expression.RequestExpressions;
import io.conveyor.dynamodb.internal.store.Key;
import io.conveyor.dynamodb.internal.store.Table;
import io.conveyor.dynamodb.internal.table.TableDefinition;
import io.conveyor.dynamodb.internal.value.ItemSize;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * BatchGetItem (up to 100 keys) and BatchWriteItem (up to 25 puts and deletes). The whole batch is validated
 * before anything is read or written; then each write is applied on its own, as on AWS (a batch is not a
 * transaction). A healthy table never throttles here, so UnprocessedKeys / UnprocessedItems stay empty, except
 * for a write meeting a transaction in progress on its item, which is handed back for the client to retry.
 */
public final class BatchOperations {
    private static final int MAX_GET_KEYS = 100;
    private static final int MAX_WRITES = 25;
    /** A BatchGetItem answer holds at most 16 MB; keys beyond go back as UnprocessedKeys. */
    private static final long MAX_GET_BYTES = 16L * 1024 * 1024;

    private final Database db;
    private final ItemOperations items;

    public BatchOperations(Database db, ItemOperations items) {
        this.db = db;
        this.items = items;
    }

    private static ObjectNode requestItems(ObjectNode request) {
        ObjectNode requestItems = Requests.object(request, "RequestItems");
        if (requestItems == null || requestItems.isEmpty()) {
            throw DynamoDbError.validation("1 validation error detected: Value " + (requestItems == null ? "null" : "'{}'")
                    + " at 'requestItems' failed to satisfy constraint: "
                    + (requestItems == null ? "Member must not be null" : "Member must have length greater than or equal to 1"));
        }
        return requestItems;
    }

    /**
     * The key text a batch's duplicate check compares: the attribute values as sent (AWS refuses two identical
     * number keys but accepts {@code 1000} beside {@code 1e3}).
     */
    private static String rawKey(TableDefinition d, JsonNode keyMap) {
        StringBuilder sb = new StringBuilder();
        sb.append(keyMap.get(d.hash().name()));
        if (d.range() != null) {
            sb.append('\u0000').append(keyMap.get(d.range().name()));
        }
        return sb.toString();
    }

    private record GetEntry(Table table, ObjectNode spec, List<Key> keys, RequestExpressions expressions,
            boolean consistent) {
    }

    public ObjectNode batchGetItem(ObjectNode request, RequestContext context) {
        ObjectNode requestItems = requestItems(request);
        String mode = Capacity.mode(request);
        List<GetEntry> entries = new ArrayList<>();
        int total = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = requestItems.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            Table table = db.table(e.getKey());
            TableDefinition d = table.definition();
            ObjectNode spec = e.getValue() instanceof ObjectNode o ? o : JsonNodeFactory.instance.objectNode();
            JsonNode keys = spec.path("Keys");
            if (!keys.isArray() || keys.isEmpty()) {
                throw DynamoDbError.validation("1 validation error detected: Value null at 'requestItems." + e.getKey()
                        + ".member.keys' failed to satisfy constraint: Member must have length greater than or equal to 1");
            }
            total += keys.size();
            if (total > MAX_GET_KEYS) {
                throw DynamoDbError.validation("Too many items requested for the BatchGetItem call");
            }
            Set<String> seen = new HashSet<>();
            List<Key> parsed = new ArrayList<>();
            for (JsonNode k : keys) {
                Key key = ItemRules.key(d, k);
                if (!seen.add(rawKey(d, k))) {
                    throw DynamoDbError.validation("Provided list of item keys contains duplicates");
                }
                parsed.add(key);
            }
            Requests.checkPlaceholders(spec);
            entries.add(new GetEntry(table, spec, parsed, RequestExpressions.parse(spec, d.keySchema()),
                    Requests.bool(spec, "ConsistentRead")));
        }
        ObjectNode response = JsonNodeFactory.instance.objectNode();
        ObjectNode responses = response.putObject("Responses");
        ObjectNode unprocessed = JsonNodeFactory.instance.objectNode();
        ArrayNode capacity = JsonNodeFactory.instance.arrayNode();
        long bytes = 0;
        for (GetEntry g : entries) {
            String name = g.table().definition().name();
            ArrayNode list = responses.putArray(name);
            Projection p = g.expressions().projection().orElse(null);
            Capacity.Units u = new Capacity.Units(name, true);
            for (Key k : g.keys()) {
                if (bytes > MAX_GET_BYTES) {
                    ObjectNode rest = unprocessed.has(name) ? (ObjectNode) unprocessed.get(name) : unprocessedSpec(g);
                    unprocessed.set(name, rest);
                    rest.withArray("Keys").add(ItemRules.keyMap(g.table().definition(), k));
                    continue;
                }
                ObjectNode item = g.table().get(k);
                bytes += item == null ? 0 : ItemSize.bytes(item);
                u.addTable(Capacity.readUnits(item == null ? 0 : ItemSize.bytes(item), g.consistent()));
                if (item != null) {
                    list.add(p == null ? item : p.project(item));
                }
            }
            if (!mode.equals(Capacity.NONE)) {
                capacity.add(u.toJson(mode));
            }
        }
        response.set("UnprocessedKeys", unprocessed);
        if (!mode.equals(Capacity.NONE)) {
            response.set("ConsumedCapacity", capacity);
        }
        return response;
    }

    /** A table's entry of UnprocessedKeys: the request's parameters for that table, without keys yet. */
    private static ObjectNode unprocessedSpec(GetEntry g) {
        ObjectNode rest = g.spec().deepCopy();
        rest.remove("Keys");
        return rest;
    }

    public ObjectNode batchWriteItem(ObjectNode request, RequestContext context) {
        ObjectNode requestItems = requestItems(request);
        String mode = Capacity.mode(request);
        Map<String, List<ItemOperations.PreparedWrite>> writes = new LinkedHashMap<>();
        Map<ItemOperations.PreparedWrite, JsonNode> originals = new LinkedHashMap<>();
        int total = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = requestItems.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            Table table = db.table(e.getKey());
            TableDefinition d = table.definition();
            JsonNode list = e.getValue();
            if (!list.isArray() || list.isEmpty() || list.size() > MAX_WRITES) {
                throw DynamoDbError.validation("1 validation error detected: Value at 'requestItems' failed to satisfy "
                        + "constraint: Map value must satisfy constraint: [Member must have length less than or equal to 25, "
                        + "Member must have length greater than or equal to 1]");
            }
            total += list.size();
            if (total > MAX_WRITES) {
                throw DynamoDbError.validation("Too many items requested for the BatchWriteItem call");
            }
            Set<String> seen = new HashSet<>();
            List<ItemOperations.PreparedWrite> prepared = new ArrayList<>();
            for (JsonNode w : list) {
                ObjectNode spec = JsonNodeFactory.instance.objectNode();
                spec.put("TableName", e.getKey());
                ItemOperations.PreparedWrite pw;
                JsonNode rawKeySource;
                if (w.has("PutRequest") && !w.has("DeleteRequest")) {
                    spec.set("Item", w.get("PutRequest").get("Item"));
                    pw = ItemOperations.preparePut(table, spec, ItemOperations.expressions(spec, table));
                    rawKeySource = w.get("PutRequest").get("Item");
                } else if (w.has("DeleteRequest") && !w.has("PutRequest")) {
                    spec.set("Key", w.get("DeleteRequest").get("Key"));
                    pw = ItemOperations.prepareDelete(table, spec, ItemOperations.expressions(spec, table));
                    rawKeySource = w.get("DeleteRequest").get("Key");
                } else {
                    throw DynamoDbError.validation("Supplied AttributeValue has more than one datatypes set, must contain "
                            + "exactly one of the supported datatypes");
                }
                if (!seen.add(rawKey(d, rawKeySource))) {
                    throw DynamoDbError.validation("Provided list of item keys contains duplicates");
                }
                prepared.add(pw);
                originals.put(pw, w);
            }
            writes.put(d.name(), prepared);
        }
        ObjectNode response = JsonNodeFactory.instance.objectNode();
        ObjectNode unprocessed = response.putObject("UnprocessedItems");
        ArrayNode capacity = JsonNodeFactory.instance.arrayNode();
        writes.forEach((name, list) -> {
            Capacity.Units u = new Capacity.Units(name, false);
            for (ItemOperations.PreparedWrite pw : list) {
                try {
                    ItemOperations.Outcome o = items.apply(pw);
                    if (!mode.equals(Capacity.NONE)) {
                        u.add(Capacity.write(pw.table(), pw.key(), o.before(), o.after(), 1));
                    }
                } catch (DynamoDbError conflict) {
                    if (!conflict.type().equals("TransactionConflictException")) {
                        throw conflict;
                    }
                    unprocessed.withArray(name).add(originals.get(pw));
                }
            }
            if (!mode.equals(Capacity.NONE)) {
                capacity.add(u.toJson(mode));
            }
        });
        if (!mode.equals(Capacity.NONE)) {
            response.set("ConsumedCapacity", capacity);
        }
        return response;
    }
}
