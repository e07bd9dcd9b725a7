package io.conveyor.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.conveyor.testing.LocalAws;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/** The clients every function builds ({@code AwsClients}) count what their requests cost, on the emulators. */
class UsageInterceptorTest {
    private LocalAws.Deployment aws;
    private String table;

    @BeforeEach
    void deploy() {
        aws = LocalAws.get().newDeployment();
        table = aws.settings().countersTable();
    }

    private Usage measured(Runnable requests) {
        return new UsageMeter("job-1", 128, System::nanoTime).run(() -> {
            requests.run();
            Usage taken = UsageMeter.takeFor("job-1");
            return new Usage(taken.transitions(), 0, 0, taken.readUnits(), taken.writeUnits(), taken.s3ClassA(),
                    taken.s3ClassB(), taken.s3BytesWritten(), taken.events());
        });
    }

    private Map<String, AttributeValue> item(String id, int blobBytes) {
        return Map.of("counterId", AttributeValue.fromS(id), "blob", AttributeValue.fromS("x".repeat(blobBytes)));
    }

    @Test
    void dynamoDbUnits_areWhatConsumedCapacityReports_readsAndWritesApart() {
        // counterId (9) + c-1 (3) + blob (4) + 1,500 bytes: 1,516 bytes, two 1 KB write units, one 4 KB read unit.
        assertEquals(Usage.dynamoDb(0, 2), measured(() -> aws.dynamoDb().putItem(p -> p.tableName(table).item(item("c-1", 1500)))));
        Map<String, AttributeValue> key = Map.of("counterId", AttributeValue.fromS("c-1"));
        assertEquals(Usage.dynamoDb(1, 0), measured(() -> aws.dynamoDb().getItem(g -> g.tableName(table).key(key).consistentRead(true))));
        assertEquals(Usage.dynamoDb(0.5, 0), measured(() -> aws.dynamoDb().getItem(g -> g.tableName(table).key(key))));
        // A transaction costs twice: two items of one unit each, 4 units.
        assertEquals(Usage.dynamoDb(0, 4), measured(() -> aws.dynamoDb().transactWriteItems(t -> t.transactItems(
                TransactWriteItem.builder().put(Put.builder().tableName(table).item(item("c-2", 10)).build()).build(),
                TransactWriteItem.builder().put(Put.builder().tableName(table).item(item("c-3", 10)).build()).build()))));
    }

    @Test
    void aConditionalWriteThatFails_costsTheWriteUnitDynamoDbCharges_thoughItsErrorReportsNone() {
        aws.dynamoDb().putItem(p -> p.tableName(table).item(item("c-5", 10)));
        Usage failed = measured(() -> assertThrows(ConditionalCheckFailedException.class,
                () -> aws.dynamoDb().putItem(p -> p.tableName(table).item(item("c-5", 20))
                        .conditionExpression("attribute_not_exists(counterId)"))));
        assertEquals(Usage.dynamoDb(0, 1), failed, "the checked item is under 1 KB: one unit");
    }

    @Test
    void s3Requests_areCountedByPriceClass_andPutsByTheirBytes() {
        String bucket = aws.settings().bucket();
        assertEquals(Usage.s3(1, 0, 100), measured(() -> aws.s3().putObject(p -> p.bucket(bucket).key("k"),
                RequestBody.fromBytes(new byte[100]))));
        assertEquals(Usage.s3(0, 2, 0), measured(() -> {
            aws.s3().getObjectAsBytes(g -> g.bucket(bucket).key("k"));
            aws.s3().headObject(h -> h.bucket(bucket).key("k"));
        }));
        assertEquals(Usage.s3(1, 0, 0), measured(() -> aws.s3().listObjectsV2(l -> l.bucket(bucket))));
        assertEquals(Usage.NONE, measured(() -> aws.s3().deleteObject(d -> d.bucket(bucket).key("k"))));
    }

    @Test
    void requestsOutsideAMeasuredInvocation_areSentAsAskedAndCountedByNoOne() {
        var response = aws.dynamoDb().putItem(p -> p.tableName(table).item(item("c-4", 1)));
        assertEquals(null, response.consumedCapacity(), "asked for nothing, answered nothing");
    }
}
