package io.conveyor.persistence;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Instants as stored in keys: fixed width to the millisecond, so that they sort as text in time order
 * ({@link Instant#toString()} drops trailing zero fractions and would not).
 */
public final class Timestamps {
    private static final DateTimeFormatter SORTABLE =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private Timestamps() {}

    public static String sortable(Instant instant) {
        return SORTABLE.format(instant);
    }

    public static Instant parse(String text) {
        return Instant.parse(text);
    }
}
