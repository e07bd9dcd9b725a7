package io.conveyor.dynamodb.internal.value;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** An item's size by DynamoDB's rules, for the 400 KB limit and for capacity units. */
public final class ItemSize {
    private ItemSize() {
    }

    /** The item's size in bytes: each attribute name's UTF-8 length plus its value's size. */
    public static long bytes(ObjectNode item) {
        throw new UnsupportedOperationException("not yet");
    }
}
