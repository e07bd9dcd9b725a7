package io.conveyor.dynamodb.internal.expression;

import com.fasterxml.jackson.databind.JsonNode;
import io.conveyor.dynamodb.internal.DynamoDbError;
import io.conveyor.dynamodb.internal.expression.ConditionNode.Comparator;
import io.conveyor.dynamodb.internal.expression.SortCondition.Operator;
import io.conveyor.dynamodb.internal.value.AttributeValues;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The parameters DynamoDB kept from before expressions: Expected, QueryFilter and ScanFilter (with
 * ConditionalOperator), KeyConditions and AttributesToGet. They become the same parsed forms as expressions.
 */
final class LegacyParameters {
    static final String INVALID = "One or more parameter values were invalid: ";
    private static final List<String> ORDERABLE = List.of("S", "N", "B");

    private LegacyParameters() {
    }

    /**
     * Expected: per attribute, Value and Exists, or a ComparisonOperator with its AttributeValueList; {@code null}
     * when the map is empty.
     */
    static ConditionNode expected(JsonNode expected, JsonNode conditionalOperator) {
        List<ConditionNode> conditions = new ArrayList<>();
        for (Map.Entry<String, JsonNode> entry : expected.properties()) {
            String attribute = entry.getKey();
            JsonNode spec = entry.getValue();
            if (spec.has("ComparisonOperator")) {
                if (spec.has("Exists")) {
                    throw DynamoDbError.validation(INVALID
                            + "Exists and ComparisonOperator cannot be used together for Attribute: " + attribute);
                }
                if (spec.has("Value") && spec.has("AttributeValueList")) {
                    throw DynamoDbError.validation(INVALID
                            + "Value and AttributeValueList cannot be used together for Attribute: " + attribute);
                }
                List<JsonNode> arguments = spec.has("Value") ? List.of(spec.get("Value")) : arguments(spec);
                conditions.add(comparison(attribute, spec.get("ComparisonOperator").asText(), arguments));
            } else if (spec.has("AttributeValueList")) {
                throw DynamoDbError.validation(INVALID
                        + "AttributeValueList can only be used with a ComparisonOperator for Attribute: " + attribute);
            } else {
                JsonNode exists = spec.get("Exists");
                boolean mustExist = exists == null || exists.asBoolean();
                JsonNode value = spec.get("Value");
                if (mustExist && value == null) {
                    throw DynamoDbError.validation(INVALID + "Value must be provided when Exists is "
                            + (exists == null ? "null" : "true") + " for Attribute: " + attribute);
                }
                if (!mustExist && value != null) {
                    throw DynamoDbError.validation(INVALID
                            + "Value cannot be used when Exists is false for Attribute: " + attribute);
                }
                conditions.add(mustExist
                        ? new ConditionNode.Compare(Comparator.EQ, new Operand.PathOperand(Path.of(attribute)),
                                new Operand.Value(AttributeValues.validate(value)))
                        : new ConditionNode.Exists(Path.of(attribute), false));
            }
        }
        return combine(conditions, conditionalOperator);
    }

    /** QueryFilter or ScanFilter: per attribute, a ComparisonOperator and its AttributeValueList ({@code null} if empty). */
    static ConditionNode filter(JsonNode filter, JsonNode conditionalOperator) {
        List<ConditionNode> conditions = new ArrayList<>();
        for (Map.Entry<String, JsonNode> entry : filter.properties()) {
            JsonNode operator = entry.getValue().get("ComparisonOperator");
            if (operator == null) {
                throw DynamoDbError.validation("1 validation error detected: Value null at 'comparisonOperator' "
                        + "failed to satisfy constraint: Member must not be null");
            }
            conditions.add(comparison(entry.getKey(), operator.asText(), arguments(entry.getValue())));
        }
        return combine(conditions, conditionalOperator);
    }

    /** KeyConditions: EQ on the partition key, and one of EQ, LE, LT, GE, GT, BEGINS_WITH, BETWEEN on the sort key. */
    static KeyCondition keyConditions(JsonNode keyConditions, KeySchema keys) {
        List<KeyConditions.Part> parts = new ArrayList<>();
        for (Map.Entry<String, JsonNode> entry : keyConditions.properties()) {
            String operator = entry.getValue().path("ComparisonOperator").asText();
            List<JsonNode> arguments = arguments(entry.getValue());
            checkArguments(operator, arguments);
            Operator op;
            try {
                op = Operator.valueOf(operator);
            } catch (IllegalArgumentException e) {
                throw DynamoDbError.validation("Attempted conditional constraint is not an indexable operation");
            }
            parts.add(new KeyConditions.Part(entry.getKey(), op, arguments.get(0),
                    arguments.size() > 1 ? arguments.get(1) : null));
        }
        if (parts.size() > 2) {
            throw DynamoDbError.validation("Conditions can be of length 1 or 2 only");
        }
        return KeyConditions.combine(parts, keys);
    }

    /** AttributesToGet: top-level attribute names, each at most once. */
    static Projection attributesToGet(JsonNode names) {
        Set<String> seen = new LinkedHashSet<>();
        for (JsonNode name : names) {
            if (!seen.add(name.asText())) {
                throw DynamoDbError.validation(INVALID + "Duplicate value in attribute name: " + name.asText());
            }
        }
        List<Path> paths = new ArrayList<>();
        seen.forEach(name -> paths.add(Path.of(name)));
        return new PathProjection(paths);
    }

    private static List<JsonNode> arguments(JsonNode spec) {
        List<JsonNode> arguments = new ArrayList<>();
        for (JsonNode value : spec.path("AttributeValueList")) {
            arguments.add(AttributeValues.validate(value));
        }
        return arguments;
    }

    private static ConditionNode comparison(String attribute, String operator, List<JsonNode> arguments) {
        checkArguments(operator, arguments);
        Operand path = new Operand.PathOperand(Path.of(attribute));
        List<Operand> values = new ArrayList<>();
        arguments.forEach(value -> values.add(new Operand.Value(value)));
        return switch (operator) {
            case "EQ", "NE", "LT", "LE", "GT", "GE" ->
                    new ConditionNode.Compare(Comparator.valueOf(operator), path, values.get(0));
            case "NULL" -> new ConditionNode.Exists(Path.of(attribute), false);
            case "NOT_NULL" -> new ConditionNode.Exists(Path.of(attribute), true);
            case "CONTAINS" -> new ConditionNode.Contains(path, values.get(0));
            // NOT_CONTAINS, like CONTAINS, holds only for an attribute that is there.
            case "NOT_CONTAINS" -> new ConditionNode.And(new ConditionNode.Exists(Path.of(attribute), true),
                    new ConditionNode.Not(new ConditionNode.Contains(path, values.get(0))));
            case "BEGINS_WITH" -> new ConditionNode.BeginsWith(path, values.get(0));
            case "IN" -> new ConditionNode.In(path, List.copyOf(values));
            default -> new ConditionNode.Between(path, values.get(0), values.get(1));
        };
    }

    /** The number and the types of a ComparisonOperator's arguments, checked as AWS checks them. */
    private static void checkArguments(String operator, List<JsonNode> arguments) {
        int count = arguments.size();
        boolean countOk = switch (operator) {
            case "EQ", "NE", "LT", "LE", "GT", "GE", "CONTAINS", "NOT_CONTAINS", "BEGINS_WITH" -> count == 1;
            case "NULL", "NOT_NULL" -> count == 0;
            case "IN" -> count > 0;
            case "BETWEEN" -> count == 2;
            default -> throw DynamoDbError.validation("1 validation error detected: Value '" + operator
                    + "' at 'comparisonOperator' failed to satisfy constraint: Member must satisfy enum value set: "
                    + "[EQ, NE, IN, LE, LT, GE, GT, BETWEEN, NOT_NULL, NULL, CONTAINS, NOT_CONTAINS, BEGINS_WITH]");
        };
        if (!countOk) {
            throw DynamoDbError.validation(INVALID + "Invalid number of argument(s) for the " + operator
                    + " ComparisonOperator");
        }
        List<String> accepted = switch (operator) {
            case "EQ", "NE" -> null;
            case "BEGINS_WITH" -> List.of("S", "B");
            default -> ORDERABLE;
        };
        for (JsonNode argument : arguments) {
            String type = AttributeValues.typeOf(argument);
            if (accepted != null && !accepted.contains(type)) {
                throw DynamoDbError.validation(INVALID + "ComparisonOperator " + operator + " is not valid for "
                        + type + " AttributeValue type");
            }
        }
        if (operator.equals("BETWEEN") || operator.equals("IN")) {
            String type = AttributeValues.typeOf(arguments.get(0));
            for (JsonNode argument : arguments) {
                if (!type.equals(AttributeValues.typeOf(argument))) {
                    throw DynamoDbError.validation(INVALID + "AttributeValues inside AttributeValueList must be of "
                            + "same type");
                }
            }
        }
        if (operator.equals("BETWEEN")) {
            JsonNode low = arguments.get(0);
            JsonNode high = arguments.get(1);
            if (AttributeValues.compare(low, high) > 0) {
                throw DynamoDbError.validation(INVALID + "The BETWEEN condition was provided a range where the lower "
                        + "bound is greater than the upper bound");
            }
        }
    }

    /** The conditions joined by AND or OR; {@code null} for none (an empty map constrains nothing). */
    private static ConditionNode combine(List<ConditionNode> conditions, JsonNode conditionalOperator) {
        boolean or = false;
        if (conditionalOperator != null) {
            String text = conditionalOperator.asText();
            if (!text.equals("AND") && !text.equals("OR")) {
                throw DynamoDbError.validation("1 validation error detected: Value '" + text + "' at "
                        + "'conditionalOperator' failed to satisfy constraint: Member must satisfy enum value set: "
                        + "[AND, OR]");
            }
            or = text.equals("OR");
        }
        ConditionNode combined = null;
        for (ConditionNode condition : conditions) {
            combined = combined == null ? condition
                    : or ? new ConditionNode.Or(combined, condition) : new ConditionNode.And(combined, condition);
        }
        return combined;
    }
}
