package io.conveyor.usage;

import java.math.BigDecimal;
import java.time.Duration;

/**
 * What a usage costs at a price table, in US dollars, per category and in total. Each category is its units times its
 * price, exactly; what is shown is rounded once ({@link Billing#shown}), and the total is the exact sum rounded, so it
 * may differ from the sum of the rounded categories in the last place.
 *
 * @param priceDate when the price table's prices were read
 */
public record Cost(BigDecimal total, BigDecimal stepFunctions, BigDecimal lambda, BigDecimal dynamoDb, BigDecimal s3Requests,
        BigDecimal s3Storage, BigDecimal eventBridge, String priceDate) {

    /** {@code usage} at {@code prices}, its objects kept in the bucket for {@code stored}. */
    public static Cost of(Usage usage, Duration stored, PriceTable prices) {
        BigDecimal stepFunctions = prices.transition().multiply(BigDecimal.valueOf(usage.transitions()));
        BigDecimal lambda = prices.lambdaRequest().multiply(BigDecimal.valueOf(usage.lambdaInvocations()))
                .add(prices.lambdaGbSecond().multiply(BigDecimal.valueOf(usage.lambdaMbMillis()))
                        .divide(BigDecimal.valueOf(1024L * 1000L)));
        BigDecimal dynamoDb = prices.readUnit().multiply(BigDecimal.valueOf(usage.readUnits()))
                .add(prices.writeUnit().multiply(BigDecimal.valueOf(usage.writeUnits())));
        BigDecimal s3Requests = prices.s3ClassARequest().multiply(BigDecimal.valueOf(usage.s3ClassA()))
                .add(prices.s3ClassBRequest().multiply(BigDecimal.valueOf(usage.s3ClassB())));
        BigDecimal s3Storage = prices.s3GbMonth().multiply(BigDecimal.valueOf(usage.storageGbMonths(stored)));
        BigDecimal eventBridge = prices.event().multiply(BigDecimal.valueOf(usage.events()));
        BigDecimal total = stepFunctions.add(lambda).add(dynamoDb).add(s3Requests).add(s3Storage).add(eventBridge);
        return new Cost(Billing.shown(total), Billing.shown(stepFunctions), Billing.shown(lambda), Billing.shown(dynamoDb),
                Billing.shown(s3Requests), Billing.shown(s3Storage), Billing.shown(eventBridge), prices.date());
    }
}
