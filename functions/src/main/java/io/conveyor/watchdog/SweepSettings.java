package io.conveyor.watchdog;

import io.conveyor.config.ConfigurationException;
import io.conveyor.config.FunctionEnvironment;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The execution sweep's settings, read once from the environment at start-up and validated as a whole.
 *
 * @param quietPeriod   {@code CONVEYOR_SWEEP_QUIET_PERIOD} (ISO-8601 duration), default PT15M: a queued or running
 *                      job becomes a suspect once its status has not changed for this long. The rule's event
 *                      normally ends a job within seconds of its execution; this only bounds how late the sweep is
 * @param describeRate  {@code CONVEYOR_SWEEP_DESCRIBE_RATE}, default 5: DescribeExecution calls a second at most,
 *                      above 0 and at most 10, so the sweep leaves most of the account's 15 a second to others
 * @param maxSuspects   {@code CONVEYOR_SWEEP_MAX_SUSPECTS}, default 1000: suspects examined per run, 1 to 10,000
 * @param safetyMargin  {@code CONVEYOR_SWEEP_SAFETY_MARGIN} (ISO-8601 duration), default PT30S: no suspect is
 *                      examined once the invocation has less than this left
 */
public record SweepSettings(Duration quietPeriod, double describeRate, int maxSuspects, Duration safetyMargin) {
    public static final SweepSettings DEFAULTS = new SweepSettings(Duration.ofMinutes(15), 5, 1000, Duration.ofSeconds(30));
    /** The most DescribeExecution calls a second the sweep may make: two thirds of the account's 15. */
    static final double MAX_DESCRIBE_RATE = 10;

    public SweepSettings {
        if (quietPeriod.isNegative() || safetyMargin.isNegative()) {
            throw new IllegalArgumentException("the quiet period and the safety margin must not be negative");
        }
        if (!(describeRate > 0 && describeRate <= MAX_DESCRIBE_RATE)) {
            throw new IllegalArgumentException("the describe rate must be above 0 and at most " + MAX_DESCRIBE_RATE
                    + " a second, was " + describeRate);
        }
        if (maxSuspects < 1 || maxSuspects > 10_000) {
            throw new IllegalArgumentException("max suspects must be from 1 to 10000, was " + maxSuspects);
        }
    }

    public static SweepSettings fromEnvironment() {
        return from(FunctionEnvironment.current());
    }

    /** @throws ConfigurationException naming every bad setting */
    public static SweepSettings from(Map<String, String> env) {
        List<String> problems = new ArrayList<>();
        Duration quiet = duration(env, "CONVEYOR_SWEEP_QUIET_PERIOD", DEFAULTS.quietPeriod, problems);
        Duration margin = duration(env, "CONVEYOR_SWEEP_SAFETY_MARGIN", DEFAULTS.safetyMargin, problems);
        double rate = DEFAULTS.describeRate;
        String rateText = value(env, "CONVEYOR_SWEEP_DESCRIBE_RATE");
        if (rateText != null) {
            try {
                rate = Double.parseDouble(rateText);
            } catch (NumberFormatException e) {
                rate = Double.NaN;
            }
            if (!(rate > 0 && rate <= MAX_DESCRIBE_RATE)) {
                problems.add("CONVEYOR_SWEEP_DESCRIBE_RATE must be a number above 0 and at most " + MAX_DESCRIBE_RATE
                        + " (DescribeExecution calls a second; the account's limit is 15), was '" + rateText + "'");
                rate = DEFAULTS.describeRate;
            }
        }
        int max = DEFAULTS.maxSuspects;
        String maxText = value(env, "CONVEYOR_SWEEP_MAX_SUSPECTS");
        if (maxText != null) {
            try {
                max = Integer.parseInt(maxText);
            } catch (NumberFormatException e) {
                max = 0;
            }
            if (max < 1 || max > 10_000) {
                problems.add("CONVEYOR_SWEEP_MAX_SUSPECTS must be a whole number from 1 to 10000, was '" + maxText + "'");
                max = DEFAULTS.maxSuspects;
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigurationException(problems);
        }
        return new SweepSettings(quiet, rate, max, margin);
    }

    private static String value(Map<String, String> env, String name) {
        String v = env.get(name);
        return v == null || v.isBlank() ? null : v.trim();
    }

    private static Duration duration(Map<String, String> env, String name, Duration fallback, List<String> problems) {
        String v = value(env, name);
        if (v == null) {
            return fallback;
        }
        try {
            Duration d = Duration.parse(v);
            if (!d.isNegative()) {
                return d;
            }
        } catch (DateTimeParseException e) {
            // reported below
        }
        problems.add(name + " must be an ISO-8601 duration of zero or more (for example PT15M), was '" + v + "'");
        return fallback;
    }
}
