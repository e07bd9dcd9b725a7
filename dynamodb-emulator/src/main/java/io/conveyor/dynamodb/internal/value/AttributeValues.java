package io.conveyor.dynamodb.internal.value;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conveyor.dynamodb.internal.DynamoDbError;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Attribute values in their wire form: an object with one field named by the type ({@code S}, {@code N},
 * {@code B}, {@code BOOL}, {@code NULL}, {@code SS}, {@code NS}, {@code BS}, {@code L}, {@code M}).
 */
public final class AttributeValues {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String INVALID = "One or more parameter values were invalid: ";

    private AttributeValues() {
    }

    /** The type name of a wire value ({@code S}, {@code N}, ... {@code M}), or {@code null} for an empty object. */
    public static String typeOf(JsonNode value) {
        Iterator<String> names = value.fieldNames();
        return names.hasNext() ? names.next() : null;
    }

    /** The payload of a wire value: the text of an S, the array of an SS, the object of an M. */
    public static JsonNode payload(JsonNode value) {
        return value.properties().iterator().next().getValue();
    }

    /** A new wire value of the given type and payload. */
    public static ObjectNode of(String type, JsonNode payload) {
        ObjectNode value = NODES.objectNode();
        value.set(type, payload);
        return value;
    }

    /** A new number value from canonical text. */
    public static ObjectNode number(String canonical) {
        ObjectNode value = NODES.objectNode();
        value.put("N", canonical);
        return value;
    }

    /** Whether the type names a set ({@code SS}, {@code NS}, {@code BS}). */
    public static boolean isSet(String type) {
        return "SS".equals(type) || "NS".equals(type) || "BS".equals(type);
    }

    /**
     * Key ordering: S by UTF-8 bytes, N numerically, B by unsigned bytes. Both values must have the same scalar
     * type; values of other types compare as equal.
     */
    public static int compare(JsonNode a, JsonNode b) {
        String type = typeOf(a);
        switch (type) {
            case "S":
                return compareUtf8(a.get("S").textValue(), b.get("S").textValue());
            case "N":
                return Numbers.compare(a.get("N").textValue(), b.get("N").textValue());
            case "B":
                return Arrays.compareUnsigned(bytes(a), bytes(b));
            default:
                return 0;
        }
    }

    /**
     * Equality as DynamoDB sees it: the same type and value, sets in any order, numbers numerically, binary by
     * bytes, lists element by element and maps key by key.
     */
    public static boolean equals(JsonNode a, JsonNode b) {
        String type = typeOf(a);
        if (type == null || !type.equals(typeOf(b))) {
            return false;
        }
        JsonNode x = a.get(type);
        JsonNode y = b.get(type);
        switch (type) {
            case "S":
            case "BOOL":
            case "NULL":
                return x.equals(y);
            case "N":
                return Numbers.compare(x.textValue(), y.textValue()) == 0;
            case "B":
                return x.textValue().equals(y.textValue()) || Arrays.equals(decode(x.textValue()), decode(y.textValue()));
            case "SS":
            case "NS":
            case "BS":
                return x.size() == y.size() && setKeys(type, x).equals(setKeys(type, y));
            case "L":
                if (x.size() != y.size()) {
                    return false;
                }
                for (int i = 0; i < x.size(); i++) {
                    if (!equals(x.get(i), y.get(i))) {
                        return false;
                    }
                }
                return true;
            case "M":
                if (x.size() != y.size()) {
                    return false;
                }
                for (Map.Entry<String, JsonNode> field : x.properties()) {
                    JsonNode other = y.get(field.getKey());
                    if (other == null || !equals(field.getValue(), other)) {
                        return false;
                    }
                }
                return true;
            default:
                return false;
        }
    }

    /** Whether a set value (SS, NS or BS payload) holds the member (a scalar payload of the matching type). */
    public static boolean setContains(String setType, JsonNode members, JsonNode member) {
        Object key = memberKey(setType, member.textValue());
        for (JsonNode m : members) {
            if (memberKey(setType, m.textValue()).equals(key)) {
                return true;
            }
        }
        return false;
    }

    /**
     * A set member's identity: numbers by canonical value ({@code 1.0} and {@code 1} are one member), binary by
     * decoded bytes, strings as they are.
     */
    public static Object memberKey(String setType, String member) {
        switch (setType) {
            case "NS":
                return Numbers.normalize(member);
            case "BS":
                return ByteBuffer.wrap(decode(member));
            default:
                return member;
        }
    }

    private static Set<Object> setKeys(String type, JsonNode members) {
        Set<Object> keys = new HashSet<>();
        for (JsonNode m : members) {
            keys.add(memberKey(type, m.textValue()));
        }
        return keys;
    }

    /** The decoded bytes of a B value. */
    public static byte[] bytes(JsonNode binaryValue) {
        return decode(binaryValue.get("B").textValue());
    }

    /** Decodes base64 text. */
    public static byte[] decode(String base64) {
        return Base64.getDecoder().decode(base64);
    }

    /** Compares strings by their UTF-8 bytes, as DynamoDB orders S keys. */
    private static int compareUtf8(String a, String b) {
        int n = Math.min(a.length(), b.length());
        for (int i = 0; i < n; i++) {
            char x = a.charAt(i);
            char y = b.charAt(i);
            if (x != y) {
                // Below the surrogate range UTF-16 order is UTF-8 order; beyond it, compare code points.
                if (Character.isSurrogate(x) || Character.isSurrogate(y)) {
                    return Arrays.compareUnsigned(a.substring(i).getBytes(StandardCharsets.UTF_8),
                            b.substring(i).getBytes(StandardCharsets.UTF_8));
                }
                return Character.compare(x, y);
            }
        }
        return Integer.compare(a.length(), b.length());
    }

    /**
     * Checks a value from a request (empty sets, duplicate set members, bad numbers, bad base64, unknown types,
     * NULL rules) and returns it normalised: numbers in canonical form. The argument is not changed; when nothing
     * needs normalising the argument itself is returned.
     */
    public static JsonNode validate(JsonNode value) {
        if (value == null || !value.isObject() || value.size() == 0) {
            throw DynamoDbError.validation(
                    "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes");
        }
        if (value.size() > 1) {
            throw DynamoDbError.validation("Supplied AttributeValue has more than one datatypes set, "
                    + "must contain exactly one of the supported datatypes");
        }
        String type = typeOf(value);
        JsonNode payload = value.get(type);
        switch (type) {
            case "S":
                requireText(payload);
                return value;
            case "N":
                requireText(payload);
                String canonical = Numbers.normalize(payload.textValue());
                return canonical.equals(payload.textValue()) ? value : number(canonical);
            case "B":
                requireBase64(payload);
                return value;
            case "BOOL":
                if (!payload.isBoolean()) {
                    throw wrongJsonType(payload, "Boolean");
                }
                return value;
            case "NULL":
                if (!payload.isBoolean()) {
                    throw wrongJsonType(payload, "Boolean");
                }
                if (!payload.booleanValue()) {
                    throw DynamoDbError.validation(INVALID + "Null attribute value types must have the value of true");
                }
                return value;
            case "SS":
            case "NS":
            case "BS":
                return validateSet(value, type, payload);
            case "L":
                return validateList(value, payload);
            case "M":
                return validateMap(value, payload);
            default:
                // AWS ignores members it does not know, which leaves the value without a type.
                throw DynamoDbError.validation(
                        "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes");
        }
    }

    /** Validates every value of an item (or key), returning the normalised item; the argument is not changed. */
    public static ObjectNode validateItem(ObjectNode item) {
        ObjectNode normalised = null;
        for (Map.Entry<String, JsonNode> field : item.properties()) {
            JsonNode checked = validate(field.getValue());
            if (checked != field.getValue() && normalised == null) {
                normalised = item.deepCopy();
            }
            if (normalised != null) {
                normalised.set(field.getKey(), checked);
            }
        }
        return normalised == null ? item : normalised;
    }

    private static JsonNode validateSet(JsonNode value, String type, JsonNode payload) {
        if (!payload.isArray()) {
            throw wrongJsonType(payload, "List");
        }
        if (payload.isEmpty()) {
            // AWS's own wording, typos and all.
            throw DynamoDbError.validation(INVALID + switch (type) {
                case "SS" -> "An string set  may not be empty";
                case "NS" -> "An number set  may not be empty";
                default -> "Binary sets should not be empty";
            });
        }
        ArrayNode normalised = null;
        Set<Object> seen = new HashSet<>();
        for (int i = 0; i < payload.size(); i++) {
            JsonNode member = payload.get(i);
            requireText(member);
            String text = member.textValue();
            if (type.equals("BS")) {
                requireBase64(member);
            }
            String canonical = type.equals("NS") ? Numbers.normalize(text) : text;
            if (!canonical.equals(text) && normalised == null) {
                normalised = ((ArrayNode) payload).deepCopy();
            }
            if (normalised != null) {
                normalised.set(i, NODES.textNode(canonical));
            }
            if (!seen.add(memberKey(type, canonical))) {
                throw DynamoDbError.validation(switch (type) {
                    case "SS" -> INVALID + "Input collection " + listText(payload) + " contains duplicates.";
                    case "NS" -> "Input collection contains duplicates";
                    default -> INVALID + "Input collection " + listText(payload) + "of type BS contains duplicates.";
                });
            }
        }
        return normalised == null ? value : of(type, normalised);
    }

    private static JsonNode validateList(JsonNode value, JsonNode payload) {
        if (!payload.isArray()) {
            throw wrongJsonType(payload, "List");
        }
        ArrayNode normalised = null;
        for (int i = 0; i < payload.size(); i++) {
            JsonNode checked = validate(payload.get(i));
            if (checked != payload.get(i) && normalised == null) {
                normalised = ((ArrayNode) payload).deepCopy();
            }
            if (normalised != null) {
                normalised.set(i, checked);
            }
        }
        return normalised == null ? value : of("L", normalised);
    }

    private static JsonNode validateMap(JsonNode value, JsonNode payload) {
        if (!payload.isObject()) {
            throw wrongJsonType(payload, "Map");
        }
        ObjectNode checked = validateItem((ObjectNode) payload);
        return checked == payload ? value : of("M", checked);
    }

    private static void requireText(JsonNode payload) {
        if (!payload.isTextual()) {
            throw wrongJsonType(payload, "String");
        }
    }

    private static void requireBase64(JsonNode payload) {
        requireText(payload);
        try {
            decode(payload.textValue());
        } catch (IllegalArgumentException e) {
            throw serialization("'" + payload.textValue() + "' can not be converted to a Blob: " + e.getMessage());
        }
    }

    /**
     * The SerializationException AWS answers when a request's JSON has the wrong kind of value somewhere, such as
     * {@code {"S": 123}} ({@code NUMBER_VALUE cannot be converted to String}).
     */
    public static DynamoDbError wrongJsonType(JsonNode found, String expected) {
        String message;
        if (found.isObject()) {
            message = "Start of structure or map found where not expected";
        } else if (found.isArray()) {
            message = "Start of list found where not expected";
        } else {
            String kind = found.isNumber() ? "NUMBER_VALUE" : found.isBoolean() ? "BOOLEAN_VALUE"
                    : found.isTextual() ? "STRING_VALUE" : "NULL_VALUE";
            message = kind + " cannot be converted to " + expected;
        }
        return new DynamoDbError(400, "SerializationException", message, null);
    }

    private static String listText(JsonNode array) {
        List<String> members = new ArrayList<>();
        array.forEach(m -> members.add(m.asText()));
        return "[" + String.join(", ", members) + "]";
    }

    private static DynamoDbError serialization(String message) {
        return new DynamoDbError(400, "SerializationException", message, null);
    }
}
