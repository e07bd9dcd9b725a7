package io.conveyor.program;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The parameters a program declares, as a JSON Schema (draft 2020-12) of the subset a form can be drawn from: an
 * object whose properties are each a string, integer, number or boolean, with {@code description}, {@code default},
 * {@code enum}, {@code minimum}/{@code maximum} (and their exclusive forms), {@code minLength}/{@code maxLength} and
 * {@code pattern}; {@code required} names those a job must give, and {@code additionalProperties: false} refuses any
 * other. Parameters reach programs as text ({@code JobInputs.parameters()}), so a job's values are read as the type
 * their property declares before they are checked: {@code "5"} and {@code 5} are the same integer.
 *
 * <p>The subset is small enough to check here, keyword by keyword as JSON Schema defines them (lengths in code points,
 * patterns found anywhere in the value); a schema library would add more than half a megabyte to the Lambda jar, over
 * its budget (functions/pom.xml), for keywords a form cannot draw.
 *
 * <p>Immutable and thread-safe.
 */
public final class ParameterSchema {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final Set<String> TOP_LEVEL = Set.of("$schema", "type", "title", "description", "properties",
            "required", "additionalProperties");
    private static final Set<String> PROPERTY = Set.of("type", "title", "description", "default", "enum", "minimum",
            "maximum", "exclusiveMinimum", "exclusiveMaximum", "minLength", "maxLength", "pattern");
    private static final Set<String> TYPES = Set.of("string", "integer", "number", "boolean");
    private static final Pattern INTEGER = Pattern.compile("[+-]?\\d{1,30}");

    private final ObjectNode declared;
    private final JsonNode properties;
    private final Map<String, Pattern> patterns;

    private ParameterSchema(ObjectNode declared, Map<String, Pattern> patterns) {
        this.declared = declared;
        this.properties = declared.path("properties");
        this.patterns = Map.copyOf(patterns);
    }

    /**
     * Reads a program's declared schema.
     *
     * @throws IllegalArgumentException saying what in {@code declared} is outside the subset, or which default does
     *                                  not satisfy its own property
     */
    public static ParameterSchema of(JsonNode declared) {
        if (declared == null || !declared.isObject() || !"object".equals(declared.path("type").asText())) {
            throw new IllegalArgumentException("\"parameters\" must be a JSON Schema object such as {\"type\": \"object\", "
                    + "\"properties\": {\"top\": {\"type\": \"integer\", \"minimum\": 1, \"default\": 10}}}");
        }
        onlyKeys(declared, TOP_LEVEL, "\"parameters\"");
        JsonNode properties = declared.path("properties");
        if (!properties.isMissingNode() && !properties.isObject()) {
            throw new IllegalArgumentException("\"parameters\".properties must be an object of parameter names to schemas");
        }
        Map<String, Pattern> patterns = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = properties.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> property = it.next();
            String where = "parameter '" + property.getKey() + "'";
            JsonNode p = property.getValue();
            if (!p.isObject() || !TYPES.contains(p.path("type").asText())) {
                throw new IllegalArgumentException(where + " needs \"type\": one of " + TYPES);
            }
            onlyKeys(p, PROPERTY, where);
            for (String bound : List.of("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "minLength", "maxLength")) {
                if (p.has(bound) && !p.get(bound).isNumber()) {
                    throw new IllegalArgumentException(where + ": \"" + bound + "\" must be a number");
                }
            }
            if (p.has("enum") && (!p.get("enum").isArray() || p.get("enum").isEmpty())) {
                throw new IllegalArgumentException(where + ": \"enum\" must be a non-empty array of the values allowed");
            }
            if (p.has("pattern")) {
                try {
                    patterns.put(property.getKey(), Pattern.compile(p.get("pattern").asText()));
                } catch (PatternSyntaxException e) {
                    throw new IllegalArgumentException(where + ": \"pattern\" is not a regular expression: " + e.getDescription());
                }
            }
        }
        ParameterSchema schema = new ParameterSchema(declared.deepCopy(), patterns);
        for (Iterator<Map.Entry<String, JsonNode>> it = properties.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> property = it.next();
            if (property.getValue().has("default")) {
                schema.problem(property.getKey(), property.getValue().get("default")).ifPresent(problem -> {
                    throw new IllegalArgumentException("parameter '" + property.getKey() + "': its default "
                            + property.getValue().get("default") + " does not satisfy it: " + problem);
                });
            }
        }
        JsonNode required = declared.path("required");
        if (!required.isMissingNode()) {
            if (!required.isArray()) {
                throw new IllegalArgumentException("\"parameters\".required must be an array of parameter names");
            }
            for (JsonNode name : required) {
                if (!properties.has(name.asText())) {
                    throw new IllegalArgumentException("\"parameters\".required names '" + name.asText()
                            + "', which is not among its properties");
                }
            }
        }
        JsonNode additional = declared.path("additionalProperties");
        if (!additional.isMissingNode() && !additional.isBoolean()) {
            throw new IllegalArgumentException("\"parameters\".additionalProperties must be true or false");
        }
        return schema;
    }

    /** The schema as the program declared it, for clients that draw a form from it. */
    public JsonNode declared() {
        return declared.deepCopy();
    }

    /**
     * What is wrong with a job's {@code parameters}, one sentence per problem naming the parameter: first each required
     * one missing, then each given one at fault, in the order given; empty when nothing is.
     */
    public List<String> problems(Map<String, String> parameters) {
        List<String> problems = new ArrayList<>();
        for (JsonNode name : declared.path("required")) {
            if (!parameters.containsKey(name.asText())) {
                problems.add("Parameter '" + name.asText() + "' is required" + described(properties.path(name.asText())) + ".");
            }
        }
        boolean othersAllowed = declared.path("additionalProperties").asBoolean(true);
        parameters.forEach((name, text) -> {
            if (properties.has(name)) {
                problem(name, typed(text, properties.get(name).path("type").asText()))
                        .ifPresent(problem -> problems.add("Parameter '" + name + "' " + problem + "; got '" + text + "'."));
            } else if (!othersAllowed) {
                problems.add("Parameter '" + name + "' is not one this program takes; it takes "
                        + (properties.isEmpty() ? "none" : String.join(", ", names(properties))) + ".");
            }
        });
        return problems;
    }

    /** What {@code value} (typed as its property declares, when it reads as that type) must be instead; empty when fine. */
    private Optional<String> problem(String name, JsonNode value) {
        JsonNode p = properties.get(name);
        String type = p.path("type").asText();
        boolean ofType = switch (type) {
            case "integer" -> value.isNumber() && value.decimalValue().stripTrailingZeros().scale() <= 0;
            case "number" -> value.isNumber();
            case "boolean" -> value.isBoolean();
            default -> value.isTextual();
        };
        if (!ofType) {
            return Optional.of("must be " + switch (type) {
                case "integer" -> "a whole number";
                case "number" -> "a number";
                case "boolean" -> "true or false";
                default -> "text";
            });
        }
        if (p.has("enum") && !contains(p.get("enum"), value)) {
            return Optional.of("must be one of " + String.join(", ", texts(p.get("enum"))));
        }
        if (value.isNumber()) {
            BigDecimal number = value.decimalValue();
            if (p.has("minimum") && number.compareTo(p.get("minimum").decimalValue()) < 0) {
                return Optional.of("must be at least " + p.get("minimum"));
            }
            if (p.has("maximum") && number.compareTo(p.get("maximum").decimalValue()) > 0) {
                return Optional.of("must be at most " + p.get("maximum"));
            }
            if (p.has("exclusiveMinimum") && number.compareTo(p.get("exclusiveMinimum").decimalValue()) <= 0) {
                return Optional.of("must be more than " + p.get("exclusiveMinimum"));
            }
            if (p.has("exclusiveMaximum") && number.compareTo(p.get("exclusiveMaximum").decimalValue()) >= 0) {
                return Optional.of("must be less than " + p.get("exclusiveMaximum"));
            }
        }
        if (value.isTextual()) {
            int length = value.asText().codePointCount(0, value.asText().length());
            if (p.has("minLength") && length < p.get("minLength").asLong()) {
                return Optional.of("must be at least " + p.get("minLength") + " characters long");
            }
            if (p.has("maxLength") && length > p.get("maxLength").asLong()) {
                return Optional.of("must be at most " + p.get("maxLength") + " characters long");
            }
            if (patterns.containsKey(name) && !patterns.get(name).matcher(value.asText()).find()) {
                return Optional.of("must match " + p.get("pattern"));
            }
        }
        return Optional.empty();
    }

    /** {@code text} as its declared type when it reads as one; as text otherwise, which the type check then reports. */
    private static JsonNode typed(String text, String type) {
        String trimmed = text.trim();
        try {
            switch (type) {
                case "integer" -> {
                    if (INTEGER.matcher(trimmed).matches()) {
                        return JSON.numberNode(new BigInteger(trimmed));
                    }
                }
                case "number" -> {
                    return JSON.numberNode(new BigDecimal(trimmed));
                }
                case "boolean" -> {
                    if (trimmed.equals("true") || trimmed.equals("false")) {
                        return JSON.booleanNode(Boolean.parseBoolean(trimmed));
                    }
                }
                default -> {
                    // a string: kept as given
                }
            }
        } catch (NumberFormatException notANumber) {
            // kept as text
        }
        return JSON.textNode(text);
    }

    /** Whether {@code values} holds {@code value}, numbers compared by value (2 and 2.0 are the same). */
    private static boolean contains(JsonNode values, JsonNode value) {
        for (JsonNode allowed : values) {
            if (value.isNumber() && allowed.isNumber() ? allowed.decimalValue().compareTo(value.decimalValue()) == 0
                    : allowed.equals(value)) {
                return true;
            }
        }
        return false;
    }

    private static String described(JsonNode property) {
        String description = property.path("description").asText("");
        return description.isEmpty() ? "" : " (" + description + ")";
    }

    private static List<String> names(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(v -> texts.add(v.asText()));
        return texts;
    }

    private static void onlyKeys(JsonNode node, Set<String> allowed, String where) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!allowed.contains(key)) {
                throw new IllegalArgumentException(where + " uses \"" + key + "\", which is outside the supported subset "
                        + allowed);
            }
        }
    }
}
