package io.conveyor.dynamodb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Expression;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags;
import software.amazon.awssdk.enhanced.dynamodb.mapper.StaticTableSchema;
import software.amazon.awssdk.enhanced.dynamodb.model.PutItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryConditional;
import software.amazon.awssdk.enhanced.dynamodb.model.TransactWriteItemsEnhancedRequest;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/** The DynamoDB Enhanced Client works against the emulator unmodified: schema-driven create, put, get, query. */
class EnhancedClientTest {
    /** A small item class, as the product keeps one per table. */
    public static final class Task {
        private String job;
        private int seq;
        private String state;

        public String getJob() {
            return job;
        }

        public void setJob(String job) {
            this.job = job;
        }

        public int getSeq() {
            return seq;
        }

        public void setSeq(int seq) {
            this.seq = seq;
        }

        public String getState() {
            return state;
        }

        public void setState(String state) {
            this.state = state;
        }
    }

    private static final TableSchema<Task> SCHEMA = StaticTableSchema.builder(Task.class)
            .newItemSupplier(Task::new)
            .addAttribute(String.class, a -> a.name("job").getter(Task::getJob).setter(Task::setJob)
                    .tags(StaticAttributeTags.primaryPartitionKey()))
            .addAttribute(Integer.class, a -> a.name("seq").getter(Task::getSeq).setter(Task::setSeq)
                    .tags(StaticAttributeTags.primarySortKey()))
            .addAttribute(String.class, a -> a.name("state").getter(Task::getState).setter(Task::setState))
            .build();

    private static Task task(String job, int seq, String state) {
        Task t = new Task();
        t.setJob(job);
        t.setSeq(seq);
        t.setState(state);
        return t;
    }

    @Test
    void enhancedClient_createsPutsGetsQueriesAndTransacts() {
        try (DynamoDbEmulator emulator = DynamoDbEmulator.builder().start();
                DynamoDbClient ddb = SdkClients.dynamoDb(emulator.endpoint())) {
            DynamoDbEnhancedClient enhanced = DynamoDbEnhancedClient.builder().dynamoDbClient(ddb).build();
            DynamoDbTable<Task> tasks = enhanced.table("tasks", SCHEMA);
            tasks.createTable();
            ddb.waiter().waitUntilTableExists(b -> b.tableName("tasks"));

            tasks.putItem(task("j1", 2, "QUEUED"));
            enhanced.transactWriteItems(TransactWriteItemsEnhancedRequest.builder()
                    .addPutItem(tasks, task("j1", 1, "RUNNING"))
                    .addPutItem(tasks, task("j1", 3, "QUEUED"))
                    .build());

            assertEquals("QUEUED", tasks.getItem(Key.builder().partitionValue("j1").sortValue(2).build()).getState());
            List<Integer> order = tasks.query(QueryConditional.keyEqualTo(k -> k.partitionValue("j1")))
                    .items().stream().map(Task::getSeq).toList();
            assertEquals(List.of(1, 2, 3), order);
            assertThrows(ConditionalCheckFailedException.class, () -> tasks.putItem(PutItemEnhancedRequest.builder(Task.class)
                    .item(task("j1", 1, "DONE"))
                    .conditionExpression(Expression.builder().expression("#s = :q")
                            .putExpressionName("#s", "state")
                            .putExpressionValue(":q", AttributeValue.fromS("QUEUED")).build())
                    .build()));
        }
    }
}
