package io.conveyor.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conveyor.testing.ConflictingDynamoDb;
import io.conveyor.testing.LocalAws;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/** Transactions that meet others, on the DynamoDB emulator behind a client that cancels some with a conflict. */
class TransactionsTest {
    private LocalAws.Deployment deployment;
    private ConflictingDynamoDb dynamoDb;

    @BeforeEach
    void deployment() {
        deployment = LocalAws.get().newDeployment();
        dynamoDb = new ConflictingDynamoDb(deployment.dynamoDb());
    }

    /** A put of counter {@code id}, only if it does not exist yet. */
    private List<TransactWriteItem> createCounter(String id) {
        return List.of(TransactWriteItem.builder().put(Put.builder()
                .tableName(deployment.settings().countersTable())
                .item(Map.of("counterId", AttributeValue.fromS(id)))
                .conditionExpression("attribute_not_exists(counterId)")
                .build()).build());
    }

    private boolean exists(String id) {
        return deployment.dynamoDb().getItem(g -> g.tableName(deployment.settings().countersTable())
                .key(Map.of("counterId", AttributeValue.fromS(id))).consistentRead(true)).hasItem();
    }

    @Test
    void aConflict_isTriedAgain_untilTheTransactionGoesThrough() {
        dynamoDb.conflictNext(3);
        Transactions.write(dynamoDb.client(), createCounter("a"));
        assertTrue(exists("a"));
        assertEquals(4, dynamoDb.transactions());
    }

    @Test
    void conflictsBeyondTheRetries_areThrown_andNothingIsWritten() {
        dynamoDb.conflictNext(Transactions.CONFLICT_RETRIES + 1);
        List<Long> pauses = new ArrayList<>();
        TransactionCanceledException e = assertThrows(TransactionCanceledException.class,
                () -> Transactions.write(dynamoDb.client(), createCounter("b"), pauses::add));
        assertEquals("TransactionConflict", e.cancellationReasons().get(0).code());
        assertFalse(exists("b"));
        assertEquals(Transactions.CONFLICT_RETRIES + 1, dynamoDb.transactions());
        assertEquals(Transactions.CONFLICT_RETRIES, pauses.size(), "a pause before each try after the first");
        assertTrue(pauses.stream().allMatch(p -> p >= 0 && p <= Transactions.MAX_PAUSE_MILLIS), pauses.toString());
        assertTrue(pauses.stream().mapToLong(Long::longValue).sum() > 1000,
                "the tries spread over seconds, beyond a burst of other transactions: " + pauses);
    }

    @Test
    void aFailedCondition_isTheCallers_atOnce() {
        Transactions.write(dynamoDb.client(), createCounter("c"));
        TransactionCanceledException e = assertThrows(TransactionCanceledException.class,
                () -> Transactions.write(dynamoDb.client(), createCounter("c")));
        assertEquals("ConditionalCheckFailed", e.cancellationReasons().get(0).code());
        assertEquals(2, dynamoDb.transactions(), "not tried again");
    }
}
