package io.conveyor.dynamodb.internal.expression;

import com.fasterxml.jackson.databind.JsonNode;
import io.conveyor.dynamodb.internal.DynamoDbError;
import io.conveyor.dynamodb.internal.expression.ConditionNode.Comparator;
import io.conveyor.dynamodb.internal.expression.SortCondition.Operator;
import io.conveyor.dynamodb.internal.value.AttributeValues;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Turns a parsed KeyConditionExpression (or legacy KeyConditions) into a {@link KeyCondition}: equality on the
 * partition key and at most one condition on the sort key, with AWS's messages for everything else.
 */
final class KeyConditions {
    private static final String LABEL = "KeyConditionExpression";

    /** One condition on one key attribute. */
    record Part(String attribute, Operator op, JsonNode low, JsonNode high) {
    }

    private KeyConditions() {
    }

    /** The key condition of a parsed KeyConditionExpression. */
    static KeyCondition fromExpression(ConditionNode condition, KeySchema keys) {
        List<ConditionNode> leaves = new ArrayList<>();
        flatten(condition, leaves);
        if (leaves.size() > 2) {
            throw Syntax.invalid(LABEL, "Conditions can be of length 1 or 2 only");
        }
        List<Part> parts = new ArrayList<>();
        for (ConditionNode leaf : leaves) {
            parts.add(part(leaf));
        }
        return combine(parts, keys);
    }

    /** Checks the parts against the key schema and builds the key condition. */
    static KeyCondition combine(List<Part> parts, KeySchema keys) {
        if (parts.size() == 2 && parts.get(0).attribute().equals(parts.get(1).attribute())) {
            throw Syntax.invalid(LABEL, "KeyConditionExpressions must only contain one condition per key");
        }
        Part hash = null;
        Part sort = null;
        for (Part part : parts) {
            if (part.attribute().equals(keys.hashKey())) {
                hash = part;
            } else if (part.attribute().equals(keys.rangeKey())) {
                sort = part;
            } else {
                String missed = hash == null && (parts.size() == 1 || parts.indexOf(part) == 0
                        && !parts.get(1).attribute().equals(keys.hashKey()))
                        ? keys.hashKey() : keys.rangeKey() != null ? keys.rangeKey() : keys.hashKey();
                throw DynamoDbError.validation("Query condition missed key schema element: " + missed);
            }
        }
        if (hash == null) {
            throw DynamoDbError.validation("Query condition missed key schema element: " + keys.hashKey());
        }
        if (hash.op() != Operator.EQ) {
            throw DynamoDbError.validation("Query key condition not supported");
        }
        checkType(hash, keys.hashType());
        if (sort != null) {
            checkType(sort, keys.rangeType());
            if (sort.op() == Operator.BEGINS_WITH && sort.low().has("N")) {
                throw Syntax.invalid(LABEL, "Incorrect operand type for operator or function; operator or function: "
                        + "begins_with, operand type: N");
            }
        }
        Optional<SortCondition> sortCondition = sort == null ? Optional.empty()
                : Optional.of(new SortCondition(sort.attribute(), sort.op(), sort.low(), sort.high()));
        return new KeyCondition(hash.attribute(), hash.low(), sortCondition);
    }

    private static void checkType(Part part, String type) {
        if (type == null) {
            return;
        }
        if (!part.low().has(type) || part.high() != null && !part.high().has(type)) {
            throw DynamoDbError.validation(
                    "One or more parameter values were invalid: Condition parameter type does not match schema type");
        }
    }

    private static void flatten(ConditionNode condition, List<ConditionNode> leaves) {
        if (condition instanceof ConditionNode.And and) {
            flatten(and.left(), leaves);
            flatten(and.right(), leaves);
        } else {
            leaves.add(condition);
        }
    }

    private static Part part(ConditionNode leaf) {
        if (leaf instanceof ConditionNode.Compare compare) {
            if (compare.comparator() == Comparator.NE) {
                throw unsupported("<>");
            }
            boolean reversed = !(compare.left() instanceof Operand.PathOperand);
            Operand keySide = reversed ? compare.right() : compare.left();
            Operand valueSide = reversed ? compare.left() : compare.right();
            String attribute = attribute(keySide, valueSide, compare.comparator().symbol);
            return new Part(attribute, operator(compare.comparator(), reversed), valueSide.constant(), null);
        }
        if (leaf instanceof ConditionNode.Between between) {
            String attribute = attribute(between.operand(), between.low(), "BETWEEN");
            if (between.high().constant() == null) {
                throw multipleNames();
            }
            return new Part(attribute, Operator.BETWEEN, between.low().constant(), between.high().constant());
        }
        if (leaf instanceof ConditionNode.BeginsWith beginsWith) {
            String attribute = attribute(beginsWith.operand(), beginsWith.prefix(), "begins_with");
            return new Part(attribute, Operator.BEGINS_WITH, beginsWith.prefix().constant(), null);
        }
        throw unsupported(operatorName(leaf));
    }

    private static String operatorName(ConditionNode leaf) {
        if (leaf instanceof ConditionNode.Or) {
            return "OR";
        }
        if (leaf instanceof ConditionNode.Not) {
            return "NOT";
        }
        if (leaf instanceof ConditionNode.In) {
            return "IN";
        }
        if (leaf instanceof ConditionNode.Exists exists) {
            return exists.expected() ? "attribute_exists" : "attribute_not_exists";
        }
        return leaf instanceof ConditionNode.AttributeType ? "attribute_type" : "contains";
    }

    /** The key attribute a condition is on: one top-level path compared with one value. */
    private static String attribute(Operand keySide, Operand valueSide, String operator) {
        if (keySide instanceof Operand.Size) {
            throw unsupported("size");
        }
        if (!(keySide instanceof Operand.PathOperand path)) {
            throw Syntax.invalid(LABEL, "Invalid condition in KeyConditionExpression: No attribute name used in one "
                    + "condition; operator: " + operator);
        }
        if (!(valueSide instanceof Operand.Value)) {
            throw multipleNames();
        }
        if (!path.path().isTopLevel()) {
            throw Syntax.invalid(LABEL, "KeyConditionExpressions cannot have conditions on nested attributes");
        }
        return path.path().root();
    }

    private static Operator operator(Comparator comparator, boolean reversed) {
        return switch (comparator) {
            case EQ -> Operator.EQ;
            case LT -> reversed ? Operator.GT : Operator.LT;
            case LE -> reversed ? Operator.GE : Operator.LE;
            case GT -> reversed ? Operator.LT : Operator.GT;
            case GE -> reversed ? Operator.LE : Operator.GE;
            case NE -> throw unsupported("<>");
        };
    }

    private static DynamoDbError multipleNames() {
        return Syntax.invalid(LABEL, "Invalid condition in KeyConditionExpression: Multiple attribute names used in "
                + "one condition");
    }

    private static DynamoDbError unsupported(String operator) {
        return Syntax.invalid(LABEL, "Invalid operator used in KeyConditionExpression: " + operator);
    }

    /** Whether a sort key value satisfies a sort condition. */
    static boolean matches(SortCondition condition, JsonNode value) {
        if (value == null || !value.has(AttributeValues.typeOf(condition.low()))) {
            return false;
        }
        return switch (condition.op()) {
            case EQ -> AttributeValues.compare(value, condition.low()) == 0;
            case LT -> AttributeValues.compare(value, condition.low()) < 0;
            case LE -> AttributeValues.compare(value, condition.low()) <= 0;
            case GT -> AttributeValues.compare(value, condition.low()) > 0;
            case GE -> AttributeValues.compare(value, condition.low()) >= 0;
            case BETWEEN -> AttributeValues.compare(value, condition.low()) >= 0
                    && AttributeValues.compare(value, condition.high()) <= 0;
            case BEGINS_WITH -> new ConditionNode.BeginsWith(new Operand.Value(value),
                    new Operand.Value(condition.low())).test(null);
        };
    }
}
