package io.conveyor.dynamodb.internal.expression;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conveyor.dynamodb.internal.DynamoDbError;
import io.conveyor.dynamodb.internal.value.AttributeValues;
import io.conveyor.dynamodb.internal.value.Numbers;

/**
 * Something an expression computes a value from: a document path, a {@code :value}, a function or (in SET) a sum
 * or difference.
 */
sealed interface Operand {
    String MISSING_ATTRIBUTE = "The provided expression refers to an attribute that does not exist in the item";
    String WRONG_TYPE = "An operand in the update expression has an incorrect data type";

    /** The operand's value in a condition: {@code null} when it refers to something the item lacks. */
    JsonNode evaluate(ObjectNode item);

    /**
     * The operand's value on the right of a SET: a missing attribute or an operand of the wrong type is a
     * ValidationException. The value is the operand's own copy, safe to place in the item.
     */
    JsonNode evaluateForUpdate(ObjectNode item);

    /** The constant value when the operand is a {@code :value}, else {@code null} (for checks made when parsing). */
    default JsonNode constant() {
        return null;
    }

    /** A document path. */
    record PathOperand(Path path) implements Operand {
        @Override
        public JsonNode evaluate(ObjectNode item) {
            return path.find(item);
        }

        @Override
        public JsonNode evaluateForUpdate(ObjectNode item) {
            JsonNode value = path.find(item);
            if (value == null) {
                throw DynamoDbError.validation(MISSING_ATTRIBUTE);
            }
            return value.deepCopy();
        }
    }

    /** A {@code :value} placeholder's value. */
    record Value(JsonNode value) implements Operand {
        @Override
        public JsonNode evaluate(ObjectNode item) {
            return value;
        }

        @Override
        public JsonNode evaluateForUpdate(ObjectNode item) {
            return value.deepCopy();
        }

        @Override
        public JsonNode constant() {
            return value;
        }
    }

    /** {@code size(operand)}: a string's length, a binary's bytes, a set's, list's or map's number of elements. */
    record Size(Operand argument) implements Operand {
        @Override
        public JsonNode evaluate(ObjectNode item) {
            JsonNode value = argument.evaluate(item);
            if (value == null) {
                return null;
            }
            String type = AttributeValues.typeOf(value);
            JsonNode payload = value.get(type);
            long size = switch (type) {
                // AWS counts a string's UTF-16 code units, which is what String.length() counts.
                case "S" -> payload.textValue().length();
                case "B" -> AttributeValues.decode(payload.textValue()).length;
                case "SS", "NS", "BS", "L", "M" -> payload.size();
                default -> -1;
            };
            return size < 0 ? null : AttributeValues.number(Long.toString(size));
        }

        @Override
        public JsonNode evaluateForUpdate(ObjectNode item) {
            throw new IllegalStateException("size() is refused in updates when parsing");
        }
    }

    /** {@code if_not_exists(path, operand)}: the path's value, or the operand's when the path is missing. */
    record IfNotExists(Path path, Operand fallback) implements Operand {
        @Override
        public JsonNode evaluate(ObjectNode item) {
            JsonNode value = path.find(item);
            return value != null ? value : fallback.evaluate(item);
        }

        @Override
        public JsonNode evaluateForUpdate(ObjectNode item) {
            JsonNode value = path.find(item);
            return value != null ? value.deepCopy() : fallback.evaluateForUpdate(item);
        }
    }

    /** {@code list_append(first, second)}: the elements of two lists, in order. */
    record ListAppend(Operand first, Operand second) implements Operand {
        @Override
        public JsonNode evaluate(ObjectNode item) {
            throw new IllegalStateException("list_append() is refused in conditions when parsing");
        }

        @Override
        public JsonNode evaluateForUpdate(ObjectNode item) {
            JsonNode a = first.evaluateForUpdate(item);
            JsonNode b = second.evaluateForUpdate(item);
            if (!a.has("L") || !b.has("L")) {
                throw DynamoDbError.validation(WRONG_TYPE);
            }
            ArrayNode elements = JsonNodeFactory.instance.arrayNode(a.get("L").size() + b.get("L").size());
            elements.addAll((ArrayNode) a.get("L"));
            elements.addAll((ArrayNode) b.get("L"));
            return AttributeValues.of("L", elements);
        }
    }

    /** {@code left + right} or {@code left - right} on numbers, in SET only. */
    record Arithmetic(Operand left, boolean plus, Operand right) implements Operand {
        @Override
        public JsonNode evaluate(ObjectNode item) {
            throw new IllegalStateException("arithmetic is refused in conditions when parsing");
        }

        @Override
        public JsonNode evaluateForUpdate(ObjectNode item) {
            JsonNode a = left.evaluateForUpdate(item);
            JsonNode b = right.evaluateForUpdate(item);
            if (!a.has("N") || !b.has("N")) {
                throw DynamoDbError.validation(WRONG_TYPE);
            }
            String x = a.get("N").textValue();
            String y = b.get("N").textValue();
            return AttributeValues.number(plus ? Numbers.add(x, y) : Numbers.subtract(x, y));
        }
    }

}
