package io.conveyor.dynamodb.internal.expression;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conveyor.dynamodb.internal.value.AttributeValues;
import java.util.Arrays;
import java.util.List;

/**
 * The parsed form of conditions and filters (expressions and their legacy twins alike). An operand that refers to
 * something the item lacks makes a comparison false, as does comparing values of different types.
 */
sealed interface ConditionNode extends Condition {

    /** The six comparators, with the text AWS shows in messages. */
    enum Comparator {
        EQ("="), NE("<>"), LT("<"), LE("<="), GT(">"), GE(">=");

        final String symbol;

        Comparator(String symbol) {
            this.symbol = symbol;
        }

        boolean holds(int comparison) {
            return switch (this) {
                case EQ -> comparison == 0;
                case NE -> comparison != 0;
                case LT -> comparison < 0;
                case LE -> comparison <= 0;
                case GT -> comparison > 0;
                case GE -> comparison >= 0;
            };
        }
    }

    record And(ConditionNode left, ConditionNode right) implements ConditionNode {
        @Override
        public boolean test(ObjectNode item) {
            return left.test(item) && right.test(item);
        }
    }

    record Or(ConditionNode left, ConditionNode right) implements ConditionNode {
        @Override
        public boolean test(ObjectNode item) {
            return left.test(item) || right.test(item);
        }
    }

    record Not(ConditionNode operand) implements ConditionNode {
        @Override
        public boolean test(ObjectNode item) {
            return !operand.test(item);
        }
    }

    /**
     * {@code a = b} holds for two present equal values; {@code <>} is its negation (true when either is missing);
     * the orderings hold only between two present numbers, strings or binaries of one type.
     */
    record Compare(Comparator comparator, Operand left, Operand right) implements ConditionNode {
        @Override
        public boolean test(ObjectNode item) {
            JsonNode a = left.evaluate(item);
            JsonNode b = right.evaluate(item);
            if (comparator == Comparator.EQ || comparator == Comparator.NE) {
                boolean equal = a != null && b != null && AttributeValues.equals(a, b);
                return equal == (comparator == Comparator.EQ);
            }
            return ordered(a, b) && comparator.holds(AttributeValues.compare(a, b));
        }
    }

    record Between(Operand operand, Operand low, Operand high) implements ConditionNode {
        @Override
        public boolean test(ObjectNode item) {
            JsonNode value = operand.evaluate(item);
            JsonNode from = low.evaluate(item);
            JsonNode to = high.evaluate(item);
            return ordered(value, from) && ordered(value, to)
                    && AttributeValues.compare(from, value) <= 0 && AttributeValues.compare(value, to) <= 0;
        }
    }

    record In(Operand operand, List<Operand> candidates) implements ConditionNode {
        @Override
        public boolean test(ObjectNode item) {
            JsonNode value = operand.evaluate(item);
            if (value == null) {
                return false;
            }
            for (Operand candidate : candidates) {
                JsonNode other = candidate.evaluate(item);
                if (other != null && AttributeValues.equals(value, other)) {
                    return true;
                }
            }
            return false;
        }
    }

    /** {@code attribute_exists(path)} when {@code expected}, {@code attribute_not_exists(path)} otherwise. */
    record Exists(Path path, boolean expected) implements ConditionNode {
        @Override
        public boolean test(ObjectNode item) {
            return (path.find(item) != null) == expected;
        }
    }

    /** {@code attribute_type(operand, :type)}: AWS accepts any operand first, though it documents a path. */
    record AttributeType(Operand operand, Operand type) implements ConditionNode {
        @Override
        public boolean test(ObjectNode item) {
            JsonNode value = operand.evaluate(item);
            JsonNode expected = type.evaluate(item);
            return value != null && expected != null && expected.has("S")
                    && expected.get("S").textValue().equals(AttributeValues.typeOf(value));
        }
    }

    /** {@code begins_with(a, b)}: a string or binary that starts with another of its type. */
    record BeginsWith(Operand operand, Operand prefix) implements ConditionNode {
        @Override
        public boolean test(ObjectNode item) {
            JsonNode value = operand.evaluate(item);
            JsonNode start = prefix.evaluate(item);
            if (value == null || start == null) {
                return false;
            }
            if (value.has("S") && start.has("S")) {
                return value.get("S").textValue().startsWith(start.get("S").textValue());
            }
            if (value.has("B") && start.has("B")) {
                byte[] bytes = AttributeValues.bytes(value);
                byte[] head = AttributeValues.bytes(start);
                return bytes.length >= head.length && Arrays.equals(bytes, 0, head.length, head, 0, head.length);
            }
            return false;
        }
    }

    /**
     * {@code contains(a, b)}: a substring of a string, a byte sequence within a binary, a member of a set (of the
     * member's type) or an element of a list (any type, compared whole).
     */
    record Contains(Operand operand, Operand member) implements ConditionNode {
        @Override
        public boolean test(ObjectNode item) {
            JsonNode value = operand.evaluate(item);
            JsonNode wanted = member.evaluate(item);
            if (value == null || wanted == null) {
                return false;
            }
            String type = AttributeValues.typeOf(value);
            String wantedType = AttributeValues.typeOf(wanted);
            switch (type) {
                case "S":
                    return wantedType.equals("S") && value.get("S").textValue().contains(wanted.get("S").textValue());
                case "B":
                    return wantedType.equals("B")
                            && indexOf(AttributeValues.bytes(value), AttributeValues.bytes(wanted)) >= 0;
                case "SS":
                case "NS":
                case "BS":
                    return type.charAt(0) == wantedType.charAt(0) && wantedType.length() == 1
                            && AttributeValues.setContains(type, value.get(type), wanted.get(wantedType));
                case "L":
                    for (JsonNode element : value.get("L")) {
                        if (AttributeValues.equals(element, wanted)) {
                            return true;
                        }
                    }
                    return false;
                default:
                    return false;
            }
        }

        private static int indexOf(byte[] haystack, byte[] needle) {
            outer:
            for (int i = 0; i + needle.length <= haystack.length; i++) {
                for (int j = 0; j < needle.length; j++) {
                    if (haystack[i + j] != needle[j]) {
                        continue outer;
                    }
                }
                return i;
            }
            return -1;
        }
    }

    /** Whether two values can be ordered: both present, of one type, and that type a number, string or binary. */
    private static boolean ordered(JsonNode a, JsonNode b) {
        if (a == null || b == null) {
            return false;
        }
        String type = AttributeValues.typeOf(a);
        return (type.equals("N") || type.equals("S") || type.equals("B")) && b.has(type);
    }
}
