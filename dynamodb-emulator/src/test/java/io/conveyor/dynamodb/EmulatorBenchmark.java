package io.conveyor.dynamodb;

import io.conveyor.dynamodb.internal.ServerStats;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * Measures the emulator through the AWS SDK (apache-client), in memory and on a data directory, with one client
 * thread and with eight: GetItem, PutItem, a conditional UpdateItem, a Query of 100 items and a
 * TransactWriteItems of 4 items. Prints per operation the wall time per request (p50, p99), the server's own
 * time per request measured inside the emulator (handle: from the request body to the answer's bytes; server:
 * until the answer is written to the connection; cpu: the handling thread's CPU time in that span), and
 * requests per second. A program, not a test:
 *
 * <pre>
 * mvn -B -q -pl dynamodb-emulator test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=io.conveyor.dynamodb.EmulatorBenchmark [-Dexec.args=REQUESTS]
 * </pre>
 */
public final class EmulatorBenchmark {
    private static final String TABLE = "bench";
    private static final int PARTITIONS = 1000;

    private EmulatorBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int requests = args.length > 0 ? Integer.parseInt(args[0]) : 4000;
        System.out.printf("%-8s %-7s %-22s %8s %8s %9s %9s %8s %8s%n", "storage", "threads", "operation", "p50 ms",
                "p99 ms", "handle us", "server us", "cpu us", "req/s");
        try (DynamoDbEmulator memory = DynamoDbEmulator.builder().start()) {
            run("memory", memory, requests);
        }
        Path dir = Files.createTempDirectory("ddb-bench");
        try (DynamoDbEmulator disk = DynamoDbEmulator.builder().dataDirectory(dir).start()) {
            run("disk", disk, requests);
        }
    }

    private static void run(String storage, DynamoDbEmulator emulator, int requests) throws Exception {
        try (DynamoDbClient ddb = SdkClients.dynamoDb(emulator.endpoint())) {
            setUp(ddb);
            // Warm-up: the JIT and the connections, not measured.
            measure(emulator, ddb, null, 1, requests);
            measure(emulator, ddb, storage, 1, requests);
            measure(emulator, ddb, storage, 8, requests);
        }
    }

    private static void setUp(DynamoDbClient ddb) {
        ddb.createTable(b -> b.tableName(TABLE).billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(
                        AttributeDefinition.builder().attributeName("pk").attributeType(ScalarAttributeType.S).build(),
                        AttributeDefinition.builder().attributeName("sk").attributeType(ScalarAttributeType.N).build())
                .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build(),
                        KeySchemaElement.builder().attributeName("sk").keyType(KeyType.RANGE).build()));
        for (int p = 0; p < PARTITIONS; p++) {
            ddb.putItem(item("p" + p, 0));
        }
        for (int i = 0; i < 100; i++) {
            ddb.putItem(item("query", i));
        }
    }

    private static software.amazon.awssdk.services.dynamodb.model.PutItemRequest item(String pk, int sk) {
        return software.amazon.awssdk.services.dynamodb.model.PutItemRequest.builder().tableName(TABLE)
                .item(Map.of("pk", AttributeValue.fromS(pk), "sk", AttributeValue.fromN(Integer.toString(sk)),
                        "state", AttributeValue.fromS("RUNNING"), "n", AttributeValue.fromN("1"),
                        "payload", AttributeValue.fromS("x".repeat(200))))
                .build();
    }

    private static Map<String, AttributeValue> key(String pk, int sk) {
        return Map.of("pk", AttributeValue.fromS(pk), "sk", AttributeValue.fromN(Integer.toString(sk)));
    }

    private record Op(String name, String serverName, int share, IntConsumer call) {
    }

    private static List<Op> ops(DynamoDbClient ddb) {
        return List.of(
                new Op("GetItem", "GetItem", 1, i -> ddb.getItem(b -> b.tableName(TABLE).key(key("p" + i % PARTITIONS, 0)))),
                new Op("PutItem", "PutItem", 1, i -> ddb.putItem(item("p" + i % PARTITIONS, 0))),
                new Op("UpdateItem conditional", "UpdateItem", 1, i -> ddb.updateItem(b -> b.tableName(TABLE)
                        .key(key("p" + i % PARTITIONS, 0)).updateExpression("SET n = n + :one")
                        .conditionExpression("#s = :running").expressionAttributeNames(Map.of("#s", "state"))
                        .expressionAttributeValues(Map.of(":one", AttributeValue.fromN("1"),
                                ":running", AttributeValue.fromS("RUNNING"))))),
                new Op("Query 100 items", "Query", 10, i -> ddb.query(b -> b.tableName(TABLE)
                        .keyConditionExpression("pk = :p").expressionAttributeValues(Map.of(":p", AttributeValue.fromS("query"))))),
                new Op("TransactWriteItems 4", "TransactWriteItems", 2, i -> ddb.transactWriteItems(b -> b.transactItems(
                        transactPut(i, 0), transactPut(i, 1), transactPut(i, 2), transactPut(i, 3)))));
    }

    private static TransactWriteItem transactPut(int i, int k) {
        // Each transaction its own items, so that concurrent ones do not cancel each other.
        return TransactWriteItem.builder().update(u -> u.tableName(TABLE).key(key("tx" + i, k))
                .updateExpression("SET n = :n").expressionAttributeValues(Map.of(":n", AttributeValue.fromN("2")))).build();
    }

    /** Runs every operation; {@code storage} null: warm-up, nothing printed. */
    private static void measure(DynamoDbEmulator emulator, DynamoDbClient ddb, String storage, int threads, int requests)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (Op op : ops(ddb)) {
                int perThread = Math.max(1, requests / op.share() / threads);
                long[][] latencies = new long[threads][perThread];
                emulator.serverStats().reset();
                long start = System.nanoTime();
                List<CompletableFuture<Void>> done = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    long[] mine = latencies[t];
                    int offset = t * perThread;
                    done.add(CompletableFuture.runAsync(() -> {
                        for (int i = 0; i < perThread; i++) {
                            long s = System.nanoTime();
                            op.call().accept(offset + i);
                            mine[i] = System.nanoTime() - s;
                        }
                    }, pool));
                }
                CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(10, TimeUnit.MINUTES);
                long elapsed = System.nanoTime() - start;
                if (storage == null) {
                    continue;
                }
                long[] all = Arrays.stream(latencies).flatMapToLong(Arrays::stream).sorted().toArray();
                ServerStats.Snapshot server = emulator.serverStats().snapshot().get(op.serverName());
                System.out.printf("%-8s %-7d %-22s %8.3f %8.3f %9.1f %9.1f %8.1f %8.0f%n", storage, threads, op.name(),
                        all[all.length / 2] / 1e6, all[(int) (all.length * 0.99)] / 1e6,
                        server == null ? 0 : server.meanHandleMicros(), server == null ? 0 : server.meanMicros(),
                        server == null ? 0 : server.meanCpuMicros(), all.length / (elapsed / 1e9));
            }
        } finally {
            pool.shutdown();
        }
    }
}
