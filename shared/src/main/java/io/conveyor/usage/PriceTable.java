package io.conveyor.usage;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The prices a job's usage is priced at, in US dollars per unit, with where they apply and when and where they were
 * read. The defaults are the resource {@code io/conveyor/usage/prices.properties}; a deployment overrides any entry.
 *
 * @param region       the region the prices are for
 * @param architecture the Lambda architecture of {@link #lambdaGbSecond}
 * @param date         when the prices were read off their source (ISO date)
 * @param source       where they were read
 */
public record PriceTable(String region, String architecture, String date, String source, BigDecimal transition,
        BigDecimal lambdaRequest, BigDecimal lambdaGbSecond, BigDecimal readUnit, BigDecimal writeUnit,
        BigDecimal s3ClassARequest, BigDecimal s3ClassBRequest, BigDecimal s3GbMonth, BigDecimal event) {

    static final String RESOURCE = "io/conveyor/usage/prices.properties";
    private static final List<String> KEYS = List.of("region", "architecture", "date", "source",
            "stepFunctions.transition", "lambda.request", "lambda.gbSecond", "dynamoDb.readUnit", "dynamoDb.writeUnit",
            "s3.classARequest", "s3.classBRequest", "s3.gbMonth", "eventBridge.event");

    /** The defaults, for us-east-1. */
    public static PriceTable defaults() {
        return withOverrides("");
    }

    /**
     * The defaults with the entries of {@code overrides} in their place: {@code key=value} pairs separated by commas or
     * new lines, keys as in the resource (for example {@code region=eu-west-1,lambda.gbSecond=0.0000133334,date=2026-12-01}).
     *
     * @throws IllegalArgumentException naming each unknown key and each price that is not a non-negative number
     */
    public static PriceTable withOverrides(String overrides) {
        Properties values = new Properties();
        try (InputStream in = PriceTable.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the price table " + RESOURCE + " is missing from the class path");
            }
            values.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
        Properties given = new Properties();
        try {
            given.load(new StringReader(overrides.replace(',', '\n')));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> problems = new ArrayList<>();
        Map<String, String> merged = new TreeMap<>();
        values.forEach((k, v) -> merged.put(k.toString(), v.toString().trim()));
        given.forEach((k, v) -> {
            if (!KEYS.contains(k.toString())) {
                problems.add("unknown price '" + k + "' (known: " + String.join(", ", KEYS) + ")");
            } else {
                merged.put(k.toString(), v.toString().trim());
            }
        });
        List<BigDecimal> prices = new ArrayList<>();
        for (String key : KEYS.subList(4, KEYS.size())) {
            try {
                BigDecimal price = new BigDecimal(merged.get(key));
                if (price.signum() < 0) {
                    problems.add("price '" + key + "' is negative: " + price);
                }
                prices.add(price);
            } catch (NumberFormatException | NullPointerException e) {
                problems.add("price '" + key + "' must be a decimal number of US dollars per unit, was '" + merged.get(key) + "'");
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        return new PriceTable(merged.get("region"), merged.get("architecture"), merged.get("date"), merged.get("source"),
                prices.get(0), prices.get(1), prices.get(2), prices.get(3), prices.get(4), prices.get(5), prices.get(6),
                prices.get(7), prices.get(8));
    }
}
