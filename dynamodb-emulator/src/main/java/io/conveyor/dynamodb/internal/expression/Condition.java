package io.conveyor.dynamodb.internal.expression;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** A parsed condition or filter (ConditionExpression, FilterExpression, Expected, QueryFilter, ScanFilter). */
public interface Condition {
    /**
     * Whether the item satisfies the condition; {@code item} is {@code null} when the item does not exist.
     * Throws a ValidationException where AWS rejects the evaluation itself.
     */
    boolean test(ObjectNode item);
}
