package io.conveyor.dynamodb.internal.expression;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * A document path: attribute names (String) and list indexes (Integer), the first always a name. Placeholders are
 * already resolved.
 */
record Path(List<Object> elements) {
    Path {
        elements = List.copyOf(elements);
    }

    /** A path of one top-level attribute. */
    static Path of(String attribute) {
        return new Path(List.of(attribute));
    }

    String root() {
        return (String) elements.get(0);
    }

    int size() {
        return elements.size();
    }

    Object get(int i) {
        return elements.get(i);
    }

    boolean isTopLevel() {
        return elements.size() == 1;
    }

    /** The value at this path in an item, or {@code null} when the item or any step of the path is missing. */
    JsonNode find(ObjectNode item) {
        if (item == null) {
            return null;
        }
        JsonNode value = item.get(root());
        for (int i = 1; i < elements.size() && value != null; i++) {
            value = step(value, elements.get(i));
        }
        return value;
    }

    /** One step into a wire value: a key of an M, or an index of an L; {@code null} when there is none. */
    static JsonNode step(JsonNode value, Object element) {
        if (element instanceof String name) {
            JsonNode map = value.get("M");
            return map == null ? null : map.get(name);
        }
        JsonNode list = value.get("L");
        return list == null ? null : list.get((Integer) element);
    }

    /** As AWS prints paths in messages: {@code [a, b, [1]]}. */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("[");
        for (int i = 0; i < elements.size(); i++) {
            if (i > 0) {
                text.append(", ");
            }
            Object element = elements.get(i);
            text.append(element instanceof Integer ? "[" + element + "]" : element);
        }
        return text.append(']').toString();
    }

    /**
     * Checks two paths of one expression: AWS refuses one that is a prefix of the other (overlap) and two that
     * reach one place once by name and once by index (conflict).
     */
    static void checkDistinct(Path one, Path two, String label) {
        int common = Math.min(one.size(), two.size());
        for (int i = 0; i < common; i++) {
            Object a = one.get(i);
            Object b = two.get(i);
            if (a.getClass() != b.getClass()) {
                throw Syntax.invalid(label, "Two document paths conflict with each other; must remove or rewrite one "
                        + "of these paths; path one: " + one + ", path two: " + two);
            }
            if (!a.equals(b)) {
                return;
            }
        }
        throw Syntax.invalid(label, "Two document paths overlap with each other; must remove or rewrite one of these "
                + "paths; path one: " + one + ", path two: " + two);
    }

    /** Checks every pair of paths with {@link #checkDistinct}. */
    static void checkAllDistinct(List<Path> paths, String label) {
        for (int i = 1; i < paths.size(); i++) {
            for (int j = 0; j < i; j++) {
                checkDistinct(paths.get(j), paths.get(i), label);
            }
        }
    }
}
