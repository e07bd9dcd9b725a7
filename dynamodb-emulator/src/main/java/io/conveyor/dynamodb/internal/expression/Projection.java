package io.conveyor.dynamodb.internal.expression;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** A parsed ProjectionExpression or AttributesToGet. */
public interface Projection {
    /** The projected item: only the requested paths, nested as in the item (a new object; the item is unchanged). */
    ObjectNode project(ObjectNode item);
}
