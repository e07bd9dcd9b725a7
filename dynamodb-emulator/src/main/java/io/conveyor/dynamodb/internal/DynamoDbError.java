package io.conveyor.dynamodb.internal;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * An error answered as DynamoDB shapes it: HTTP status, {@code __type} (the part after {@code #}) and
 * {@code message}, plus any fields the error carries (the {@code Item} of a failed condition, a transaction's
 * {@code CancellationReasons}).
 */
public final class DynamoDbError extends RuntimeException {
    private static final String PREFIX = "com.amazonaws.dynamodb.v20120810#";

    private final int status;
    private final String type;
    private final ObjectNode fields;

    public DynamoDbError(int status, String type, String message, ObjectNode fields) {
        super(message, null, false, false);
        this.status = status;
        this.type = type;
        this.fields = fields;
    }

    /** A request DynamoDB refuses as invalid: the message says what is wrong with it. */
    public static DynamoDbError validation(String message) {
        return new DynamoDbError(400, "ValidationException", message, null);
    }

    public int status() {
        return status;
    }

    /** The error's name, such as {@code ValidationException}. */
    public String type() {
        return type;
    }

    /** The body DynamoDB answers with: {@code __type}, {@code message} and the error's own fields. */
    public ObjectNode body() {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("__type", PREFIX + type);
        body.put("message", getMessage());
        if (fields != null) {
            body.setAll(fields);
        }
        return body;
    }
}
