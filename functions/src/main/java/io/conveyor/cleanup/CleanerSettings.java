package io.conveyor.cleanup;

import io.conveyor.config.ConfigurationException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The cleaner's own settings, read once from the environment at start-up and validated as a whole (the
 * deployment's tables and bucket come from {@link io.conveyor.config.Settings}).
 *
 * @param interval     {@code CONVEYOR_CLEANER_INTERVAL} (ISO-8601 duration, whole minutes), default PT1H: how often
 *                     the scheduled rule runs the cleaner; read by whoever wires the schedule (CDK stack, local
 *                     runtime), see {@link #scheduleExpression()}
 * @param grace        {@code CONVEYOR_CLEANER_GRACE} (ISO-8601 duration), default PT15M: a job is deleted only once
 *                     its stored expiry is at least this long past by the cleaner's clock, so a writer whose clock
 *                     lags the cleaner's by less than this already treats the job as expired (and refuses to retry
 *                     it) before anything of it is deleted; it also outlasts the longest Lambda invocation and the
 *                     default presigned URL lifetime, so nothing still in flight writes under a deleted prefix
 * @param safetyMargin {@code CONVEYOR_CLEANER_SAFETY_MARGIN} (ISO-8601 duration), default PT30S: no new job is
 *                     started once the invocation has less than this left; it must cover cleaning one job
 * @param batchSize    {@code CONVEYOR_CLEANER_BATCH_SIZE}, default 25: expired job ids read from the index at a time
 */
public record CleanerSettings(Duration interval, Duration grace, Duration safetyMargin, int batchSize) {

    /** The defaults, for tests and for the local runtime. */
    public static final CleanerSettings DEFAULTS =
            new CleanerSettings(Duration.ofHours(1), Duration.ofMinutes(15), Duration.ofSeconds(30), 25);

    public CleanerSettings {
        if (interval.isNegative() || interval.toMinutes() < 1 || !interval.equals(Duration.ofMinutes(interval.toMinutes()))) {
            throw new IllegalArgumentException("interval must be a whole number of minutes, at least 1, was " + interval);
        }
        if (grace.isNegative() || safetyMargin.isNegative()) {
            throw new IllegalArgumentException("grace and safety margin must not be negative");
        }
        if (batchSize < 1 || batchSize > 1000) {
            throw new IllegalArgumentException("batch size must be between 1 and 1000, was " + batchSize);
        }
    }

    /** Reads the settings from this process's environment. */
    public static CleanerSettings fromEnvironment() {
        return from(io.conveyor.config.FunctionEnvironment.current());
    }

    /**
     * Reads the settings from {@code env}.
     *
     * @throws ConfigurationException naming every bad setting
     */
    public static CleanerSettings from(Map<String, String> env) {
        List<String> problems = new ArrayList<>();
        Duration interval = duration(env, "CONVEYOR_CLEANER_INTERVAL", DEFAULTS.interval, problems);
        if (interval.toMinutes() < 1 || !interval.equals(Duration.ofMinutes(interval.toMinutes()))) {
            problems.add("CONVEYOR_CLEANER_INTERVAL must be a whole number of minutes, at least PT1M (EventBridge's"
                    + " smallest rate), was '" + env.get("CONVEYOR_CLEANER_INTERVAL") + "'");
            interval = DEFAULTS.interval;
        }
        Duration grace = duration(env, "CONVEYOR_CLEANER_GRACE", DEFAULTS.grace, problems);
        Duration safetyMargin = duration(env, "CONVEYOR_CLEANER_SAFETY_MARGIN", DEFAULTS.safetyMargin, problems);
        int batchSize = DEFAULTS.batchSize;
        Optional<String> batch = value(env, "CONVEYOR_CLEANER_BATCH_SIZE");
        if (batch.isPresent()) {
            try {
                batchSize = Integer.parseInt(batch.get());
            } catch (NumberFormatException e) {
                batchSize = 0;
            }
            if (batchSize < 1 || batchSize > 1000) {
                problems.add("CONVEYOR_CLEANER_BATCH_SIZE must be a whole number from 1 to 1000, was '" + batch.get() + "'");
                batchSize = DEFAULTS.batchSize;
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigurationException(problems);
        }
        return new CleanerSettings(interval, grace, safetyMargin, batchSize);
    }

    /** The EventBridge schedule for {@link #interval()}, such as {@code rate(1 hour)} or {@code rate(90 minutes)}. */
    public String scheduleExpression() {
        long minutes = interval.toMinutes();
        if (minutes % (24 * 60) == 0) {
            return rate(minutes / (24 * 60), "day");
        }
        if (minutes % 60 == 0) {
            return rate(minutes / 60, "hour");
        }
        return rate(minutes, "minute");
    }

    private static String rate(long n, String unit) {
        return "rate(" + n + " " + unit + (n == 1 ? "" : "s") + ")";
    }

    private static Optional<String> value(Map<String, String> env, String name) {
        String v = env.get(name);
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
    }

    private static Duration duration(Map<String, String> env, String name, Duration fallback, List<String> problems) {
        Optional<String> v = value(env, name);
        if (v.isEmpty()) {
            return fallback;
        }
        try {
            Duration d = Duration.parse(v.get());
            if (!d.isNegative()) {
                return d;
            }
        } catch (DateTimeParseException e) {
            // reported below
        }
        problems.add(name + " must be an ISO-8601 duration of zero or more (for example PT30S or PT1H), was '"
                + v.get() + "'");
        return fallback;
    }
}
