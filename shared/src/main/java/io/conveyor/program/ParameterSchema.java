package io.conveyor.program;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The parameters a program declares, as a JSON Schema (draft 2020-12) of the subset a form can be drawn from: an
 * object whose properties are each a string, integer, number or boolean, with {@code description}, {@code default},
 * {@code enum}, {@code minimum}/{@code maximum} (and their exclusive forms), {@code minLength}/{@code maxLength} and
 * {@code pattern}; {@code required} names those a job must give, and {@code additionalProperties: false} refuses any
 * other. Parameters reach programs as text ({@code JobInputs.parameters()}), so a job's values are read as the type
 * their property declares before the schema is checked: {@code "5"} and {@code 5} are the same integer.
 *
 * <p>Immutable and thread-safe.
 */
public final class ParameterSchema {
    private static final SchemaRegistry SCHEMAS = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final Set<String> TOP_LEVEL = Set.of("$schema", "type", "title", "description", "properties",
            "required", "additionalProperties");
    private static final Set<String> PROPERTY = Set.of("type", "title", "description", "default", "enum", "minimum",
            "maximum", "exclusiveMinimum", "exclusiveMaximum", "minLength", "maxLength", "pattern");
    private static final Set<String> TYPES = Set.of("string", "integer", "number", "boolean");
    private static final Pattern INTEGER = Pattern.compile("[+-]?\\d{1,30}");

    private final ObjectNode declared;
    private final Schema schema;

    private ParameterSchema(ObjectNode declared) {
        this.declared = declared;
        this.schema = SCHEMAS.getSchema(declared);
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
        for (Iterator<Map.Entry<String, JsonNode>> it = properties.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> property = it.next();
            String where = "parameter '" + property.getKey() + "'";
            JsonNode p = property.getValue();
            if (!p.isObject() || !TYPES.contains(p.path("type").asText())) {
                throw new IllegalArgumentException(where + " needs \"type\": one of " + TYPES);
            }
            onlyKeys(p, PROPERTY, where);
            if (p.has("default")) {
                List<Error> errors = SCHEMAS.getSchema(p).validate(p.get("default"));
                if (!errors.isEmpty()) {
                    throw new IllegalArgumentException(where + ": its default " + p.get("default") + " does not satisfy it: "
                            + errors.get(0).getMessage());
                }
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
        return new ParameterSchema(declared.deepCopy());
    }

    /** The schema as the program declared it, for clients that draw a form from it. */
    public JsonNode declared() {
        return declared.deepCopy();
    }

    /** What is wrong with a job's {@code parameters}, one sentence per problem naming the parameter; empty when nothing is. */
    public List<String> problems(Map<String, String> parameters) {
        ObjectNode typed = JSON.objectNode();
        parameters.forEach((name, text) -> typed.set(name, typed(text, declared.path("properties").path(name).path("type").asText())));
        List<String> problems = new ArrayList<>();
        for (Error error : schema.validate(typed)) {
            problems.add(sentence(error, typed));
        }
        return problems;
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
                    // a string, or a parameter the schema does not declare: kept as given
                }
            }
        } catch (NumberFormatException notANumber) {
            // kept as text
        }
        return JSON.textNode(text);
    }

    private String sentence(Error error, ObjectNode typed) {
        String name = error.getKeyword().equals("required") || error.getKeyword().equals("additionalProperties")
                ? error.getProperty()
                : error.getInstanceLocation().getNameCount() > 0
                        ? error.getInstanceLocation().getName(error.getInstanceLocation().getNameCount() - 1) : null;
        if (name == null) {
            return "Parameters: " + error.getMessage() + ".";
        }
        JsonNode property = declared.path("properties").path(name);
        String got = typed.has(name) ? "; got '" + typed.get(name).asText() + "'." : ".";
        return switch (error.getKeyword()) {
            case "required" -> "Parameter '" + name + "' is required" + described(property) + ".";
            case "additionalProperties" -> "Parameter '" + name + "' is not one this program takes; it takes "
                    + (declared.path("properties").isEmpty() ? "none" : String.join(", ", names(declared.path("properties")))) + ".";
            case "type" -> "Parameter '" + name + "' must be " + switch (property.path("type").asText()) {
                case "integer" -> "a whole number";
                case "number" -> "a number";
                case "boolean" -> "true or false";
                default -> "text";
            } + got;
            case "minimum" -> "Parameter '" + name + "' must be at least " + property.get("minimum") + got;
            case "maximum" -> "Parameter '" + name + "' must be at most " + property.get("maximum") + got;
            case "exclusiveMinimum" -> "Parameter '" + name + "' must be more than " + property.get("exclusiveMinimum") + got;
            case "exclusiveMaximum" -> "Parameter '" + name + "' must be less than " + property.get("exclusiveMaximum") + got;
            case "enum" -> "Parameter '" + name + "' must be one of " + String.join(", ", texts(property.path("enum"))) + got;
            case "minLength" -> "Parameter '" + name + "' must be at least " + property.get("minLength") + " characters long" + got;
            case "maxLength" -> "Parameter '" + name + "' must be at most " + property.get("maxLength") + " characters long" + got;
            case "pattern" -> "Parameter '" + name + "' must match " + property.get("pattern") + got;
            default -> "Parameter '" + name + "': " + error.getMessage() + got;
        };
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
