package io.conveyor.program;

import io.conveyor.persistence.BatchGets;
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
        Instant first = now.truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(window.toHours()));
        return hours(dynamoDb, tableName, kind, program, first, (int) window.toHours() + 1).stream()
                .filter(item -> !item.isEmpty()).toList();
    }

    /**
     * The {@code kind} items of {@code program} for {@code count} hours from the hour of {@code first}, one per hour in
     * order, empty for an hour that has none; batch reads of {@value BatchGets#MAX_KEYS} hours each ({@link BatchGets}).
     */
    static List<Map<String, AttributeValue>> hours(DynamoDbClient dynamoDb, String tableName, String kind, String program,
            Instant first, int count) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(key(kind, program, first.plus(Duration.ofHours(i))).get(COUNTER_ID).s());
        }
        Map<String, Map<String, AttributeValue>> byId = new HashMap<>();
        BatchGets.items(dynamoDb, tableName, ids.stream().map(id -> Map.of(COUNTER_ID, AttributeValue.fromS(id))).toList())
                .forEach(item -> byId.put(item.get(COUNTER_ID).s(), item));
        return ids.stream().map(id -> byId.getOrDefault(id, Map.of())).toList();
    }

    static long number(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null || v.n() == null ? 0 : Long.parseLong(v.n());
    }

    static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
