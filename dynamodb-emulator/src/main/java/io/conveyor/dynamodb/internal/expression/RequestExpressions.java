package io.conveyor.dynamodb.internal.expression;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;

/**
 * Everything expression-shaped in one request (or one item of a transaction or a BatchGetItem table entry), parsed
 * and validated once: the expressions, their placeholders and their legacy twins.
 */
public final class RequestExpressions {
    private final Condition condition;
    private final Update update;
    private final Projection projection;
    private final Condition filter;
    private final KeyCondition keyCondition;

    private RequestExpressions(Condition condition, Update update, Projection projection, Condition filter,
            KeyCondition keyCondition) {
        this.condition = condition;
        this.update = update;
        this.projection = projection;
        this.filter = filter;
        this.keyCondition = keyCondition;
    }

    /**
     * Reads and validates ConditionExpression, UpdateExpression, ProjectionExpression, FilterExpression,
     * KeyConditionExpression, ExpressionAttributeNames/Values and the legacy Expected, ConditionalOperator,
     * AttributeUpdates, AttributesToGet, KeyConditions, QueryFilter and ScanFilter.
     *
     * @param keys the key attributes of the table or index addressed
     * @throws io.conveyor.dynamodb.internal.DynamoDbError a ValidationException worded as AWS words it
     */
    public static RequestExpressions parse(ObjectNode request, KeySchema keys) {
        throw new UnsupportedOperationException("not yet");
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
