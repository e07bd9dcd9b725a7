package io.conveyor.dynamodb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * Every acknowledged write survives a {@code kill -9}: an emulator in a child JVM serves a data directory, takes
 * writes from 8 client threads, is killed without warning, and a new emulator on the same directory has every
 * acknowledged write, the table, its GSI and its TTL setting.
 */
class CrashDurabilityTest {
    private static final int WRITERS = 8;
    private static final int WRITES_PER_WRITER = 150;

    @Test
    void killedJvm_keepsEveryAcknowledgedWrite(@TempDir Path data) throws Exception {
        Process child = startChild(data);
        try {
            URI endpoint = endpointOf(child);
            try (DynamoDbClient ddb = SdkClients.dynamoDb(endpoint)) {
                createTable(ddb);
                ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
                List<CompletableFuture<Void>> done = new ArrayList<>();
                for (int w = 0; w < WRITERS; w++) {
                    String writer = "w" + w;
                    done.add(CompletableFuture.runAsync(() -> write(ddb, writer), pool));
                }
                CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(2, TimeUnit.MINUTES);
                pool.shutdown();
            }
        } finally {
            child.destroyForcibly();
            child.waitFor(30, TimeUnit.SECONDS);
        }
        try (DynamoDbEmulator again = DynamoDbEmulator.builder().dataDirectory(data).start();
                DynamoDbClient ddb = SdkClients.dynamoDb(again.endpoint())) {
            var table = ddb.describeTable(b -> b.tableName("durable")).table();
            assertEquals(WRITERS * WRITES_PER_WRITER, table.itemCount());
            assertEquals("byGroup", table.globalSecondaryIndexes().get(0).indexName());
            assertEquals("ENABLED", ddb.describeTimeToLive(b -> b.tableName("durable"))
                    .timeToLiveDescription().timeToLiveStatusAsString());
            for (int w = 0; w < WRITERS; w++) {
                String writer = "w" + w;
                for (int i = 0; i < WRITES_PER_WRITER; i++) {
                    String id = writer + "-" + i;
                    var item = ddb.getItem(b -> b.tableName("durable").key(Map.of("id", AttributeValue.fromS(id)))).item();
                    assertNotNull(item.get("n"), id);
                    assertEquals("2", item.get("n").n(), id);
                }
                var group = ddb.query(b -> b.tableName("durable").indexName("byGroup")
                        .keyConditionExpression("g = :g").expressionAttributeValues(Map.of(":g", AttributeValue.fromS(writer))));
                assertEquals(WRITES_PER_WRITER, group.count());
            }
        }
    }

    /** Each item is put, then updated: both must be durable once acknowledged. */
    private static void write(DynamoDbClient ddb, String writer) {
        for (int i = 0; i < WRITES_PER_WRITER; i++) {
            String id = writer + "-" + i;
            ddb.putItem(b -> b.tableName("durable").item(Map.of("id", AttributeValue.fromS(id),
                    "g", AttributeValue.fromS(writer), "n", AttributeValue.fromN("1"))));
            ddb.updateItem(b -> b.tableName("durable").key(Map.of("id", AttributeValue.fromS(id)))
                    .updateExpression("ADD n :one").expressionAttributeValues(Map.of(":one", AttributeValue.fromN("1"))));
        }
    }

    private static void createTable(DynamoDbClient ddb) {
        ddb.createTable(b -> b.tableName("durable").billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(
                        AttributeDefinition.builder().attributeName("id").attributeType(ScalarAttributeType.S).build(),
                        AttributeDefinition.builder().attributeName("g").attributeType(ScalarAttributeType.S).build())
                .keySchema(KeySchemaElement.builder().attributeName("id").keyType(KeyType.HASH).build())
                .globalSecondaryIndexes(GlobalSecondaryIndex.builder().indexName("byGroup")
                        .keySchema(KeySchemaElement.builder().attributeName("g").keyType(KeyType.HASH).build())
                        .projection(Projection.builder().projectionType(ProjectionType.ALL).build()).build()));
        ddb.updateTimeToLive(b -> b.tableName("durable").timeToLiveSpecification(t -> t.attributeName("expires").enabled(true)));
    }

    private static Process startChild(Path data) throws Exception {
        // Surefire runs tests from a manifest-only jar; the real test classpath is in this property.
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        return new ProcessBuilder(java.toString(), "-cp", classpath, EmulatorMain.class.getName(), "0", data.toString())
                .redirectErrorStream(true)
                .start();
    }

    /** Reads the child's {@code ENDPOINT} line; the read blocks until the child prints it or exits. */
    private static URI endpointOf(Process child) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<URI> endpoint = CompletableFuture.supplyAsync(() -> {
            try {
                for (String line; (line = out.readLine()) != null; ) {
                    if (line.startsWith("ENDPOINT ")) {
                        return URI.create(line.substring("ENDPOINT ".length()).trim());
                    }
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            throw new IllegalStateException("the child JVM ended without serving");
        });
        URI uri = endpoint.get(60, TimeUnit.SECONDS);
        assertTrue(child.isAlive());
        return uri;
    }
}
