package io.conveyor.dynamodb.internal.expression;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** A parsed UpdateExpression or AttributeUpdates. */
public interface Update {
    /**
     * Applies the update to {@code item} (a copy the caller lets this change, or an empty object for an item that
     * does not exist yet, to which the caller adds the key) and returns the new item. Throws a ValidationException
     * worded as AWS words it when the update cannot apply (wrong operand types, a path through a non-map, ...).
     */
    ObjectNode apply(ObjectNode item);

    /** For ReturnValues UPDATED_OLD: the updated paths' values in {@code before}, nested as AWS returns them. */
    ObjectNode updatedOld(ObjectNode before);

    /** For ReturnValues UPDATED_NEW: the updated paths' values in {@code after}, nested as AWS returns them. */
    ObjectNode updatedNew(ObjectNode after);

    /**
     * Whether applying this update to an item that does not exist creates it. AWS does not create an item for an
     * update that only removes or deletes (REMOVE, DELETE, legacy DELETE actions).
     */
    boolean createsMissingItem();
}
