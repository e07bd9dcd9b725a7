package io.conveyor.program;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * What a program's jobs cost, per job and per subjob, kept as one histogram item per program and hour in the counters
 * table beside its subjob durations ({@link ProgramStatisticsStore}): recording a job that ended is one atomic
 * {@code ADD}, reading a day one batch read. Costs are counted in nano-dollars in buckets √2 apart, so a percentile is
 * exact to within a factor of √2 (64 buckets: up to about $4 a job).
 *
 * <p>Thread-safe.
 */
public final class ProgramCostStore {
    /** How far back {@link #read} looks. */
    public static final Duration WINDOW = ProgramStatisticsStore.WINDOW;
    private static final Duration KEEP = WINDOW.plusDays(1);
    private static final int BUCKETS = 64;
    private static final BigDecimal NANO_DOLLARS = BigDecimal.valueOf(1_000_000_000L);
    private static final String KIND = "cost";

    private final DynamoDbClient dynamoDb;
    private final String tableName;

    /** {@code tableName} is the counters table ({@code CONVEYOR_COUNTERS_TABLE}). */
    public ProgramCostStore(DynamoDbClient dynamoDb, String tableName) {
        this.dynamoDb = dynamoDb;
        this.tableName = tableName;
    }

    /**
     * The cost of a program's jobs over {@link #WINDOW}: approximate percentiles (a bucket's upper bound), {@code null}
     * when no job ended.
     *
     * @param jobs            jobs that ended in the window
     * @param perJobP50       median cost of a job, in US dollars
     * @param perSubJobP50    median of a job's cost divided by its subjobs (jobs with subjobs only)
     */
    public record CostStatistics(Duration window, long jobs, BigDecimal perJobP50, BigDecimal perJobP95,
            BigDecimal perSubJobP50, BigDecimal perSubJobP95) {}

    /** Records that a job of {@code program} with {@code subJobs} subjobs ended at {@code at}, having cost {@code cost}. */
    public void record(String program, BigDecimal cost, int subJobs, Instant at) {
        long perJob = nanoDollars(cost);
        Map<String, String> names = new HashMap<>(Map.of("#jobs", "jobs", "#j", "j" + Histograms.bucket(perJob, BUCKETS),
                "#exp", "expiresAt"));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":one", HourlyItems.n(1), ":exp",
                HourlyItems.n(at.plus(KEEP).getEpochSecond())));
        String add = "ADD #jobs :one, #j :one";
        if (subJobs > 0) {
            long perSubJob = nanoDollars(cost.divide(BigDecimal.valueOf(subJobs), 9, RoundingMode.HALF_UP));
            names.put("#withSubJobs", "withSubJobs");
            names.put("#s", "s" + Histograms.bucket(perSubJob, BUCKETS));
            add += ", #withSubJobs :one, #s :one";
        }
        String expression = add;
        dynamoDb.updateItem(b -> b.tableName(tableName)
                .key(HourlyItems.key(KIND, program, at))
                .updateExpression(expression + " SET #exp = :exp")
                .expressionAttributeNames(names)
                .expressionAttributeValues(values));
    }

    /** The cost statistics of {@code program} over the {@link #WINDOW} ending at {@code now}. */
    public CostStatistics read(String program, Instant now) {
        long jobs = 0;
        long withSubJobs = 0;
        long[] perJob = new long[BUCKETS];
        long[] perSubJob = new long[BUCKETS];
        for (Map<String, AttributeValue> item : HourlyItems.read(dynamoDb, tableName, KIND, program, now, WINDOW)) {
            jobs += HourlyItems.number(item, "jobs");
            withSubJobs += HourlyItems.number(item, "withSubJobs");
            for (int b = 0; b < BUCKETS; b++) {
                perJob[b] += HourlyItems.number(item, "j" + b);
                perSubJob[b] += HourlyItems.number(item, "s" + b);
            }
        }
        return new CostStatistics(WINDOW, jobs, percentile(perJob, jobs, 0.50), percentile(perJob, jobs, 0.95),
                percentile(perSubJob, withSubJobs, 0.50), percentile(perSubJob, withSubJobs, 0.95));
    }

    private static BigDecimal percentile(long[] histogram, long count, double quantile) {
        if (count == 0) {
            return null;
        }
        long nanoDollars = Histograms.upperBound(Histograms.percentileBucket(histogram, count, quantile));
        return BigDecimal.valueOf(nanoDollars).divide(NANO_DOLLARS).stripTrailingZeros();
    }

    /** {@code dollars} in whole nano-dollars, rounded up so that no cost counts as nothing. */
    static long nanoDollars(BigDecimal dollars) {
        return dollars.multiply(NANO_DOLLARS).setScale(0, RoundingMode.CEILING).longValueExact();
    }
}
