package io.conveyor.usage;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;

/**
 * What a usage costs at a price table, in US dollars, per category and in total. Each category is its units times its
 * price, exactly; what is shown is rounded once ({@link Billing#shown}), and the total is the exact sum rounded, so it
 * may differ from the sum of the rounded categories in the last place.
 *
 * @param priceDate when the price table's prices were read
 */
public record Cost(BigDecimal total, BigDecimal stepFunctions, BigDecimal lambda, BigDecimal dynamoDb, BigDecimal s3Requests,
        BigDecimal s3Storage, BigDecimal eventBridge, String priceDate) {

    /** What a job consumed, and how long its objects are kept in the bucket. */
    public record Priced(Usage usage, Duration stored) {}

    /** {@code usage} at {@code prices}, its objects kept in the bucket for {@code stored}. */
    public static Cost of(Usage usage, Duration stored, PriceTable prices) {
        return sum(List.of(new Priced(usage, stored)), prices);
    }

    /** What {@code jobs} cost together at {@code prices}: their exact costs added, rounded once. */
    public static Cost sum(List<Priced> jobs, PriceTable prices) {
        BigDecimal stepFunctions = BigDecimal.ZERO;
        BigDecimal lambda = BigDecimal.ZERO;
        BigDecimal dynamoDb = BigDecimal.ZERO;
        BigDecimal s3Requests = BigDecimal.ZERO;
        BigDecimal s3Storage = BigDecimal.ZERO;
        BigDecimal eventBridge = BigDecimal.ZERO;
        for (Priced job : jobs) {
            Usage usage = job.usage();
            stepFunctions = stepFunctions.add(prices.transition().multiply(BigDecimal.valueOf(usage.transitions())));
            lambda = lambda.add(prices.lambdaRequest().multiply(BigDecimal.valueOf(usage.lambdaInvocations())))
                    .add(prices.lambdaGbSecond().multiply(BigDecimal.valueOf(usage.lambdaMbMillis()))
                            .divide(MB_MILLIS_PER_GB_SECOND));
            dynamoDb = dynamoDb.add(prices.readUnit().multiply(BigDecimal.valueOf(usage.readUnits())))
                    .add(prices.writeUnit().multiply(BigDecimal.valueOf(usage.writeUnits())));
            s3Requests = s3Requests.add(prices.s3ClassARequest().multiply(BigDecimal.valueOf(usage.s3ClassA())))
                    .add(prices.s3ClassBRequest().multiply(BigDecimal.valueOf(usage.s3ClassB())));
            s3Storage = s3Storage.add(prices.s3GbMonth().multiply(BigDecimal.valueOf(usage.storageGbMonths(job.stored()))));
            eventBridge = eventBridge.add(prices.event().multiply(BigDecimal.valueOf(usage.events())));
        }
        BigDecimal total = stepFunctions.add(lambda).add(dynamoDb).add(s3Requests).add(s3Storage).add(eventBridge);
        return new Cost(Billing.shown(total), Billing.shown(stepFunctions), Billing.shown(lambda), Billing.shown(dynamoDb),
                Billing.shown(s3Requests), Billing.shown(s3Storage), Billing.shown(eventBridge), prices.date());
    }

    /** Lambda's GB is 1,024 MB: MB-ms in a GB-s, an exact divisor (2^13 x 5^3). */
    private static final BigDecimal MB_MILLIS_PER_GB_SECOND = BigDecimal.valueOf(1024L * 1000L);
}
