package io.conveyor.dynamodb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Gives every table of one corpus case a unique prefix, in the positions the corpus README names: values of
 * {@code TableName}, {@code ExclusiveStartTableName}, {@code LastEvaluatedTableName}, elements of
 * {@code TableNames}, keys of {@code RequestItems}, {@code Responses}, {@code UnprocessedItems},
 * {@code UnprocessedKeys}, and whole-word occurrences in expected error messages.
 */
final class CorpusTableNames {
    private static final Set<String> NAME_KEYS = Set.of("TableName", "ExclusiveStartTableName", "LastEvaluatedTableName");
    private static final Set<String> MAP_KEYS = Set.of("RequestItems", "Responses", "UnprocessedItems", "UnprocessedKeys");

    private final String prefix;
    private final Map<String, String> names = new LinkedHashMap<>();

    /** {@code prefix} null: names stay literal. */
    CorpusTableNames(String prefix) {
        this.prefix = prefix;
    }

    String add(String name) {
        if (prefix != null) {
            names.putIfAbsent(name, prefix + name);
        }
        return map(name);
    }

    String map(String name) {
        return names.getOrDefault(name, name);
    }

    /** Registers every table name found in a request. */
    void collect(JsonNode node) {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                String k = f.getKey();
                JsonNode v = f.getValue();
                if (NAME_KEYS.contains(k) && v.isTextual()) {
                    add(v.asText());
                } else if (MAP_KEYS.contains(k) && v.isObject()) {
                    v.fieldNames().forEachRemaining(this::add);
                    v.forEach(this::collect);
                } else if (k.equals("TableNames") && v.isArray()) {
                    v.forEach(n -> add(n.asText()));
                } else if (!CorpusComparison.ITEM_KEYS.contains(k) && !k.equals("ExpressionAttributeValues")) {
                    collect(v);
                }
            }
        } else if (node.isArray()) {
            node.forEach(this::collect);
        }
    }

    /** A copy of a request or expected answer with table names mapped. */
    JsonNode apply(JsonNode node) {
        if (node.isObject()) {
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                String k = f.getKey();
                JsonNode v = f.getValue();
                if (NAME_KEYS.contains(k) && v.isTextual()) {
                    out.put(k, map(v.asText()));
                } else if (MAP_KEYS.contains(k) && v.isObject()) {
                    ObjectNode m = out.putObject(k);
                    v.fields().forEachRemaining(t -> m.set(map(t.getKey()), apply(t.getValue())));
                } else if (k.equals("TableNames") && v.isArray()) {
                    ArrayNode a = out.putArray(k);
                    v.forEach(n -> a.add(n.isTextual() ? JsonNodeFactory.instance.textNode(map(n.asText())) : n));
                } else if (CorpusComparison.ITEM_KEYS.contains(k) || CorpusComparison.ITEM_LIST_KEYS.contains(k)
                        || k.equals("ExpressionAttributeValues")) {
                    out.set(k, v);
                } else {
                    out.set(k, apply(v));
                }
            }
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            node.forEach(n -> out.add(apply(n)));
            return out;
        }
        return node;
    }

    /** An expected error message with table names mapped where they stand as whole words. */
    String text(String s) {
        String out = s;
        for (String orig : names.keySet().stream().sorted(Comparator.comparingInt(String::length).reversed()).toList()) {
            Pattern p = Pattern.compile("(?<![A-Za-z0-9_.\\-])" + Pattern.quote(orig) + "(?![A-Za-z0-9_.\\-])");
            out = p.matcher(out).replaceAll(Matcher.quoteReplacement(names.get(orig)));
        }
        return out;
    }
}
