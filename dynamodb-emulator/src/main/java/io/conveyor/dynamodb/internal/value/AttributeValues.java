package io.conveyor.dynamodb.internal.value;

import com.fasterxml.jackson.databind.JsonNode;

/** Attribute values in their wire form: an object with one field named by the type. */
public final class AttributeValues {
    private AttributeValues() {
    }

    /** Key ordering: S by UTF-8 bytes, N numerically, B by unsigned bytes. Both values must have the same type. */
    public static int compare(JsonNode a, JsonNode b) {
        throw new UnsupportedOperationException("not yet");
    }

    /** Equality as DynamoDB sees it: sets unordered, numbers numerically, binary by bytes. */
    public static boolean equals(JsonNode a, JsonNode b) {
        throw new UnsupportedOperationException("not yet");
    }

    /** The type name of a wire value ({@code S}, {@code N}, ... {@code M}). */
    public static String typeOf(JsonNode value) {
        throw new UnsupportedOperationException("not yet");
    }

    /**
     * Checks a value from a request (empty sets, duplicate set members, bad base64, unknown types, NULL rules)
     * and returns it normalised (numbers in canonical form); the argument is not changed.
     */
    public static JsonNode validate(JsonNode value) {
        throw new UnsupportedOperationException("not yet");
    }
}
