package io.conveyor.local.runtime.schedule;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An EventBridge rate expression: {@code rate(value unit)}, the unit {@code minute}, {@code hour} or {@code day},
 * singular for 1 and plural above, as EventBridge requires. Locally, {@code second(s)} is also accepted, for demos
 * (EventBridge's smallest rate is one minute).
 *
 * @param text   the expression as written
 * @param period the time between two runs
 */
public record ScheduleExpression(String text, Duration period) {
    private static final Pattern RATE = Pattern.compile("rate\\(\\s*(\\d+)\\s+([a-z]+)\\s*\\)");

    /**
     * Parses {@code text}.
     *
     * @throws IllegalArgumentException saying what is wrong, for a cron expression too (not run locally)
     */
    public static ScheduleExpression parse(String text) {
        String s = text == null ? "" : text.trim();
        if (s.startsWith("cron(")) {
            throw new IllegalArgumentException("'" + s + "': the local runtime runs rate(...) schedules only, such as "
                    + "rate(1 hour) or rate(5 minutes); give one with --cleaner-schedule");
        }
        Matcher m = RATE.matcher(s.toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + s + "' is not a rate expression such as rate(1 hour) or rate(5 minutes)");
        }
        long value;
        try {
            value = Long.parseLong(m.group(1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + s + "': the rate's value is too large");
        }
        if (value < 1) {
            throw new IllegalArgumentException("'" + s + "': the rate's value must be a whole number above 0");
        }
        String unit = m.group(2);
        String singular = unit.endsWith("s") ? unit.substring(0, unit.length() - 1) : unit;
        Duration one = switch (singular) {
            case "second" -> Duration.ofSeconds(1);
            case "minute" -> Duration.ofMinutes(1);
            case "hour" -> Duration.ofHours(1);
            case "day" -> Duration.ofDays(1);
            default -> throw new IllegalArgumentException("'" + s + "': the unit must be minute(s), hour(s) or day(s)");
        };
        boolean plural = unit.endsWith("s");
        if (plural != (value != 1)) {
            throw new IllegalArgumentException("'" + s + "': write rate(1 " + singular + ") for one and rate(" + value
                    + " " + singular + "s) for more, as EventBridge requires");
        }
        return new ScheduleExpression(s, one.multipliedBy(value));
    }

    @Override
    public String toString() {
        return text;
    }
}
