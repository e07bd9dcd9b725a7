package io.conveyor.dynamodb.internal.expression;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conveyor.dynamodb.internal.DynamoDbError;

/** Changes to an item at a document path, as UpdateItem makes them. */
final class Documents {
    static final String INVALID_PATH = "The document path provided in the update expression is invalid for update";

    private Documents() {
    }

    /**
     * Puts a value at a path. Every step but the last must exist; a list index past the end appends to the list.
     */
    static void set(ObjectNode item, Path path, JsonNode value) {
        if (path.isTopLevel()) {
            item.set(path.root(), value);
            return;
        }
        JsonNode parent = parent(item, path);
        Object last = path.get(path.size() - 1);
        if (parent == null) {
            throw DynamoDbError.validation(INVALID_PATH);
        }
        if (last instanceof String name && parent.get("M") instanceof ObjectNode map) {
            map.set(name, value);
        } else if (last instanceof Integer index && parent.get("L") instanceof ArrayNode list) {
            if (index < list.size()) {
                list.set(index, value);
            } else {
                list.add(value);
            }
        } else {
            throw DynamoDbError.validation(INVALID_PATH);
        }
    }

    /**
     * The value at a path that an ADD or DELETE changes, or {@code null} when it is missing; a missing or mistyped
     * step before the last is refused, as AWS refuses it.
     */
    static JsonNode existing(ObjectNode item, Path path) {
        if (path.isTopLevel()) {
            return item.get(path.root());
        }
        JsonNode parent = parent(item, path);
        Object last = path.get(path.size() - 1);
        boolean fits = parent != null
                && (last instanceof String ? parent.has("M") : parent.has("L"));
        if (!fits) {
            throw DynamoDbError.validation(INVALID_PATH);
        }
        return Path.step(parent, last);
    }

    /**
     * Removes the value at a path. A missing last step is not an error; a missing or mistyped step before it is
     * (AWS accepts that only when the whole item is missing, which the caller handles by not applying the update).
     */
    static void remove(ObjectNode item, Path path) {
        if (path.isTopLevel()) {
            item.remove(path.root());
            return;
        }
        JsonNode parent = parent(item, path);
        Object last = path.get(path.size() - 1);
        if (last instanceof String name && parent != null && parent.get("M") instanceof ObjectNode map) {
            map.remove(name);
        } else if (last instanceof Integer index && parent != null && parent.get("L") instanceof ArrayNode list) {
            if (index < list.size()) {
                list.remove(index);
            }
        } else {
            throw DynamoDbError.validation(INVALID_PATH);
        }
    }

    /** The value holding a path's last step, or {@code null} when a step on the way is missing. */
    private static JsonNode parent(ObjectNode item, Path path) {
        JsonNode value = item.get(path.root());
        for (int i = 1; i < path.size() - 1 && value != null; i++) {
            value = Path.step(value, path.get(i));
        }
        return value;
    }
}
