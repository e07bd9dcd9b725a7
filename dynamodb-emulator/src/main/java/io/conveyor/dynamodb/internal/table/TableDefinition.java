package io.conveyor.dynamodb.internal.table;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conveyor.dynamodb.internal.DynamoDbError;
import io.conveyor.dynamodb.internal.expression.KeySchema;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * A table as declared by its CreateTable request (kept, so the definition can be stored and parsed again after a
 * restart), plus what the emulator adds: id, creation time, region and the TTL setting. Immutable; changes
 * (TTL, a new GSI) make a new definition.
 */
public final class TableDefinition {
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9_.-]+");
    private static final Set<String> KEY_TYPES = Set.of("S", "N", "B");

    private final ObjectNode request;
    private final String name;
    private final KeyAttribute hash;
    private final KeyAttribute range;
    private final Map<String, IndexDefinition> indexes;
    private final String tableId;
    private final String region;
    private final double creationDateTime;
    private final String ttlAttribute;
    private final boolean ttlEnabled;

    private TableDefinition(ObjectNode request, String tableId, String region, double creationDateTime,
            String ttlAttribute, boolean ttlEnabled) {
        this.request = request;
        this.name = request.get("TableName").asText();
        Map<String, String> types = attributeTypes(request);
        KeyAttribute[] key = keySchema(request.path("KeySchema"), types);
        this.hash = key[0];
        this.range = key[1];
        Map<String, IndexDefinition> idx = new LinkedHashMap<>();
        for (JsonNode g : request.path("GlobalSecondaryIndexes")) {
            putIndex(idx, index(g, true, types));
        }
        for (JsonNode l : request.path("LocalSecondaryIndexes")) {
            IndexDefinition lsi = index(l, false, types);
            if (range == null) {
                throw DynamoDbError.validation("One or more parameter values were invalid: Table KeySchema does not have a "
                        + "range key, which is required when specifying a LocalSecondaryIndex");
            }
            if (!lsi.hash().name().equals(hash.name()) || lsi.range() == null) {
                throw DynamoDbError.validation("One or more parameter values were invalid: Index KeySchema does not have the "
                        + "same leading hash key as table KeySchema for index: " + lsi.name()
                        + ". index hash key: " + lsi.hash().name() + ", table hash key: " + hash.name());
            }
            putIndex(idx, lsi);
        }
        this.indexes = idx;
        Set<String> used = new TreeSet<>();
        used.add(hash.name());
        if (range != null) {
            used.add(range.name());
        }
        idx.values().forEach(i -> {
            used.add(i.hash().name());
            if (i.range() != null) {
                used.add(i.range().name());
            }
        });
        if (!used.equals(types.keySet())) {
            throw DynamoDbError.validation("One or more parameter values were invalid: Number of attributes in KeySchema "
                    + "does not exactly match number of attributes defined in AttributeDefinitions");
        }
        this.tableId = tableId;
        this.region = region;
        this.creationDateTime = creationDateTime;
        this.ttlAttribute = ttlAttribute;
        this.ttlEnabled = ttlEnabled;
    }

    /** Validates a CreateTable request as DynamoDB does and makes the definition of the new table. */
    public static TableDefinition create(ObjectNode request, String tableId, String region, double now) {
        validateName(request.path("TableName"), "tableName");
        validateBilling(request);
        return new TableDefinition(request.deepCopy(), tableId, region, now, null, false);
    }

    private static void putIndex(Map<String, IndexDefinition> indexes, IndexDefinition index) {
        if (indexes.put(index.name(), index) != null) {
            throw DynamoDbError.validation("One or more parameter values were invalid: Duplicate index name: " + index.name());
        }
    }

    /** Checks a table name as DynamoDB does ({@code member} names the field in the message). */
    public static void validateName(JsonNode value, String member) {
        if (!value.isTextual()) {
            throw DynamoDbError.validation("1 validation error detected: Value null at '" + member
                    + "' failed to satisfy constraint: Member must not be null");
        }
        String name = value.asText();
        if (name.length() < 3) {
            throw DynamoDbError.validation("1 validation error detected: Value '" + name + "' at '" + member
                    + "' failed to satisfy constraint: Member must have length greater than or equal to 3");
        }
        if (name.length() > 255) {
            throw DynamoDbError.validation("1 validation error detected: Value '" + name + "' at '" + member
                    + "' failed to satisfy constraint: Member must have length less than or equal to 255");
        }
        if (!NAME.matcher(name).matches()) {
            throw DynamoDbError.validation("1 validation error detected: Value '" + name + "' at '" + member
                    + "' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+");
        }
    }

    private static void validateBilling(ObjectNode request) {
        String billing = request.path("BillingMode").asText("PROVISIONED");
        boolean throughput = request.hasNonNull("ProvisionedThroughput");
        if (billing.equals("PAY_PER_REQUEST")) {
            if (throughput) {
                throw DynamoDbError.validation("One or more parameter values were invalid: Neither ReadCapacityUnits nor "
                        + "WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST");
            }
            for (JsonNode g : request.path("GlobalSecondaryIndexes")) {
                if (g.hasNonNull("ProvisionedThroughput")) {
                    throw DynamoDbError.validation("One or more parameter values were invalid: ProvisionedThroughput should "
                            + "not be specified for index: " + g.path("IndexName").asText() + " when BillingMode is PAY_PER_REQUEST");
                }
            }
        } else if (billing.equals("PROVISIONED")) {
            if (!throughput) {
                throw DynamoDbError.validation("One or more parameter values were invalid: ReadCapacityUnits and "
                        + "WriteCapacityUnits must both be specified when BillingMode is PROVISIONED");
            }
        } else {
            throw DynamoDbError.validation("1 validation error detected: Value '" + billing + "' at 'billingMode' failed to "
                    + "satisfy constraint: Member must satisfy enum value set: [PROVISIONED, PAY_PER_REQUEST]");
        }
    }

    private static Map<String, String> attributeTypes(ObjectNode request) {
        Map<String, String> types = new LinkedHashMap<>();
        int member = 0;
        for (JsonNode d : request.path("AttributeDefinitions")) {
            member++;
            for (String field : new String[] {"AttributeName", "AttributeType"}) {
                if (!d.path(field).isTextual()) {
                    throw DynamoDbError.validation("1 validation error detected: Value null at 'attributeDefinitions."
                            + member + ".member." + Character.toLowerCase(field.charAt(0)) + field.substring(1)
                            + "' failed to satisfy constraint: Member must not be null");
                }
            }
            String name = d.get("AttributeName").asText();
            String type = d.get("AttributeType").asText();
            if (!KEY_TYPES.contains(type)) {
                throw DynamoDbError.validation("1 validation error detected: Value '" + type + "' at "
                        + "'attributeDefinitions." + member + ".member.attributeType' failed to satisfy constraint: "
                        + "Member must satisfy enum value set: [B, N, S]");
            }
            if (types.put(name, type) != null) {
                throw DynamoDbError.validation("Invalid request provided: Duplicate AttributeName in AttributeDefinitions: "
                        + name);
            }
        }
        return types;
    }

    /** [hash, range-or-null] of a KeySchema, checked against the attribute definitions. */
    private static KeyAttribute[] keySchema(JsonNode schema, Map<String, String> types) {
        if (!schema.isArray() || schema.isEmpty() || schema.size() > 2) {
            throw DynamoDbError.validation("1 validation error detected: Value '" + schema + "' at 'keySchema' failed to "
                    + "satisfy constraint: Member must have length less than or equal to 2");
        }
        KeyAttribute[] key = new KeyAttribute[2];
        for (int i = 0; i < schema.size(); i++) {
            JsonNode e = schema.get(i);
            String attr = e.path("AttributeName").asText();
            String keyType = e.path("KeyType").asText();
            if (i == 0 && !keyType.equals("HASH")) {
                throw DynamoDbError.validation("Invalid KeySchema: The first KeySchemaElement is not a HASH key type");
            }
            if (i == 1 && !keyType.equals("RANGE")) {
                throw DynamoDbError.validation("Invalid KeySchema: The second KeySchemaElement is not a RANGE key type");
            }
            if (i == 1 && attr.equals(key[0].name())) {
                throw DynamoDbError.validation("Both the Hash Key and the Range Key element in the KeySchema have the same name");
            }
            String type = types.get(attr);
            if (type == null) {
                throw DynamoDbError.validation("One or more parameter values were invalid: Some index key attributes are not "
                        + "defined in AttributeDefinitions. Keys: [" + attr + "], AttributeDefinitions: " + types.keySet());
            }
            key[i] = new KeyAttribute(attr, type);
        }
        return key;
    }

    private static IndexDefinition index(JsonNode spec, boolean global, Map<String, String> types) {
        String indexName = spec.path("IndexName").asText();
        validateName(spec.path("IndexName"), "indexName");
        KeyAttribute[] key = keySchema(spec.path("KeySchema"), types);
        JsonNode projection = spec.path("Projection");
        String type = projection.path("ProjectionType").asText("");
        JsonNode nonKey = projection.path("NonKeyAttributes");
        List<String> nonKeyAttributes = new ArrayList<>();
        nonKey.forEach(n -> nonKeyAttributes.add(n.asText()));
        switch (type) {
            case "ALL", "KEYS_ONLY" -> {
                if (!nonKey.isMissingNode() && !nonKey.isNull()) {
                    throw DynamoDbError.validation("One or more parameter values were invalid: ProjectionType is " + type
                            + ", but NonKeyAttributes is specified");
                }
            }
            case "INCLUDE" -> {
                if (nonKeyAttributes.isEmpty()) {
                    throw DynamoDbError.validation("One or more parameter values were invalid: ProjectionType is INCLUDE, but "
                            + "NonKeyAttributes is not specified");
                }
            }
            default -> throw DynamoDbError.validation("One or more parameter values were invalid: Unknown ProjectionType: "
                    + type);
        }
        ObjectNode throughput = spec.path("ProvisionedThroughput") instanceof ObjectNode o ? o : null;
        return new IndexDefinition(indexName, global, key[0], key[1], type, List.copyOf(nonKeyAttributes), throughput);
    }

    /** This table with TTL on or off for {@code attribute}. */
    public TableDefinition withTtl(String attribute, boolean enabled) {
        return new TableDefinition(request, tableId, region, creationDateTime, enabled ? attribute : null, enabled);
    }

    /** This table with one more global secondary index, as UpdateTable's {@code Create} declares it. */
    public TableDefinition withGlobalIndex(JsonNode create, JsonNode attributeDefinitions) {
        ObjectNode next = request.deepCopy();
        ArrayNode defs = next.withArray("AttributeDefinitions");
        Set<String> known = new TreeSet<>();
        defs.forEach(d -> known.add(d.path("AttributeName").asText()));
        for (JsonNode d : attributeDefinitions) {
            if (known.add(d.path("AttributeName").asText())) {
                defs.add(d);
            }
        }
        next.withArray("GlobalSecondaryIndexes").add(create);
        if (indexes.containsKey(create.path("IndexName").asText())) {
            throw DynamoDbError.validation("One or more parameter values were invalid: Index with name "
                    + create.path("IndexName").asText() + " already exists");
        }
        return new TableDefinition(next, tableId, region, creationDateTime, ttlAttribute, ttlEnabled);
    }

    /** This table without the global secondary index named. */
    public TableDefinition withoutGlobalIndex(String indexName) {
        IndexDefinition index = indexes.get(indexName);
        if (index == null || !index.global()) {
            throw new DynamoDbError(400, "ResourceNotFoundException", "Requested resource not found: Index: " + indexName
                    + " not found", null);
        }
        ObjectNode next = request.deepCopy();
        ArrayNode gsis = next.withArray("GlobalSecondaryIndexes");
        for (int i = 0; i < gsis.size(); i++) {
            if (gsis.get(i).path("IndexName").asText().equals(indexName)) {
                gsis.remove(i);
                break;
            }
        }
        if (gsis.isEmpty()) {
            next.remove("GlobalSecondaryIndexes");
        }
        pruneAttributeDefinitions(next);
        return new TableDefinition(next, tableId, region, creationDateTime, ttlAttribute, ttlEnabled);
    }

    /** Drops attribute definitions no key uses any more (DynamoDB refuses unused ones). */
    private void pruneAttributeDefinitions(ObjectNode next) {
        Set<String> used = new TreeSet<>();
        for (JsonNode k : next.path("KeySchema")) {
            used.add(k.path("AttributeName").asText());
        }
        for (String kind : new String[] {"GlobalSecondaryIndexes", "LocalSecondaryIndexes"}) {
            for (JsonNode i : next.path(kind)) {
                for (JsonNode k : i.path("KeySchema")) {
                    used.add(k.path("AttributeName").asText());
                }
            }
        }
        ArrayNode defs = next.withArray("AttributeDefinitions");
        for (int i = defs.size() - 1; i >= 0; i--) {
            if (!used.contains(defs.get(i).path("AttributeName").asText())) {
                defs.remove(i);
            }
        }
    }

    /** The stored form: the CreateTable request and what the emulator added. */
    public ObjectNode toJson() {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.set("request", request);
        out.put("tableId", tableId);
        out.put("region", region);
        out.put("creationDateTime", creationDateTime);
        if (ttlAttribute != null) {
            out.put("ttlAttribute", ttlAttribute);
        }
        out.put("ttlEnabled", ttlEnabled);
        return out;
    }

    /** A definition from its stored form ({@link #toJson()}). */
    public static TableDefinition fromJson(JsonNode stored) {
        return new TableDefinition((ObjectNode) stored.get("request"), stored.get("tableId").asText(),
                stored.get("region").asText(), stored.get("creationDateTime").asDouble(),
                stored.path("ttlAttribute").textValue(), stored.path("ttlEnabled").asBoolean());
    }

    public String name() {
        return name;
    }

    public KeyAttribute hash() {
        return hash;
    }

    /** The sort key, or null for a table with a partition key only. */
    public KeyAttribute range() {
        return range;
    }

    public KeySchema keySchema() {
        return new KeySchema(hash.name(), range == null ? null : range.name());
    }

    /** The secondary indexes by name, global and local, in declaration order. */
    public Map<String, IndexDefinition> indexes() {
        return indexes;
    }

    public Optional<IndexDefinition> index(String indexName) {
        return Optional.ofNullable(indexes.get(indexName));
    }

    public ObjectNode request() {
        return request;
    }

    public String tableId() {
        return tableId;
    }

    public String arn() {
        return "arn:aws:dynamodb:" + region + ":000000000000:table/" + name;
    }

    public double creationDateTime() {
        return creationDateTime;
    }

    /** The TTL attribute when TTL is enabled, else null. */
    public String ttlAttribute() {
        return ttlEnabled ? ttlAttribute : null;
    }

    public boolean ttlEnabled() {
        return ttlEnabled;
    }
}
