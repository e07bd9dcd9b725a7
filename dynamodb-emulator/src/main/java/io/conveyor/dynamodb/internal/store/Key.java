package io.conveyor.dynamodb.internal.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.conveyor.dynamodb.internal.value.AttributeValues;

/**
 * A position in a table or index: key attribute values compared one after the other as DynamoDB orders them
 * (S by UTF-8 bytes, N numerically, B by unsigned bytes). {@link #LOWEST} and {@link #HIGHEST} stand for the ends
 * of a range, so that a partition is the span from (hash, LOWEST) to (hash, HIGHEST).
 */
public final class Key implements Comparable<Key> {
    /** Sorts before every value; compared by identity. */
    public static final JsonNode LOWEST = new TextNode("\u0000lowest");
    /** Sorts after every value; compared by identity. */
    public static final JsonNode HIGHEST = new TextNode("\uffffhighest");

    private final JsonNode[] parts;
    private String id;

    public Key(JsonNode... parts) {
        this.parts = parts;
    }

    public JsonNode part(int i) {
        return parts[i];
    }

    public int size() {
        return parts.length;
    }

    @Override
    public int compareTo(Key o) {
        int n = Math.min(parts.length, o.parts.length);
        for (int i = 0; i < n; i++) {
            int c = compare(parts[i], o.parts[i]);
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(parts.length, o.parts.length);
    }

    private static int compare(JsonNode a, JsonNode b) {
        if (a == b) {
            return 0;
        }
        if (a == LOWEST || b == HIGHEST) {
            return -1;
        }
        if (a == HIGHEST || b == LOWEST) {
            return 1;
        }
        return AttributeValues.compare(a, b);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Key k && compareTo(k) == 0;
    }

    @Override
    public int hashCode() {
        return id().hashCode();
    }

    /**
     * A text naming this key uniquely within its table (the values are stored normalised, so equal keys have
     * equal texts): the storage key of an item and the name its lock goes by.
     */
    public String id() {
        if (id == null) {
            id = text();
        }
        return id;
    }

    private String text() {
        StringBuilder sb = new StringBuilder();
        for (JsonNode p : parts) {
            var f = p.fields().next();
            sb.append(f.getKey()).append(':').append(f.getValue().asText()).append('\u0000');
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return id();
    }
}
