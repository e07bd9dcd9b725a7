package io.conveyor.dynamodb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.TransactionConflictException;

/** Many clients at once: single-item writes and transactions are atomic and isolated. */
class ConcurrencyTest {
    private static final int THREADS = 8;
    private static DynamoDbEmulator emulator;
    private static DynamoDbClient ddb;

    @BeforeAll
    static void start() {
        emulator = DynamoDbEmulator.builder().start();
        ddb = SdkClients.dynamoDb(emulator.endpoint());
        ddb.createTable(b -> b.tableName("counters").billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(AttributeDefinition.builder().attributeName("id").attributeType(ScalarAttributeType.S).build())
                .keySchema(KeySchemaElement.builder().attributeName("id").keyType(KeyType.HASH).build()));
    }

    @AfterAll
    static void stop() {
        ddb.close();
        emulator.close();
    }

    private static Map<String, AttributeValue> key(String id) {
        return Map.of("id", AttributeValue.fromS(id));
    }

    private static void inParallel(Runnable task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            all.add(CompletableFuture.runAsync(task, pool));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(2, TimeUnit.MINUTES);
        pool.shutdown();
    }

    @Test
    void concurrentIncrements_loseNoUpdate() throws Exception {
        inParallel(() -> {
            for (int i = 0; i < 200; i++) {
                ddb.updateItem(b -> b.tableName("counters").key(key("counter")).updateExpression("ADD n :one")
                        .expressionAttributeValues(Map.of(":one", AttributeValue.fromN("1"))));
            }
        });
        assertEquals("1600", ddb.getItem(b -> b.tableName("counters").key(key("counter")).consistentRead(true)).item().get("n").n());
    }

    @Test
    void conditionalClaims_exactlyOneWinsEachItem() throws Exception {
        AtomicInteger wins = new AtomicInteger();
        inParallel(() -> {
            for (int i = 0; i < 100; i++) {
                String id = "claim-" + i;
                try {
                    ddb.putItem(b -> b.tableName("counters").item(key(id)).conditionExpression("attribute_not_exists(id)"));
                    wins.incrementAndGet();
                } catch (ConditionalCheckFailedException lost) {
                    // another thread claimed it first
                }
            }
        });
        assertEquals(100, wins.get());
    }

    /**
     * Transfers between two balances keep their sum: every transaction either applies whole or is cancelled
     * (by its condition or by a conflict with another transaction), and reads of both never see half of one.
     */
    @Test
    void transfers_keepTheSum_andConflictsAreReportedAsAwsDoes() throws Exception {
        ddb.putItem(b -> b.tableName("counters").item(Map.of("id", AttributeValue.fromS("A"), "v", AttributeValue.fromN("1000"))));
        ddb.putItem(b -> b.tableName("counters").item(Map.of("id", AttributeValue.fromS("B"), "v", AttributeValue.fromN("1000"))));
        AtomicInteger applied = new AtomicInteger();
        AtomicInteger conflicts = new AtomicInteger();
        inParallel(() -> {
            for (int i = 0; i < 100; i++) {
                try {
                    ddb.transactWriteItems(b -> b.transactItems(
                            TransactWriteItem.builder().update(u -> u.tableName("counters").key(key("A"))
                                    .updateExpression("SET v = v - :x").conditionExpression("v >= :x")
                                    .expressionAttributeValues(Map.of(":x", AttributeValue.fromN("3")))).build(),
                            TransactWriteItem.builder().update(u -> u.tableName("counters").key(key("B"))
                                    .updateExpression("SET v = v + :x")
                                    .expressionAttributeValues(Map.of(":x", AttributeValue.fromN("3")))).build()));
                    applied.incrementAndGet();
                } catch (TransactionCanceledException | TransactionConflictException e) {
                    conflicts.incrementAndGet();
                }
                software.amazon.awssdk.services.dynamodb.model.TransactGetItemsResponse both;
                try {
                    both = ddb.transactGetItems(b -> b.transactItems(t -> t.get(g -> g.tableName("counters").key(key("A"))),
                            t -> t.get(g -> g.tableName("counters").key(key("B")))));
                } catch (TransactionCanceledException inProgress) {
                    // A TransactGetItems meeting a write in progress is cancelled, as on AWS.
                    continue;
                }
                // One that answers must see both items before or both after each transfer.
                int sum = Integer.parseInt(both.responses().get(0).item().get("v").n())
                        + Integer.parseInt(both.responses().get(1).item().get("v").n());
                assertEquals(2000, sum);
            }
        });
        int a = Integer.parseInt(ddb.getItem(b -> b.tableName("counters").key(key("A"))).item().get("v").n());
        assertEquals(1000 - 3 * applied.get(), a);
        assertTrue(applied.get() > 0);
    }
}
