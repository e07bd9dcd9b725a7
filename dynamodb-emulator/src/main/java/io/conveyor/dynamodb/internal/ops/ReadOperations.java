package io.conveyor.dynamodb.internal.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conveyor.dynamodb.internal.Database;
import io.conveyor.dynamodb.internal.Database.RequestContext;
import io.conveyor.dynamodb.internal.DynamoDbError;
import io.conveyor.dynamodb.internal.expression.Condition;
import io.conveyor.dynamodb.internal.expression.KeyCondition;
import io.conveyor.dynamodb.internal.expression.Projection;
import io.conveyor.dynamodb.internal.expression.RequestExpressions;
import io.conveyor.dynamodb.internal.expression.SortCondition;
import io.conveyor.dynamodb.internal.store.Key;
import io.conveyor.dynamodb.internal.store.Table;
import io.conveyor.dynamodb.internal.table.IndexDefinition;
import io.conveyor.dynamodb.internal.table.KeyAttribute;
import io.conveyor.dynamodb.internal.table.TableDefinition;
import io.conveyor.dynamodb.internal.value.AttributeValues;
import io.conveyor.dynamodb.internal.value.ItemSize;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;

/**
 * Query and Scan, on a table or a secondary index: one page at a time, of at most {@code Limit} items read and
 * at most 1 MB read, with {@code LastEvaluatedKey} where the page stopped.
 */
public final class ReadOperations {
    /** DynamoDB stops a Query or Scan page once it has read 1 MB. */
    private static final long PAGE_BYTES = 1024 * 1024;
    private static final Set<String> SELECTS =
            Set.of("ALL_ATTRIBUTES", "ALL_PROJECTED_ATTRIBUTES", "SPECIFIC_ATTRIBUTES", "COUNT");

    private final Database db;

    public ReadOperations(Database db) {
        this.db = db;
    }

    /** The table or index a read addresses, and how it shows items. */
    private record Source(Table table, TableDefinition definition, IndexDefinition index,
            NavigableMap<Key, ObjectNode> entries, String select, boolean consistent) {

        KeyAttribute hash() {
            return index == null ? definition.hash() : index.hash();
        }

        KeyAttribute range() {
            return index == null ? definition.range() : index.range();
        }

        /** The item as this read sees it: the index's projection unless all attributes are fetched. */
        ObjectNode visible(ObjectNode item) {
            return index == null || select.equals("ALL_ATTRIBUTES") ? item
                    : IndexProjection.project(definition, index, item);
        }

        /** The position of an ExclusiveStartKey in {@link #entries}. */
        Key position(JsonNode startKey) {
            if (!(startKey instanceof ObjectNode esk)) {
                throw DynamoDbError.validation("The provided starting key is invalid: ExclusiveStartKey must be a map");
            }
            Key primary;
            try {
                ObjectNode tableKey = JsonNodeFactory.instance.objectNode();
                tableKey.set(definition.hash().name(), esk.get(definition.hash().name()));
                if (definition.range() != null) {
                    tableKey.set(definition.range().name(), esk.get(definition.range().name()));
                }
                primary = ItemRules.key(definition, tableKey);
            } catch (DynamoDbError e) {
                throw DynamoDbError.validation("The provided starting key is invalid: " + e.getMessage());
            }
            if (index == null) {
                if (esk.size() != primary.size()) {
                    throw DynamoDbError.validation("The provided starting key is invalid: The provided key element does not "
                            + "match the schema");
                }
                return primary;
            }
            ObjectNode asItem = esk.deepCopy();
            Key k = table.indexKey(index, primary, asItem);
            if (k == null) {
                throw DynamoDbError.validation("The provided starting key is invalid: The provided key element does not "
                        + "match the schema");
            }
            return k;
        }

        /** The key attributes of an entry, as LastEvaluatedKey names them (index keys included). */
        ObjectNode lastEvaluatedKey(ObjectNode item) {
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            copy(item, out, definition.hash());
            copy(item, out, definition.range());
            if (index != null) {
                copy(item, out, index.hash());
                copy(item, out, index.range());
            }
            return out;
        }

        private static void copy(ObjectNode item, ObjectNode out, KeyAttribute a) {
            if (a != null) {
                out.set(a.name(), item.get(a.name()));
            }
        }
    }

    private Source source(ObjectNode request, RequestExpressions[] parsed, boolean query) {
        Table table = db.table(Requests.required(request, "TableName", "tableName"));
        TableDefinition d = table.definition();
        String indexName = Requests.string(request, "IndexName");
        IndexDefinition index = null;
        if (indexName != null) {
            index = d.index(indexName).orElseThrow(() -> DynamoDbError.validation(
                    "The table does not have the specified index: " + indexName));
        }
        boolean consistent = Requests.bool(request, "ConsistentRead");
        if (consistent && index != null && index.global()) {
            throw DynamoDbError.validation("Consistent reads are not supported on global secondary indexes");
        }
        Requests.checkPlaceholders(request);
        var keys = index == null ? d.keySchema() : index.keySchema();
        parsed[0] = query ? ItemOperations.prefixed(() -> RequestExpressions.parse(request, keys))
                : RequestExpressions.parse(request, keys);
        boolean projected = parsed[0].projection().isPresent();
        String select = Requests.choice(request, "Select", "select", SELECTS,
                projected ? "SPECIFIC_ATTRIBUTES" : index == null ? "ALL_ATTRIBUTES" : "ALL_PROJECTED_ATTRIBUTES");
        if (select.equals("SPECIFIC_ATTRIBUTES") && !projected) {
            throw DynamoDbError.validation("1 validation error detected: Must specify the AttributesToGet or "
                    + "ProjectionExpression when choosing to get SPECIFIC_ATTRIBUTES");
        }
        if (projected && !select.equals("SPECIFIC_ATTRIBUTES")) {
            throw DynamoDbError.validation("1 validation error detected: Cannot specify the AttributesToGet or "
                    + "ProjectionExpression when choosing to get " + select);
        }
        if (index != null && index.global() && select.equals("ALL_ATTRIBUTES") && !index.projectsAll()) {
            throw DynamoDbError.validation("One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not "
                    + "supported for global secondary index " + index.name() + " because its projection type is not ALL");
        }
        if (index == null && select.equals("ALL_PROJECTED_ATTRIBUTES")) {
            throw DynamoDbError.validation("One or more parameter values were invalid: Select type "
                    + "ALL_PROJECTED_ATTRIBUTES is only valid when querying an index");
        }
        NavigableMap<Key, ObjectNode> entries = index == null ? table.items() : table.index(index.name());
        return new Source(table, d, index, entries, select, consistent);
    }

    private static int limit(ObjectNode request) {
        int limit = Requests.integer(request, "Limit", Integer.MAX_VALUE);
        if (limit < 1) {
            throw DynamoDbError.validation("1 validation error detected: Value '" + limit
                    + "' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1");
        }
        return limit;
    }

    public ObjectNode query(ObjectNode request, RequestContext context) {
        RequestExpressions[] parsed = new RequestExpressions[1];
        Source src = source(request, parsed, true);
        KeyCondition kc = parsed[0].keyCondition().orElseThrow(() -> DynamoDbError.validation(
                "Either the KeyConditions or KeyConditionExpression parameter must be specified in the request."));
        int limit = limit(request);
        boolean forward = !request.has("ScanIndexForward") || Requests.bool(request, "ScanIndexForward");
        JsonNode hashValue = AttributeValues.validate(kc.hashValue());
        if (!hashValue.has(src.hash().type())) {
            throw DynamoDbError.validation("One or more parameter values were invalid: Condition parameter type does not "
                    + "match schema type");
        }
        NavigableMap<Key, ObjectNode> partition =
                src.entries().subMap(new Key(hashValue), true, new Key(hashValue, Key.HIGHEST), true);
        if (!forward) {
            partition = partition.descendingMap();
        }
        if (request.hasNonNull("ExclusiveStartKey")) {
            if (src.range() == null && src.index() == null) {
                throw DynamoDbError.validation("The provided starting key is invalid: a Query of a table without a sort key "
                        + "reads one item, so an ExclusiveStartKey cannot continue it");
            }
            Key start = src.position(request.get("ExclusiveStartKey"));
            if (AttributeValues.compare(start.part(0), hashValue) != 0) {
                throw DynamoDbError.validation("The provided starting key is outside query boundaries based on provided "
                        + "conditions");
            }
            partition = partition.tailMap(start, false);
        }
        SortCondition sort = kc.sort().orElse(null);
        if (sort != null && src.range() != null) {
            for (JsonNode operand : new JsonNode[] {sort.low(), sort.high()}) {
                if (operand != null && !operand.has(src.range().type())) {
                    throw DynamoDbError.validation("One or more parameter values were invalid: Condition parameter type "
                            + "does not match schema type");
                }
            }
        }
        return page(request, src, parsed[0], partition, limit, (k, item) -> sort == null
                || sort.matches(item.get(sort.attribute())), null);
    }

    public ObjectNode scan(ObjectNode request, RequestContext context) {
        RequestExpressions[] parsed = new RequestExpressions[1];
        Source src = source(request, parsed, false);
        int limit = limit(request);
        int[] segment = segment(request);
        NavigableMap<Key, ObjectNode> entries = src.entries();
        if (request.hasNonNull("ExclusiveStartKey")) {
            JsonNode start = request.get("ExclusiveStartKey");
            entries = entries.tailMap(src.position(start), false);
            if (segment != null && start instanceof ObjectNode esk
                    && segmentOf(esk, src.definition().hash(), segment[1]) != segment[0]) {
                throw DynamoDbError.validation("The provided Exclusive start key does not map to the provided Segment "
                        + "and TotalSegments values.");
            }
        }
        return page(request, src, parsed[0], entries, limit, (k, item) -> true, segment);
    }

    /** [segment, total] of a parallel Scan, or null for a whole-table Scan. */
    private static int[] segment(ObjectNode request) {
        boolean hasSegment = request.hasNonNull("Segment");
        boolean hasTotal = request.hasNonNull("TotalSegments");
        if (!hasSegment && !hasTotal) {
            return null;
        }
        if (!hasTotal) {
            throw DynamoDbError.validation("The TotalSegments parameter is required but was not present in the request "
                    + "when Segment parameter is present");
        }
        if (!hasSegment) {
            throw DynamoDbError.validation("The Segment parameter is required but was not present in the request when "
                    + "parameter TotalSegments is present");
        }
        int seg = Requests.integer(request, "Segment", 0);
        int total = Requests.integer(request, "TotalSegments", 1);
        if (total < 1 || total > 1_000_000) {
            throw DynamoDbError.validation("1 validation error detected: Value '" + total + "' at 'totalSegments' failed to "
                    + "satisfy constraint: Member must have value " + (total < 1 ? "greater than or equal to 1"
                    : "less than or equal to 1000000"));
        }
        if (seg < 0) {
            throw DynamoDbError.validation("1 validation error detected: Value '" + seg + "' at 'segment' failed to satisfy "
                    + "constraint: Member must have value greater than or equal to 0");
        }
        if (seg >= total) {
            throw DynamoDbError.validation("The Segment parameter is zero-based and must be less than parameter "
                    + "TotalSegments: Segment: " + seg + " is not less than TotalSegments: " + total);
        }
        return new int[] {seg, total};
    }

    /** Which segment of {@code total} a partition belongs to: a hash of the partition key, as DynamoDB spreads them. */
    private static int segmentOf(ObjectNode item, KeyAttribute hash, int total) {
        JsonNode v = item.get(hash.name());
        int h = new Key(v).id().hashCode();
        return Math.floorMod(h ^ (h >>> 16), total);
    }

    @FunctionalInterface
    private interface KeyFilter {
        boolean test(Key key, ObjectNode item);
    }

    private static ObjectNode page(ObjectNode request, Source src, RequestExpressions ex,
            NavigableMap<Key, ObjectNode> entries, int limit, KeyFilter keyFilter, int[] segment) {
        Condition filter = ex.filter().orElse(null);
        Projection projection = ex.projection().orElse(null);
        boolean count = src.select().equals("COUNT");
        String mode = Capacity.mode(request);
        ArrayNode items = JsonNodeFactory.instance.arrayNode();
        int scanned = 0;
        int matched = 0;
        long bytes = 0;
        ObjectNode last = null;
        boolean more = false;
        for (Map.Entry<Key, ObjectNode> e : entries.entrySet()) {
            ObjectNode stored = e.getValue();
            if (segment != null && segmentOf(stored, src.definition().hash(), segment[1]) != segment[0]) {
                continue;
            }
            if (!keyFilter.test(e.getKey(), stored)) {
                continue;
            }
            if (scanned == limit || bytes >= PAGE_BYTES) {
                more = true;
                break;
            }
            ObjectNode item = src.visible(stored);
            scanned++;
            bytes += ItemSize.bytes(item);
            last = stored;
            if (filter != null && !filter.test(item)) {
                continue;
            }
            matched++;
            if (!count) {
                items.add(projection == null ? item : projection.project(item));
            }
        }
        ObjectNode response = JsonNodeFactory.instance.objectNode();
        if (!count) {
            response.set("Items", items);
        }
        response.put("Count", matched);
        response.put("ScannedCount", scanned);
        if (more && last != null) {
            response.set("LastEvaluatedKey", src.lastEvaluatedKey(last));
        }
        if (!mode.equals(Capacity.NONE)) {
            Capacity.Units u = new Capacity.Units(src.definition().name(), true);
            double units = Capacity.readUnits(bytes, src.consistent());
            if (src.index() == null) {
                u.addTable(units);
            } else {
                u.addIndex(src.index(), units);
            }
            response.set("ConsumedCapacity", u.toJson(mode));
        }
        return response;
    }
}
