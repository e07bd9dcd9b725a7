package io.conveyor.dynamodb.internal.expression;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conveyor.dynamodb.internal.DynamoDbError;
import io.conveyor.dynamodb.internal.value.AttributeValues;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * AttributeUpdates, the update parameter from before expressions: per top-level attribute, PUT a value, ADD a
 * number, set members or list elements, or DELETE the attribute or some of its set members.
 */
final class LegacyUpdate extends TargetedUpdate {
    private record Action(String attribute, String kind, JsonNode value) {
    }

    private static final String MISMATCH = LegacyParameters.INVALID + "Type mismatch for attribute to update";

    private final List<Action> actions;

    LegacyUpdate(JsonNode attributeUpdates, KeySchema keys) {
        super(attributeUpdates.properties().stream().map(entry -> Path.of(entry.getKey())).toList());
        List<Action> parsed = new ArrayList<>();
        for (Map.Entry<String, JsonNode> entry : attributeUpdates.properties()) {
            String attribute = entry.getKey();
            JsonNode spec = entry.getValue();
            String kind = spec.has("Action") ? spec.get("Action").asText() : "PUT";
            JsonNode value = spec.has("Value") ? AttributeValues.validate(spec.get("Value")) : null;
            if (keys.isKey(attribute)) {
                throw DynamoDbError.validation(LegacyParameters.INVALID + "Cannot update attribute " + attribute
                        + ". This attribute is part of the key");
            }
            checkAction(kind, value);
            parsed.add(new Action(attribute, kind, value));
        }
        this.actions = List.copyOf(parsed);
    }

    private static void checkAction(String kind, JsonNode value) {
        if (!List.of("PUT", "ADD", "DELETE").contains(kind)) {
            throw DynamoDbError.validation("1 validation error detected: Value '" + kind + "' at 'action' failed to "
                    + "satisfy constraint: Member must satisfy enum value set: [ADD, PUT, DELETE]");
        }
        if (value == null) {
            if (!kind.equals("DELETE")) {
                throw DynamoDbError.validation(LegacyParameters.INVALID
                        + "Only DELETE action is allowed when no attribute value is specified");
            }
            return;
        }
        String type = AttributeValues.typeOf(value);
        if (kind.equals("ADD") && !(type.equals("N") || type.equals("L") || AttributeValues.isSet(type))) {
            throw DynamoDbError.validation(LegacyParameters.INVALID + "ADD action is not supported for the type "
                    + type);
        }
        if (kind.equals("DELETE") && !AttributeValues.isSet(type)) {
            throw DynamoDbError.validation(LegacyParameters.INVALID
                    + "DELETE action with value is not supported for the type " + type);
        }
    }

    @Override
    public ObjectNode apply(ObjectNode item) {
        for (Action action : actions) {
            JsonNode current = item.get(action.attribute());
            JsonNode result = switch (action.kind()) {
                case "PUT" -> action.value().deepCopy();
                case "ADD" -> add(current, action.value());
                default -> action.value() == null ? null : delete(current, action.value());
            };
            if (result == null) {
                item.remove(action.attribute());
            } else {
                item.set(action.attribute(), result);
            }
        }
        return item;
    }

    private static JsonNode add(JsonNode current, JsonNode value) {
        String type = AttributeValues.typeOf(value);
        if (current != null && !current.has(type)) {
            throw DynamoDbError.validation(MISMATCH);
        }
        if (current != null && type.equals("L")) {
            ArrayNode elements = ((ArrayNode) current.get("L")).deepCopy();
            elements.addAll(((ArrayNode) value.get("L")).deepCopy());
            return AttributeValues.of("L", elements);
        }
        return UpdateExpression.add(current, value);
    }

    private static JsonNode delete(JsonNode current, JsonNode value) {
        if (current != null && !current.has(AttributeValues.typeOf(value))) {
            throw DynamoDbError.validation(MISMATCH);
        }
        return UpdateExpression.delete(current, value);
    }

    /** An empty AttributeUpdates creates the item with just its key; only DELETE actions create nothing. */
    @Override
    public boolean createsMissingItem() {
        return actions.isEmpty() || actions.stream().anyMatch(action -> !action.kind().equals("DELETE"));
    }
}
