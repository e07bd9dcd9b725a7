package io.conveyor.dynamodb.internal.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conveyor.dynamodb.internal.DynamoDbError;
import io.conveyor.dynamodb.internal.store.Key;
import io.conveyor.dynamodb.internal.table.IndexDefinition;
import io.conveyor.dynamodb.internal.table.KeyAttribute;
import io.conveyor.dynamodb.internal.table.TableDefinition;
import io.conveyor.dynamodb.internal.value.AttributeValues;
import io.conveyor.dynamodb.internal.value.ItemSize;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;

/** DynamoDB's rules for keys and whole items: schema, key types and sizes, index keys, the 400 KB limit. */
final class ItemRules {
    static final long MAX_ITEM_BYTES = 400 * 1024;
    private static final int MAX_HASH_KEY_BYTES = 2048;
    private static final int MAX_RANGE_KEY_BYTES = 1024;

    private ItemRules() {
    }

    /**
     * The primary key named by a request's {@code Key} map: exactly the table's key attributes, of their types,
     * not empty. Values are normalised (a number key {@code 1.0} is the key {@code 1}).
     */
    static Key key(TableDefinition table, JsonNode keyMap) {
        if (!(keyMap instanceof ObjectNode map)) {
            throw DynamoDbError.validation("1 validation error detected: Value null at 'key' failed to satisfy constraint: "
                    + "Member must not be null");
        }
        int expected = table.range() == null ? 1 : 2;
        if (map.size() != expected || !map.has(table.hash().name())
                || table.range() != null && !map.has(table.range().name())) {
            throw DynamoDbError.validation("The provided key element does not match the schema");
        }
        JsonNode h = keyValue(table.hash(), map.get(table.hash().name()), true);
        checkKeySize(h, MAX_HASH_KEY_BYTES);
        if (table.range() == null) {
            return new Key(h);
        }
        JsonNode r = keyValue(table.range(), map.get(table.range().name()), true);
        checkKeySize(r, MAX_RANGE_KEY_BYTES);
        return new Key(h, r);
    }

    private static JsonNode keyValue(KeyAttribute attribute, JsonNode raw, boolean fromKeyMap) {
        JsonNode v = AttributeValues.validate(raw);
        if (!v.has(attribute.type())) {
            if (fromKeyMap) {
                throw DynamoDbError.validation("The provided key element does not match the schema");
            }
            throw DynamoDbError.validation("One or more parameter values were invalid: Type mismatch for key "
                    + attribute.name() + " expected: " + attribute.type() + " actual: " + AttributeValues.typeOf(v));
        }
        checkNotEmpty(v, attribute, "Key: " + attribute.name());
        return v;
    }

    private static void checkNotEmpty(JsonNode v, KeyAttribute attribute, String which) {
        if (v.get(attribute.type()).asText().isEmpty()) {
            String kind = attribute.type().equals("B") ? "binary" : "string";
            throw DynamoDbError.validation("One or more parameter values are not valid. The AttributeValue for a key "
                    + "attribute cannot contain an empty " + kind + " value. " + which);
        }
    }

    /** The key of {@code key} as an attribute map ({@code Key}, {@code LastEvaluatedKey}). */
    static ObjectNode keyMap(TableDefinition table, Key key) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.set(table.hash().name(), key.part(0));
        if (table.range() != null) {
            out.set(table.range().name(), key.part(1));
        }
        return out;
    }

    /** Validates and normalises every value of an item from a request (PutItem, a batch or transaction Put). */
    static ObjectNode normaliseItem(JsonNode item) {
        if (!(item instanceof ObjectNode map)) {
            throw DynamoDbError.validation("1 validation error detected: Value null at 'item' failed to satisfy constraint: "
                    + "Member must not be null");
        }
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = map.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            out.set(f.getKey(), AttributeValues.validate(f.getValue()));
        }
        return out;
    }

    /**
     * Checks an item about to be stored: key attributes present with their types and within their sizes, index
     * keys of their declared types (an item without an index key is simply not in the index), 400 KB at most.
     */
    static void checkStorable(TableDefinition table, ObjectNode item) {
        checkKeyAttribute(table.hash(), item, MAX_HASH_KEY_BYTES);
        if (table.range() != null) {
            checkKeyAttribute(table.range(), item, MAX_RANGE_KEY_BYTES);
        }
        for (IndexDefinition index : table.indexes().values()) {
            checkIndexKey(index, index.hash(), item);
            if (index.range() != null) {
                checkIndexKey(index, index.range(), item);
            }
        }
        if (ItemSize.bytes(item) > MAX_ITEM_BYTES) {
            throw DynamoDbError.validation("Item size has exceeded the maximum allowed size");
        }
    }

    private static void checkKeyAttribute(KeyAttribute attribute, ObjectNode item, int maxBytes) {
        JsonNode v = item.get(attribute.name());
        if (v == null) {
            throw DynamoDbError.validation("One or more parameter values were invalid: Missing the key "
                    + attribute.name() + " in the item");
        }
        checkKeySize(keyValue(attribute, v, false), maxBytes);
    }

    private static void checkKeySize(JsonNode v, int maxBytes) {
        if (keyBytes(v) > maxBytes) {
            throw DynamoDbError.validation(maxBytes == MAX_HASH_KEY_BYTES
                    ? "One or more parameter values were invalid: Size of hashkey has exceeded the maximum size limit of"
                            + "2048 bytes"
                    : "One or more parameter values were invalid: Aggregated size of all range keys has exceeded the size "
                            + "limit of 1024 bytes");
        }
    }

    private static long keyBytes(JsonNode v) {
        String type = v.fieldNames().next();
        String text = v.get(type).asText();
        return switch (type) {
            case "B" -> Base64.getDecoder().decode(text).length;
            case "S" -> text.getBytes(StandardCharsets.UTF_8).length;
            default -> 0;
        };
    }

    private static void checkIndexKey(IndexDefinition index, KeyAttribute attribute, ObjectNode item) {
        JsonNode v = item.get(attribute.name());
        if (v == null) {
            return;
        }
        if (!v.has(attribute.type())) {
            throw DynamoDbError.validation("One or more parameter values were invalid: Type mismatch for Index Key "
                    + attribute.name() + " Expected: " + attribute.type() + " Actual: " + AttributeValues.typeOf(v)
                    + " IndexName: " + index.name());
        }
        if (v.get(attribute.type()).asText().isEmpty()) {
            throw DynamoDbError.validation("One or more parameter values are not valid. A value specified for a secondary "
                    + "index key is not supported. The AttributeValue for a key attribute cannot contain an empty "
                    + (attribute.type().equals("B") ? "binary" : "string") + " value. IndexName: " + index.name()
                    + ", IndexKey: " + attribute.name());
        }
    }
}
