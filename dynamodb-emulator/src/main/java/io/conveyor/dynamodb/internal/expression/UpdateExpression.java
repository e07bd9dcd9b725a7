package io.conveyor.dynamodb.internal.expression;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conveyor.dynamodb.internal.DynamoDbError;
import io.conveyor.dynamodb.internal.value.AttributeValues;
import io.conveyor.dynamodb.internal.value.Numbers;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * A parsed UpdateExpression. As on AWS, every SET value is computed from the item as it was before the update;
 * then SET, ADD and DELETE actions apply, and REMOVE last (list elements from the highest index down, so that each
 * index means what it meant in the original item). Paths never overlap (the parser refuses that), so reordering
 * the writes changes nothing but the order of elements appended to a list.
 */
final class UpdateExpression extends TargetedUpdate {
    private record SetAction(Path path, Operand value) {
    }

    private record SetChange(Path path, JsonNode value, boolean add) {
    }

    private final List<SetAction> sets;
    /** Indexes into {@link #sets} in the order to write them: list elements by ascending index. */
    private final int[] writeOrder;
    private final List<SetChange> setChanges;
    private final List<Path> removes;

    private UpdateExpression(Builder builder) {
        super(builder.targets());
        this.sets = List.copyOf(builder.sets);
        // AWS appends elements set past the end of a list in index order, whatever order the expression gives.
        this.writeOrder = sets.size() < 2 ? new int[sets.size()] : IntStream.range(0, sets.size()).boxed()
                .sorted((i, j) -> PATH_ORDER.compare(sets.get(i).path(), sets.get(j).path()))
                .mapToInt(Integer::intValue).toArray();
        this.setChanges = List.copyOf(builder.setChanges);
        List<Path> ordered = new ArrayList<>(builder.removes);
        ordered.sort(PATH_ORDER.reversed());
        this.removes = List.copyOf(ordered);
    }

    @Override
    public ObjectNode apply(ObjectNode item) {
        List<JsonNode> values = new ArrayList<>(sets.size());
        for (SetAction set : sets) {
            values.add(set.value().evaluateForUpdate(item));
        }
        for (int i : writeOrder) {
            Documents.set(item, sets.get(i).path(), values.get(i));
        }
        for (SetChange change : setChanges) {
            JsonNode current = Documents.existing(item, change.path());
            JsonNode result = change.add() ? add(current, change.value()) : delete(current, change.value());
            if (result == null) {
                Documents.remove(item, change.path());
            } else if (result != current) {
                Documents.set(item, change.path(), result);
            }
        }
        for (Path path : removes) {
            Documents.remove(item, path);
        }
        return item;
    }

    @Override
    public boolean createsMissingItem() {
        return !sets.isEmpty() || setChanges.stream().anyMatch(SetChange::add);
    }

    /** ADD: a number to a number, a set's members to a set of the same type; a missing attribute takes the value. */
    static JsonNode add(JsonNode current, JsonNode value) {
        if (current == null) {
            return value.deepCopy();
        }
        String type = AttributeValues.typeOf(value);
        if (!current.has(type)) {
            throw DynamoDbError.validation(Operand.WRONG_TYPE);
        }
        if (type.equals("N")) {
            return AttributeValues.number(Numbers.add(current.get("N").textValue(), value.get("N").textValue()));
        }
        return AttributeValues.of(type, union(type, current.get(type), value.get(type)));
    }

    /** DELETE: removes a set's members from a set of the same type; an emptied set disappears. */
    static JsonNode delete(JsonNode current, JsonNode value) {
        if (current == null) {
            return null;
        }
        String type = AttributeValues.typeOf(value);
        if (!current.has(type)) {
            throw DynamoDbError.validation(Operand.WRONG_TYPE);
        }
        ArrayNode remaining = JsonNodeFactory.instance.arrayNode();
        for (JsonNode member : current.get(type)) {
            if (!AttributeValues.setContains(type, value.get(type), member)) {
                remaining.add(member);
            }
        }
        return remaining.isEmpty() ? null : AttributeValues.of(type, remaining);
    }

    /** The members of both sets, each once (numbers compared by value), in the order they first appear. */
    static ArrayNode union(String type, JsonNode current, JsonNode added) {
        Map<Object, JsonNode> members = new LinkedHashMap<>();
        for (JsonNode member : current) {
            members.putIfAbsent(AttributeValues.memberKey(type, member.textValue()), member);
        }
        for (JsonNode member : added) {
            members.putIfAbsent(AttributeValues.memberKey(type, member.textValue()), member);
        }
        ArrayNode union = JsonNodeFactory.instance.arrayNode(members.size());
        members.values().forEach(union::add);
        return union;
    }

    /**
     * A total order of paths in which the elements of one list come by ascending index (SET writes in this order;
     * REMOVE in the reverse, so each index means what it meant in the original item).
     */
    private static final Comparator<Path> PATH_ORDER = (a, b) -> {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            Object x = a.get(i);
            Object y = b.get(i);
            int order;
            if (x instanceof Integer m && y instanceof Integer n) {
                order = Integer.compare(m, n);
            } else if (x instanceof String m && y instanceof String n) {
                order = m.compareTo(n);
            } else {
                order = x instanceof String ? -1 : 1;
            }
            if (order != 0) {
                return order;
            }
        }
        return Integer.compare(a.size(), b.size());
    };

    /** Collects the actions of an expression while it is parsed. */
    static final class Builder {
        private final List<SetAction> sets = new ArrayList<>();
        private final List<SetChange> setChanges = new ArrayList<>();
        private final List<Path> removes = new ArrayList<>();
        private final List<Path> targets = new ArrayList<>();

        void set(Path path, Operand value) {
            sets.add(new SetAction(path, value));
            targets.add(path);
        }

        void remove(Path path) {
            removes.add(path);
            targets.add(path);
        }

        void addOrDelete(String section, Path path, JsonNode value) {
            setChanges.add(new SetChange(path, value, section.equals("ADD")));
            targets.add(path);
        }

        List<Path> targets() {
            return List.copyOf(targets);
        }

        UpdateExpression build() {
            return new UpdateExpression(this);
        }
    }
}
