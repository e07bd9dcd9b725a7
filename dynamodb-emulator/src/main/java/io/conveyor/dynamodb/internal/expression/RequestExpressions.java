package io.conveyor.dynamodb.internal.expression;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conveyor.dynamodb.internal.DynamoDbError;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Everything expression-shaped in one request (or one item of a transaction or a BatchGetItem table entry), parsed
 * and validated once: the expressions, their placeholders and their legacy twins. Parsing does all the checks AWS
 * makes before it reads an item; what depends on the item (an operand of the wrong type, a path through a
 * missing map) is checked when a {@link Condition} or {@link Update} is applied.
 */
public final class RequestExpressions {
    private static final List<String> EXPRESSIONS = List.of("UpdateExpression", "ConditionExpression",
            "KeyConditionExpression", "FilterExpression", "ProjectionExpression");
    private static final List<String> LEGACY = List.of("AttributesToGet", "AttributeUpdates", "ConditionalOperator",
            "Expected", "KeyConditions", "QueryFilter", "ScanFilter");
    private static final String KEY_ATTRIBUTE = LegacyParameters.INVALID + "Cannot update attribute %s. "
            + "This attribute is part of the key";

    private Condition condition;
    private Update update;
    private Projection projection;
    private Condition filter;
    private KeyCondition keyCondition;

    private RequestExpressions() {
    }

    /**
     * Reads and validates ConditionExpression, UpdateExpression, ProjectionExpression, FilterExpression,
     * KeyConditionExpression, ExpressionAttributeNames/Values and the legacy Expected, ConditionalOperator,
     * AttributeUpdates, AttributesToGet, KeyConditions, QueryFilter and ScanFilter. Messages carry no
     * {@code 1 validation error detected: } prefix: the operations that need it add it.
     *
     * @param keys the key attributes of the table or index addressed
     * @throws DynamoDbError a ValidationException worded as AWS words it
     */
    public static RequestExpressions parse(ObjectNode request, KeySchema keys) {
        RequestExpressions parsed = new RequestExpressions();
        parsed.read(request, keys);
        return parsed;
    }

    private void read(ObjectNode request, KeySchema keys) {
        List<String> expressions = present(request, EXPRESSIONS);
        List<String> legacy = present(request, LEGACY);
        if (!expressions.isEmpty() && !legacy.isEmpty()) {
            throw DynamoDbError.validation("Can not use both expression and non-expression parameters in the same "
                    + "request: Non-expression parameters: {" + String.join(", ", legacy) + "} Expression parameters: {"
                    + String.join(", ", expressions) + "}");
        }
        JsonNode names = request.get("ExpressionAttributeNames");
        JsonNode values = request.get("ExpressionAttributeValues");
        checkPlaceholderMap("ExpressionAttributeNames", names, expressions);
        checkPlaceholderMap("ExpressionAttributeValues", values, expressions);
        if (expressions.isEmpty()) {
            readLegacy(request, keys);
            return;
        }
        Placeholders placeholders = new Placeholders(names, values);
        boolean query = request.has("KeyConditionExpression");
        for (String parameter : expressions) {
            ExpressionParser parser = new ExpressionParser(parameter, request.get(parameter).asText(), placeholders,
                    parameter.equals("UpdateExpression"));
            switch (parameter) {
                case "UpdateExpression" -> {
                    UpdateExpression parsed = parser.updateExpression();
                    for (Path target : parsed.targets()) {
                        if (keys.isKey(target.root())) {
                            throw DynamoDbError.validation(String.format(KEY_ATTRIBUTE, target.root()));
                        }
                    }
                    update = parsed;
                }
                case "ConditionExpression" -> condition = parser.condition();
                case "KeyConditionExpression" -> keyCondition = KeyConditions.fromExpression(parser.condition(), keys);
                case "FilterExpression" -> {
                    filter = parser.condition();
                    if (query) {
                        checkNoKeyAttributes("Filter Expression", parser.paths(), keys);
                    }
                }
                default -> projection = new PathProjection(parser.projection());
            }
        }
        placeholders.checkAllUsed();
    }

    private void readLegacy(ObjectNode request, KeySchema keys) {
        JsonNode conditionalOperator = request.get("ConditionalOperator");
        if (request.has("Expected")) {
            condition = LegacyParameters.expected(request.get("Expected"), conditionalOperator);
        }
        if (request.has("AttributeUpdates")) {
            update = new LegacyUpdate(request.get("AttributeUpdates"), keys);
        }
        if (request.has("AttributesToGet")) {
            projection = LegacyParameters.attributesToGet(request.get("AttributesToGet"));
        }
        if (request.has("KeyConditions")) {
            keyCondition = LegacyParameters.keyConditions(request.get("KeyConditions"), keys);
        }
        for (String parameter : List.of("QueryFilter", "ScanFilter")) {
            JsonNode legacyFilter = request.get(parameter);
            if (legacyFilter == null) {
                continue;
            }
            if (parameter.equals("QueryFilter") && keyCondition != null) {
                List<Path> paths = new ArrayList<>();
                legacyFilter.fieldNames().forEachRemaining(name -> paths.add(Path.of(name)));
                checkNoKeyAttributes("QueryFilter", paths, keys);
            }
            filter = LegacyParameters.filter(legacyFilter, conditionalOperator);
        }
    }

    private static void checkPlaceholderMap(String parameter, JsonNode map, List<String> expressions) {
        if (map == null) {
            return;
        }
        if (expressions.isEmpty()) {
            throw DynamoDbError.validation(parameter + " can only be specified when using expressions");
        }
        if (map.isEmpty()) {
            throw DynamoDbError.validation(parameter + " must not be empty");
        }
    }

    private static void checkNoKeyAttributes(String parameter, List<Path> paths, KeySchema keys) {
        for (Path path : paths) {
            if (keys.isKey(path.root())) {
                throw DynamoDbError.validation(parameter + " can only contain non-primary key attributes: "
                        + "Primary key attribute: " + path.root());
            }
        }
    }

    private static List<String> present(ObjectNode request, List<String> parameters) {
        List<String> found = new ArrayList<>();
        for (String parameter : parameters) {
            JsonNode value = request.get(parameter);
            if (value != null && !value.isNull()) {
                found.add(parameter);
            }
        }
        return found;
    }

    /** ConditionExpression or Expected. */
    public Optional<Condition> condition() {
        return Optional.ofNullable(condition);
    }

    /** UpdateExpression or AttributeUpdates. */
    public Optional<Update> update() {
        return Optional.ofNullable(update);
    }

    /** ProjectionExpression or AttributesToGet. */
    public Optional<Projection> projection() {
        return Optional.ofNullable(projection);
    }

    /** FilterExpression, QueryFilter or ScanFilter. */
    public Optional<Condition> filter() {
        return Optional.ofNullable(filter);
    }

    /** KeyConditionExpression or KeyConditions. */
    public Optional<KeyCondition> keyCondition() {
        return Optional.ofNullable(keyCondition);
    }
}
