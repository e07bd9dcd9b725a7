package io.conveyor.program;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;

/**
 * Per-program items of the counters table, one per kind of statistics, program and hour ({@code <kind>#<program>#
 * <yyyyMMddHH>}), each updated with {@code ADD} and read back a window of hours at a time.
 */
final class HourlyItems {
    static final String COUNTER_ID = "counterId";
    private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("uuuuMMddHH").withZone(ZoneOffset.UTC);

    private HourlyItems() {}

    /** The key of the {@code kind} item of {@code program} for the hour of {@code at}. */
    static Map<String, AttributeValue> key(String kind, String program, Instant at) {
        return Map.of(COUNTER_ID, AttributeValue.fromS(kind + "#" + program + "#" + HOUR.format(at)));
    }

    /** The {@code kind} items of {@code program} for the hours of {@code window} up to {@code now}: one batch read. */
    static List<Map<String, AttributeValue>> read(DynamoDbClient dynamoDb, String tableName, String kind, String program,
            Instant now, Duration window) {
        List<Map<String, AttributeValue>> keys = new ArrayList<>();
        Instant hour = now.truncatedTo(ChronoUnit.HOURS);
        for (int i = 0; i <= window.toHours(); i++) {
            keys.add(key(kind, program, hour.minus(Duration.ofHours(i))));
        }
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        Map<String, KeysAndAttributes> pending = Map.of(tableName, KeysAndAttributes.builder().keys(keys).build());
        while (!pending.isEmpty()) {
            Map<String, KeysAndAttributes> request = pending;
            var response = dynamoDb.batchGetItem(b -> b.requestItems(request));
            items.addAll(response.responses().getOrDefault(tableName, List.of()));
            pending = response.hasUnprocessedKeys() ? new HashMap<>(response.unprocessedKeys()) : Map.of();
        }
        return items;
    }

    static long number(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null || v.n() == null ? 0 : Long.parseLong(v.n());
    }

    static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
