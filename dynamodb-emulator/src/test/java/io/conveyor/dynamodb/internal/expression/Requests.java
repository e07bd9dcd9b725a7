package io.conveyor.dynamodb.internal.expression;

import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conveyor.dynamodb.internal.DynamoDbError;

/** Builds requests and items for the expression tests from JSON written with single quotes. */
final class Requests {
    static final KeySchema HASH_ONLY = new KeySchema("p", null);
    static final KeySchema HASH_AND_RANGE = new KeySchema("p", "c", "S", "N");
    private static final ObjectMapper JSON = new ObjectMapper();

    private Requests() {
    }

    static ObjectNode json(String singleQuoted) {
        try {
            return (ObjectNode) JSON.readTree(singleQuoted.replace('\'', '"'));
        } catch (Exception e) {
            throw new IllegalArgumentException(singleQuoted, e);
        }
    }

    static RequestExpressions parse(String request) {
        return RequestExpressions.parse(json(request), HASH_ONLY);
    }

    /** The message of the ValidationException parsing the request throws. */
    static String refusal(String request) {
        return assertThrows(DynamoDbError.class, () -> parse(request)).getMessage();
    }

    /** Whether the request's ConditionExpression holds for the item ({@code null}: no item). */
    static boolean holds(String request, String item) {
        return parse(request).condition().orElseThrow().test(item == null ? null : json(item));
    }
}
