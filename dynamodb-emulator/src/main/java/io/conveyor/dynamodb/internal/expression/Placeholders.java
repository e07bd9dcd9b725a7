package io.conveyor.dynamodb.internal.expression;

import com.fasterxml.jackson.databind.JsonNode;
import io.conveyor.dynamodb.internal.DynamoDbError;
import io.conveyor.dynamodb.internal.value.AttributeValues;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A request's ExpressionAttributeNames and ExpressionAttributeValues, shared by all its expressions, with the
 * placeholders the expressions used (AWS refuses a request that defines one no expression uses).
 */
final class Placeholders {
    private static final Set<String> RESERVED_WORDS = loadReservedWords();

    private final Map<String, String> names = new HashMap<>();
    private final Map<String, JsonNode> values = new HashMap<>();
    private final Set<String> unusedNames = new LinkedHashSet<>();
    private final Set<String> unusedValues = new LinkedHashSet<>();

    /**
     * Reads the two maps (either may be {@code null}); values are validated and normalised.
     */
    Placeholders(JsonNode namesNode, JsonNode valuesNode) {
        if (namesNode != null) {
            for (Map.Entry<String, JsonNode> entry : namesNode.properties()) {
                checkKey("ExpressionAttributeNames", entry.getKey(), '#');
                if (!entry.getValue().isTextual()) {
                    throw AttributeValues.wrongJsonType(entry.getValue(), "String");
                }
                names.put(entry.getKey(), entry.getValue().textValue());
                unusedNames.add(entry.getKey());
            }
        }
        if (valuesNode != null) {
            for (Map.Entry<String, JsonNode> entry : valuesNode.properties()) {
                checkKey("ExpressionAttributeValues", entry.getKey(), ':');
                JsonNode value;
                try {
                    value = AttributeValues.validate(entry.getValue());
                } catch (DynamoDbError e) {
                    if (!"ValidationException".equals(e.type())) {
                        throw e;
                    }
                    throw DynamoDbError.validation("ExpressionAttributeValues contains invalid value: "
                            + e.getMessage() + " for key " + entry.getKey());
                }
                values.put(entry.getKey(), value);
                unusedValues.add(entry.getKey());
            }
        }
    }

    private static void checkKey(String parameter, String key, char mark) {
        if (!Syntax.isPlaceholder(key, mark)) {
            throw DynamoDbError.validation(parameter + " contains invalid key: Syntax error; key: \"" + key + "\"");
        }
    }

    /** Whether a bare attribute name in an expression is one of DynamoDB's reserved words. */
    static boolean isReserved(String name) {
        return RESERVED_WORDS.contains(name.toUpperCase(Locale.ROOT));
    }

    /** The attribute name a {@code #name} placeholder stands for, or {@code null} when it is not defined. */
    String name(String placeholder) {
        String name = names.get(placeholder);
        if (name != null) {
            unusedNames.remove(placeholder);
        }
        return name;
    }

    /** The value a {@code :value} placeholder stands for, or {@code null} when it is not defined. */
    JsonNode value(String placeholder) {
        JsonNode value = values.get(placeholder);
        if (value != null) {
            unusedValues.remove(placeholder);
        }
        return value;
    }

    /** Refuses the request when it defines placeholders none of its expressions used. */
    void checkAllUsed() {
        if (!unusedNames.isEmpty()) {
            throw DynamoDbError.validation("Value provided in ExpressionAttributeNames unused in expressions: keys: {"
                    + String.join(", ", unusedNames) + "}");
        }
        if (!unusedValues.isEmpty()) {
            throw DynamoDbError.validation("Value provided in ExpressionAttributeValues unused in expressions: keys: {"
                    + String.join(", ", unusedValues) + "}");
        }
    }

    private static Set<String> loadReservedWords() {
        try (InputStream in = Placeholders.class.getResourceAsStream("reserved-words.txt")) {
            String text = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            Set<String> words = new java.util.HashSet<>();
            for (String word : text.split("\\s+")) {
                if (!word.isEmpty()) {
                    words.add(word);
                }
            }
            return Set.copyOf(words);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
