package io.conveyor.dynamodb.internal.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conveyor.dynamodb.internal.DynamoDbError;
import java.util.Set;

/** Typed reads of request fields, refusing wrong JSON types as DynamoDB's deserialiser does. */
final class Requests {
    private Requests() {
    }

    static DynamoDbError serialization(String message) {
        return new DynamoDbError(400, "SerializationException", message, null);
    }

    /** A string field, or null when absent. */
    static String string(JsonNode request, String field) {
        JsonNode v = request.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw serialization("NUMBER_VALUE cannot be converted to String");
        }
        return v.asText();
    }

    /** A string field that must be present: ValidationException naming it when absent. */
    static String required(JsonNode request, String field, String member) {
        String v = string(request, field);
        if (v == null) {
            throw DynamoDbError.validation("1 validation error detected: Value null at '" + member
                    + "' failed to satisfy constraint: Member must not be null");
        }
        return v;
    }

    /** An object field, or null when absent. */
    static ObjectNode object(JsonNode request, String field) {
        JsonNode v = request.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!(v instanceof ObjectNode o)) {
            throw serialization("Unexpected value type in payload");
        }
        return o;
    }

    static boolean bool(JsonNode request, String field) {
        JsonNode v = request.get(field);
        if (v == null || v.isNull()) {
            return false;
        }
        if (!v.isBoolean()) {
            throw serialization("Unexpected value type in payload");
        }
        return v.asBoolean();
    }

    /** An integer field, or {@code dflt} when absent. */
    static int integer(JsonNode request, String field, int dflt) {
        JsonNode v = request.get(field);
        if (v == null || v.isNull()) {
            return dflt;
        }
        if (!v.isIntegralNumber()) {
            throw serialization("Unexpected value type in payload");
        }
        return v.asInt();
    }

    /** An enumeration field: ValidationException listing the allowed values otherwise. */
    static String choice(JsonNode request, String field, String member, Set<String> allowed, String dflt) {
        String v = string(request, field);
        if (v == null) {
            return dflt;
        }
        if (!allowed.contains(v)) {
            throw DynamoDbError.validation("1 validation error detected: Value '" + v + "' at '" + member
                    + "' failed to satisfy constraint: Member must satisfy enum value set: "
                    + allowed.stream().sorted().toList());
        }
        return v;
    }

    /**
     * Shape checks DynamoDB's deserialiser makes before any validation: the placeholder maps must map to
     * strings and attribute values.
     */
    static void checkPlaceholders(JsonNode request) {
        JsonNode names = request.get("ExpressionAttributeNames");
        if (names != null && !names.isNull()) {
            if (!names.isObject()) {
                throw serialization("Unexpected value type in payload");
            }
            names.forEach(n -> {
                if (!n.isTextual()) {
                    throw serialization("NUMBER_VALUE cannot be converted to String");
                }
            });
        }
        JsonNode values = request.get("ExpressionAttributeValues");
        if (values != null && !values.isNull() && !values.isObject()) {
            throw serialization("Unexpected value type in payload");
        }
    }
}
