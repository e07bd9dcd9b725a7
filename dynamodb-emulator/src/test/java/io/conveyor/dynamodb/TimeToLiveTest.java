package io.conveyor.dynamodb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/** Items past their TTL by the emulator's clock go away: at once with expireNow(), or by the background sweep. */
class TimeToLiveTest {
    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");

    private static void createTable(DynamoDbClient ddb, String name, boolean ttl) {
        ddb.createTable(b -> b.tableName(name).billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(AttributeDefinition.builder().attributeName("id").attributeType(ScalarAttributeType.S).build())
                .keySchema(KeySchemaElement.builder().attributeName("id").keyType(KeyType.HASH).build()));
        if (ttl) {
            ddb.updateTimeToLive(b -> b.tableName(name).timeToLiveSpecification(t -> t.attributeName("exp").enabled(true)));
        }
        put(ddb, name, "past", NOW.getEpochSecond() - 1);
        put(ddb, name, "future", NOW.getEpochSecond() + 60);
        put(ddb, name, "decadesAgo", NOW.minus(Duration.ofDays(6 * 365)).getEpochSecond());
    }

    private static void put(DynamoDbClient ddb, String table, String id, long expires) {
        ddb.putItem(b -> b.tableName(table).item(Map.of("id", AttributeValue.fromS(id),
                "exp", AttributeValue.fromN(Long.toString(expires)))));
    }

    private static boolean exists(DynamoDbClient ddb, String table, String id) {
        return ddb.getItem(b -> b.tableName(table).key(Map.of("id", AttributeValue.fromS(id)))).hasItem();
    }

    @Test
    void expireNow_deletesOnlyItemsPastTheirTtl_inTablesWithTtlEnabled() {
        try (DynamoDbEmulator emulator = DynamoDbEmulator.builder().clock(Clock.fixed(NOW, ZoneOffset.UTC)).start();
                DynamoDbClient ddb = SdkClients.dynamoDb(emulator.endpoint())) {
            createTable(ddb, "withTtl", true);
            createTable(ddb, "withoutTtl", false);

            assertEquals(1, emulator.expireNow());

            assertFalse(exists(ddb, "withTtl", "past"));
            assertTrue(exists(ddb, "withTtl", "future"));
            // More than five years in the past: AWS takes it for a mistake and keeps the item.
            assertTrue(exists(ddb, "withTtl", "decadesAgo"));
            assertTrue(exists(ddb, "withoutTtl", "past"));
        }
    }

    @Test
    void withoutSweep_expiredItemsStayUntilExpireNow() {
        try (DynamoDbEmulator emulator = DynamoDbEmulator.builder().clock(Clock.fixed(NOW, ZoneOffset.UTC)).start();
                DynamoDbClient ddb = SdkClients.dynamoDb(emulator.endpoint())) {
            createTable(ddb, "kept", true);
            assertTrue(exists(ddb, "kept", "past"));
        }
    }

    @Test
    void sweep_deletesExpiredItemsInTheBackground() {
        try (DynamoDbEmulator emulator = DynamoDbEmulator.builder().clock(Clock.fixed(NOW, ZoneOffset.UTC))
                        .ttlSweepInterval(Duration.ofMillis(50)).start();
                DynamoDbClient ddb = SdkClients.dynamoDb(emulator.endpoint())) {
            createTable(ddb, "swept", true);
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (exists(ddb, "swept", "past") && System.nanoTime() < deadline) {
                LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
            }
            assertFalse(exists(ddb, "swept", "past"));
            assertTrue(exists(ddb, "swept", "future"));
        }
    }
}
