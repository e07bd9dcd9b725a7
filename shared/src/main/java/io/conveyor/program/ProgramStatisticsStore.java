package io.conveyor.program;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/**
 * Per-program subjob durations, kept as one histogram item per program and hour in the counters table, so
 * recording is one atomic {@code ADD} and reading a day is one batch read of 25 items, whatever the traffic. The hours
 * are also read one by one ({@link #hourly}), as far back as {@link #HISTORY}: a program keeps at most that many hourly
 * items, and DynamoDB's TTL removes older ones. Buckets are √2 apart from 1 ms, so a percentile is exact to within a
 * factor of √2; the maximum is exact.
 *
 * <p>Thread-safe.
 */
public final class ProgramStatisticsStore {
    /** How far back {@link #read} looks. */
    public static final Duration WINDOW = Duration.ofHours(24);
    /** How far back {@link #hourly} can look. */
    public static final Duration HISTORY = Duration.ofDays(7);
    /** Hourly items outlive the history by a day (DynamoDB's TTL deletes within about a day), then TTL removes them. */
    private static final Duration KEEP = HISTORY.plusDays(1);
    private static final int BUCKETS = 48;
    private static final String KIND = "stats";
    private static final String MAX_MILLIS = "maxMillis";

    private final DynamoDbClient dynamoDb;
    private final String tableName;

    /** {@code tableName} is the counters table ({@code CONVEYOR_COUNTERS_TABLE}). */
    public ProgramStatisticsStore(DynamoDbClient dynamoDb, String tableName) {
        this.dynamoDb = dynamoDb;
        this.tableName = tableName;
    }

    /** A subjob that ended, as the statistics count it. */
    public record Ended(Duration duration, boolean failed) {}

    /**
     * Records that subjobs of {@code program} ended at {@code at}: one atomic update of the hour's histogram for all
     * of them (a batch worker reports its subjobs together), which returns the hour's maximum so far, and one more
     * only if they raise it.
     */
    public void record(String program, List<Ended> ended, Instant at) {
        if (ended.isEmpty()) {
            return;
        }
        Map<Integer, Integer> perBucket = new java.util.TreeMap<>();
        long longest = 0;
        int failed = 0;
        for (Ended e : ended) {
            long millis = Math.max(0, e.duration().toMillis());
            perBucket.merge(bucket(millis), 1, Integer::sum);
            longest = Math.max(longest, millis);
            failed += e.failed() ? 1 : 0;
        }
        Map<String, String> names = new HashMap<>(Map.of("#count", "count", "#failed", "failed", "#exp", "expiresAt"));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":count", n(ended.size()), ":failed", n(failed),
                ":exp", n(at.plus(KEEP).getEpochSecond())));
        StringBuilder add = new StringBuilder("ADD #count :count, #failed :failed");
        perBucket.forEach((bucket, count) -> {
            names.put("#b" + bucket, "b" + bucket);
            values.put(":b" + bucket, n(count));
            add.append(", #b").append(bucket).append(" :b").append(bucket);
        });
        Map<String, AttributeValue> key = HourlyItems.key(KIND, program, at);
        Map<String, AttributeValue> hour = dynamoDb.updateItem(b -> b.tableName(tableName).key(key)
                .updateExpression(add + " SET #exp = :exp")
                .expressionAttributeNames(names)
                .expressionAttributeValues(values)
                .returnValues(ReturnValue.ALL_NEW)).attributes();
        AttributeValue max = hour.get(MAX_MILLIS);
        if (max != null && Long.parseLong(max.n()) >= longest) {
            return;
        }
        long millis = longest;
        try {
            dynamoDb.updateItem(b -> b.tableName(tableName).key(key)
                    .updateExpression("SET #max = :millis")
                    .conditionExpression("attribute_not_exists(#max) OR #max < :millis")
                    .expressionAttributeNames(Map.of("#max", MAX_MILLIS))
                    .expressionAttributeValues(Map.of(":millis", n(millis))));
        } catch (ConditionalCheckFailedException notLonger) {
            // Another writer raised the hour's maximum past this one meanwhile.
        }
    }

    /** The statistics of {@code program} over the {@link #WINDOW} ending at {@code now}. */
    public ProgramStatistics read(String program, Instant now) {
        return summary(WINDOW, HourlyItems.read(dynamoDb, tableName, KIND, program, now, WINDOW));
    }

    /** The statistics of one hour, from {@code start}. */
    public record Hour(Instant start, ProgramStatistics statistics) {}

    /**
     * The statistics of {@code program} hour by hour, for every hour from the one holding {@code from} up to the one
     * holding {@code to}, including hours when no subjob ended; one batch read per 100 hours.
     */
    public List<Hour> hourly(String program, Instant from, Instant to) {
        Instant first = from.truncatedTo(ChronoUnit.HOURS);
        int count = (int) Duration.between(first, to.truncatedTo(ChronoUnit.HOURS)).toHours() + 1;
        List<Map<String, AttributeValue>> items = HourlyItems.hours(dynamoDb, tableName, KIND, program, first, count);
        List<Hour> hours = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            hours.add(new Hour(first.plus(Duration.ofHours(i)), summary(Duration.ofHours(1), List.of(items.get(i)))));
        }
        return hours;
    }

    private static ProgramStatistics summary(Duration window, List<Map<String, AttributeValue>> items) {
        long count = 0;
        long failed = 0;
        long max = -1;
        long[] histogram = new long[BUCKETS];
        for (Map<String, AttributeValue> item : items) {
            count += number(item, "count");
            failed += number(item, "failed");
            max = Math.max(max, item.containsKey(MAX_MILLIS) ? number(item, MAX_MILLIS) : -1);
            for (int b = 0; b < BUCKETS; b++) {
                histogram[b] += number(item, "b" + b);
            }
        }
        if (count == 0) {
            return new ProgramStatistics(window, 0, 0, null, null, null);
        }
        return new ProgramStatistics(window, count, failed, percentile(histogram, count, 0.50, max),
                percentile(histogram, count, 0.95, max), Duration.ofMillis(max));
    }

    /** The upper bound of the bucket holding the requested rank, never above the exact maximum. */
    private static Duration percentile(long[] histogram, long count, double quantile, long max) {
        return Duration.ofMillis(Math.min(Histograms.upperBound(Histograms.percentileBucket(histogram, count, quantile)), max));
    }

    /** Bucket {@code b} holds durations up to √2^b ms; the last one holds everything longer. */
    static int bucket(long millis) {
        return Histograms.bucket(millis, BUCKETS);
    }

    private static long number(Map<String, AttributeValue> item, String name) {
        return HourlyItems.number(item, name);
    }

    private static AttributeValue n(long value) {
        return HourlyItems.n(value);
    }
}
