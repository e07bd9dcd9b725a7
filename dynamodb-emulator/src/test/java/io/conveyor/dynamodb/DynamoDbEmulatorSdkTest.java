package io.conveyor.dynamodb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/** The emulator through an unmodified AWS SDK v2 client: what the product's code relies on. */
class DynamoDbEmulatorSdkTest {
    private static DynamoDbEmulator emulator;
    private static DynamoDbClient ddb;

    @BeforeAll
    static void start() {
        emulator = DynamoDbEmulator.builder().start();
        ddb = SdkClients.dynamoDb(emulator.endpoint());
        ddb.createTable(b -> b.tableName("jobs")
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(attr("pk", ScalarAttributeType.S), attr("sk", ScalarAttributeType.N),
                        attr("state", ScalarAttributeType.S))
                .keySchema(key("pk", KeyType.HASH), key("sk", KeyType.RANGE))
                .globalSecondaryIndexes(GlobalSecondaryIndex.builder().indexName("byState")
                        .keySchema(key("state", KeyType.HASH), key("sk", KeyType.RANGE))
                        .projection(Projection.builder().projectionType(ProjectionType.KEYS_ONLY).build()).build()));
        ddb.waiter().waitUntilTableExists(b -> b.tableName("jobs"));
    }

    @AfterAll
    static void stop() {
        ddb.close();
        emulator.close();
    }

    private static AttributeDefinition attr(String name, ScalarAttributeType type) {
        return AttributeDefinition.builder().attributeName(name).attributeType(type).build();
    }

    private static KeySchemaElement key(String name, KeyType type) {
        return KeySchemaElement.builder().attributeName(name).keyType(type).build();
    }

    private static AttributeValue s(String v) {
        return AttributeValue.fromS(v);
    }

    private static AttributeValue n(String v) {
        return AttributeValue.fromN(v);
    }

    @Test
    void describeTable_answersActiveWithArnOfTheRequestRegion() {
        var table = ddb.describeTable(b -> b.tableName("jobs")).table();
        assertEquals("ACTIVE", table.tableStatusAsString());
        assertEquals("arn:aws:dynamodb:eu-west-1:000000000000:table/jobs", table.tableArn());
        assertEquals("ACTIVE", table.globalSecondaryIndexes().get(0).indexStatusAsString());
    }

    @Test
    void putThenGet_returnsTheItemWithNumbersNormalised() {
        ddb.putItem(b -> b.tableName("jobs").item(Map.of("pk", s("a"), "sk", n("1.50"), "x", n("007"))));
        var item = ddb.getItem(b -> b.tableName("jobs").key(Map.of("pk", s("a"), "sk", n("1.5"))).consistentRead(true)).item();
        assertEquals("7", item.get("x").n());
    }

    @Test
    void conditionalPut_failing_throwsWithTheOldItemWhenAsked() {
        ddb.putItem(b -> b.tableName("jobs").item(Map.of("pk", s("c"), "sk", n("1"), "v", s("old"))));
        var e = assertThrows(ConditionalCheckFailedException.class, () -> ddb.putItem(b -> b.tableName("jobs")
                .item(Map.of("pk", s("c"), "sk", n("1"), "v", s("new")))
                .conditionExpression("attribute_not_exists(pk)")
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)));
        assertEquals("old", e.item().get("v").s());
    }

    @Test
    void query_pagesInSortKeyOrder_andReportsCapacity() {
        for (int i = 0; i < 25; i++) {
            String sk = Integer.toString(i);
            ddb.putItem(b -> b.tableName("jobs").item(Map.of("pk", s("q"), "sk", n(sk), "pad", s("x".repeat(100)))));
        }
        QueryResponse first = ddb.query(b -> b.tableName("jobs").keyConditionExpression("pk = :p")
                .expressionAttributeValues(Map.of(":p", s("q"))).limit(10)
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
        assertEquals(10, first.count());
        assertEquals("9", first.items().get(9).get("sk").n());
        assertTrue(first.hasLastEvaluatedKey());
        assertEquals(0.5, first.consumedCapacity().capacityUnits());
        int total = 0;
        for (var page : ddb.queryPaginator(b -> b.tableName("jobs").keyConditionExpression("pk = :p")
                .expressionAttributeValues(Map.of(":p", s("q"))).limit(7))) {
            total += page.count();
        }
        assertEquals(25, total);
    }

    @Test
    void gsi_followsWritesAndProjectsKeysOnly() {
        ddb.putItem(b -> b.tableName("jobs").item(Map.of("pk", s("g"), "sk", n("1"), "state", s("RUNNING"), "big", s("y"))));
        ddb.updateItem(b -> b.tableName("jobs").key(Map.of("pk", s("g"), "sk", n("1")))
                .updateExpression("SET #s = :s").expressionAttributeNames(Map.of("#s", "state"))
                .expressionAttributeValues(Map.of(":s", s("DONE"))));
        var running = ddb.query(b -> b.tableName("jobs").indexName("byState").keyConditionExpression("#s = :s")
                .expressionAttributeNames(Map.of("#s", "state")).expressionAttributeValues(Map.of(":s", s("RUNNING"))));
        var done = ddb.query(b -> b.tableName("jobs").indexName("byState").keyConditionExpression("#s = :s")
                .expressionAttributeNames(Map.of("#s", "state")).expressionAttributeValues(Map.of(":s", s("DONE"))));
        assertEquals(0, running.count());
        assertEquals(1, done.count());
        assertEquals(Map.of("pk", s("g"), "sk", n("1"), "state", s("DONE")), done.items().get(0));
    }

    @Test
    void transaction_withAFailingCondition_writesNothingAndGivesReasonsInRequestOrder() {
        var e = assertThrows(TransactionCanceledException.class, () -> ddb.transactWriteItems(b -> b.transactItems(
                TransactWriteItem.builder().put(p -> p.tableName("jobs").item(Map.of("pk", s("t"), "sk", n("1")))).build(),
                TransactWriteItem.builder().conditionCheck(c -> c.tableName("jobs")
                        .key(Map.of("pk", s("t"), "sk", n("2"))).conditionExpression("attribute_exists(pk)")).build())));
        List<String> codes = e.cancellationReasons().stream().map(CancellationReason::code).toList();
        assertEquals(List.of("None", "ConditionalCheckFailed"), codes);
        assertFalse(ddb.getItem(b -> b.tableName("jobs").key(Map.of("pk", s("t"), "sk", n("1")))).hasItem());
    }

    @Test
    void updateTable_addingAGsi_fillsItFromExistingItems() {
        ddb.putItem(b -> b.tableName("jobs").item(Map.of("pk", s("u"), "sk", n("1"), "owner", s("ann"))));
        ddb.putItem(b -> b.tableName("jobs").item(Map.of("pk", s("u"), "sk", n("2"), "owner", s("bob"))));
        ddb.updateTable(b -> b.tableName("jobs")
                .attributeDefinitions(attr("owner", ScalarAttributeType.S))
                .globalSecondaryIndexUpdates(u -> u.create(c -> c.indexName("byOwner")
                        .keySchema(key("owner", KeyType.HASH))
                        .projection(Projection.builder().projectionType(ProjectionType.ALL).build()))));
        var ann = ddb.query(b -> b.tableName("jobs").indexName("byOwner").keyConditionExpression("#o = :o")
                .expressionAttributeNames(Map.of("#o", "owner")).expressionAttributeValues(Map.of(":o", s("ann"))));
        assertEquals(List.of(Map.of("pk", s("u"), "sk", n("1"), "owner", s("ann"))), ann.items());
    }

    @Test
    void putItem_withIndexesCapacity_chargesTheTableAndEachGsiEntryWritten() {
        var put = ddb.putItem(b -> b.tableName("jobs").item(Map.of("pk", s("cap"), "sk", n("1"), "state", s("NEW")))
                .returnConsumedCapacity(ReturnConsumedCapacity.INDEXES));
        assertEquals(1.0, put.consumedCapacity().table().capacityUnits());
        assertEquals(1.0, put.consumedCapacity().globalSecondaryIndexes().get("byState").capacityUnits());
        // Moving the item to another index key deletes one index entry and puts another.
        var update = ddb.updateItem(b -> b.tableName("jobs").key(Map.of("pk", s("cap"), "sk", n("1")))
                .updateExpression("SET #s = :s").expressionAttributeNames(Map.of("#s", "state"))
                .expressionAttributeValues(Map.of(":s", s("BILLED"))).returnConsumedCapacity(ReturnConsumedCapacity.INDEXES));
        assertEquals(2.0, update.consumedCapacity().globalSecondaryIndexes().get("byState").capacityUnits());
        assertEquals(3.0, update.consumedCapacity().capacityUnits());
    }

    @Test
    void writes_chargeEachIndexOnlyForTheEntriesTheyPutDeleteOrChange_inTransactionsToo() {
        ddb.putItem(b -> b.tableName("jobs").item(Map.of("pk", s("quiet"), "sk", n("1"), "state", s("NEW"), "note", s("a"))));
        // byState projects keys only: a new value of "note" leaves its entry as it was, so the index is not written.
        var update = ddb.updateItem(b -> b.tableName("jobs").key(Map.of("pk", s("quiet"), "sk", n("1")))
                .updateExpression("SET note = :n").expressionAttributeValues(Map.of(":n", s("b")))
                .returnConsumedCapacity(ReturnConsumedCapacity.INDEXES));
        assertEquals(1.0, update.consumedCapacity().table().capacityUnits());
        assertFalse(update.consumedCapacity().hasGlobalSecondaryIndexes(), update.consumedCapacity().toString());
        assertEquals(1.0, update.consumedCapacity().capacityUnits());
        // In a transaction the same update costs twice the table's unit, and still nothing on the index.
        var transaction = ddb.transactWriteItems(b -> b.returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)
                .transactItems(TransactWriteItem.builder().update(u -> u.tableName("jobs")
                        .key(Map.of("pk", s("quiet"), "sk", n("1"))).updateExpression("SET note = :n")
                        .expressionAttributeValues(Map.of(":n", s("c")))).build()));
        assertEquals(2.0, transaction.consumedCapacity().get(0).capacityUnits());
        // Moving it to another index key in a transaction: (the table's unit + the entry deleted + the entry put) x 2.
        var moved = ddb.transactWriteItems(b -> b.returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)
                .transactItems(TransactWriteItem.builder().update(u -> u.tableName("jobs")
                        .key(Map.of("pk", s("quiet"), "sk", n("1"))).updateExpression("SET #s = :s")
                        .expressionAttributeNames(Map.of("#s", "state"))
                        .expressionAttributeValues(Map.of(":s", s("DONE")))).build()));
        assertEquals(6.0, moved.consumedCapacity().get(0).capacityUnits());
        // Deleting it in a transaction: (the item + its index entry) x 2.
        var deleted = ddb.transactWriteItems(b -> b.returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)
                .transactItems(TransactWriteItem.builder().delete(d -> d.tableName("jobs")
                        .key(Map.of("pk", s("quiet"), "sk", n("1")))).build()));
        assertEquals(4.0, deleted.consumedCapacity().get(0).capacityUnits());
    }

    @Test
    void unknownOperation_isRefusedNamingIt() {
        var e = assertThrows(DynamoDbException.class, () -> ddb.describeContinuousBackups(b -> b.tableName("jobs")));
        assertTrue(e.getMessage().contains("DescribeContinuousBackups"), e.getMessage());
    }
}
