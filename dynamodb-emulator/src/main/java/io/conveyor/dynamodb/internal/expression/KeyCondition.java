package io.conveyor.dynamodb.internal.expression;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * A parsed KeyConditionExpression or KeyConditions: equality on the partition key, and optionally a condition on
 * the sort key.
 */
public record KeyCondition(String hashKey, JsonNode hashValue, Optional<SortCondition> sort) {
}
