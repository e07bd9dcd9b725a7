package io.conveyor.asl.engine.state;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The States Language's timestamps (Choice Timestamp* rules, Wait Timestamp and TimestampPath). */
public final class Rfc3339 {

  private static final Pattern PATTERN = Pattern.compile(
      "(\\d{4})-(\\d{2})-(\\d{2})T(\\d{2}):(\\d{2}):(\\d{2})(?:\\.(\\d+))?(?:Z|([+-])(\\d{2}):(\\d{2}))");

  private Rfc3339() {
  }

  /**
   * Parses an RFC 3339 timestamp with uppercase T and Z, as the States Language requires; null if invalid. Built
   * from the pattern's fields rather than parsed again, with the ISO parser's limits: real dates and times (no
   * leap second), at most nine fraction digits, offsets up to 18 hours.
   */
  public static Instant parse(String s) {
    Matcher m = PATTERN.matcher(s);
    if (!m.matches()) {
      return null;
    }
    String fraction = m.group(7);
    if (fraction != null && fraction.length() > 9) {
      return null;
    }
    try {
      int nanos = fraction == null ? 0 : Integer.parseInt((fraction + "00000000").substring(0, 9));
      ZoneOffset offset = ZoneOffset.UTC;
      if (m.group(8) != null) {
        int sign = m.group(8).equals("-") ? -1 : 1;
        offset = ZoneOffset.ofHoursMinutes(sign * Integer.parseInt(m.group(9)), sign * Integer.parseInt(m.group(10)));
      }
      return LocalDateTime.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
          Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4)), Integer.parseInt(m.group(5)),
          Integer.parseInt(m.group(6)), nanos).toInstant(offset);
    } catch (DateTimeException e) {
      return null;
    }
  }
}
