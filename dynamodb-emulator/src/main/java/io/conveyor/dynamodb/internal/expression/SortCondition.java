package io.conveyor.dynamodb.internal.expression;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The sort key part of a key condition.
 *
 * @param attribute the sort key's attribute name
 * @param op        the comparison
 * @param low       the operand (the lower bound for BETWEEN)
 * @param high      the upper bound for BETWEEN, else {@code null}
 */
public record SortCondition(String attribute, Operator op, JsonNode low, JsonNode high) {
    /** The comparisons a key condition allows on a sort key. */
    public enum Operator { EQ, LT, LE, GT, GE, BETWEEN, BEGINS_WITH }

    /** Whether a sort key value (of the key's type) satisfies this condition. */
    public boolean matches(JsonNode value) {
        return KeyConditions.matches(this, value);
    }
}
