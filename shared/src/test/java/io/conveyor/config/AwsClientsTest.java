package io.conveyor.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class AwsClientsTest {
    private HttpServer dynamoDb;
    private final AtomicInteger requests = new AtomicInteger();
    /** The SDK system properties this test sets, with the values other tests of this JVM gave them. */
    private final Map<String, String> previousProperties = new HashMap<>();

    /** A DynamoDB endpoint that refuses the first request as AWS does when a transaction holds the item. */
    @BeforeEach
    void startEndpoint() throws IOException {
        dynamoDb = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        dynamoDb.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            boolean first = requests.incrementAndGet() == 1;
            byte[] body = (first
                    ? "{\"__type\":\"com.amazonaws.dynamodb.v20120810#TransactionConflictException\","
                            + "\"message\":\"Transaction is ongoing for the item\"}"
                    : "{}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.0");
            exchange.sendResponseHeaders(first ? 400 : 200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        dynamoDb.start();
        // The SDK's standard settings: the endpoint is read when a client is built, the credentials at each request.
        setProperty("aws.endpointUrlDynamoDb", "http://127.0.0.1:" + dynamoDb.getAddress().getPort());
        setProperty("aws.accessKeyId", "test");
        setProperty("aws.secretAccessKey", "test");
    }

    private void setProperty(String name, String value) {
        previousProperties.put(name, System.getProperty(name));
        System.setProperty(name, value);
    }

    @AfterEach
    void stopEndpoint() {
        dynamoDb.stop(0);
        previousProperties.forEach((name, value) -> {
            if (value == null) {
                System.clearProperty(name);
            } else {
                System.setProperty(name, value);
            }
        });
    }

    @Test
    void dynamoDb_triesAWriteAgain_whenATransactionHeldTheItem() {
        try (DynamoDbClient client = new AwsClients(Settings.from(settings())).dynamoDb()) {
            client.updateItem(b -> b.tableName("jobs").key(Map.of("jobId", AttributeValue.fromS("j-1")))
                    .updateExpression("SET #s = :s")
                    .expressionAttributeNames(Map.of("#s", "status"))
                    .expressionAttributeValues(Map.of(":s", AttributeValue.fromS("CANCELLED"))));
        }
        assertEquals(2, requests.get(), "the refused write was sent again");
    }

    private static Map<String, String> settings() {
        Map<String, String> env = new HashMap<>();
        env.put("AWS_REGION", "eu-west-1");
        for (String table : new String[] {"JOBS", "SUBJOBS", "COUNTERS", "IDEMPOTENCY", "WAITLIST", "WORK_QUEUE"}) {
            env.put("CONVEYOR_" + table + "_TABLE", table.toLowerCase());
        }
        env.put("CONVEYOR_BUCKET", "bucket");
        return env;
    }
}
