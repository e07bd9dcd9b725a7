package io.conveyor.dynamodb.internal.expression;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conveyor.dynamodb.internal.value.AttributeValues;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Projects an item onto document paths: the result holds only what the paths reach, nested as in the item (a list
 * keeps the selected elements in index order). Paths that reach nothing leave nothing, not even empty containers.
 */
final class PathProjection implements Projection {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** A tree of the requested paths: a leaf takes the whole value; inner nodes select map keys or list indexes. */
    private static final class Node {
        final Map<String, Node> names = new LinkedHashMap<>();
        final TreeMap<Integer, Node> indexes = new TreeMap<>();
        boolean whole;
    }

    private final Node root = new Node();

    /** The paths must not overlap (the parser checks that). */
    PathProjection(List<Path> paths) {
        for (Path path : paths) {
            Node node = root;
            for (Object element : path.elements()) {
                node = element instanceof String name
                        ? node.names.computeIfAbsent(name, n -> new Node())
                        : node.indexes.computeIfAbsent((Integer) element, i -> new Node());
            }
            node.whole = true;
        }
    }

    @Override
    public ObjectNode project(ObjectNode item) {
        ObjectNode result = NODES.objectNode();
        for (Map.Entry<String, Node> entry : root.names.entrySet()) {
            JsonNode projected = project(item.get(entry.getKey()), entry.getValue());
            if (projected != null) {
                result.set(entry.getKey(), projected);
            }
        }
        return result;
    }

    private static JsonNode project(JsonNode value, Node node) {
        if (value == null || node.whole) {
            return value == null ? null : value.deepCopy();
        }
        if (!node.names.isEmpty() && value.get("M") instanceof ObjectNode map) {
            ObjectNode selected = NODES.objectNode();
            for (Map.Entry<String, Node> entry : node.names.entrySet()) {
                JsonNode projected = project(map.get(entry.getKey()), entry.getValue());
                if (projected != null) {
                    selected.set(entry.getKey(), projected);
                }
            }
            return selected.isEmpty() ? null : AttributeValues.of("M", selected);
        }
        if (!node.indexes.isEmpty() && value.get("L") instanceof ArrayNode list) {
            ArrayNode selected = NODES.arrayNode();
            for (Map.Entry<Integer, Node> entry : node.indexes.entrySet()) {
                JsonNode projected = project(list.get(entry.getKey()), entry.getValue());
                if (projected != null) {
                    selected.add(projected);
                }
            }
            return selected.isEmpty() ? null : AttributeValues.of("L", selected);
        }
        return null;
    }
}
