package io.conveyor.asl.engine.state;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The States Language timestamps (Choice Timestamp* rules, Wait Timestamp): the ISO parser's answers, faster. */
class Rfc3339Test {

  @ParameterizedTest
  @ValueSource(strings = {
      "2016-03-14T01:59:00Z", "2016-03-14T01:59:00.123Z", "2016-03-14T01:59:00.123456789Z",
      "2016-03-14T01:59:00.1234567891Z", "2016-03-14T01:59:00+05:30", "2016-03-14T01:59:00-05:30",
      "2016-03-14T01:59:00-00:00", "2016-03-14T01:59:00+18:00", "2016-03-14T01:59:00+18:01",
      "2016-03-14T01:59:00+05:60", "2016-02-30T00:00:00Z", "2016-02-29T00:00:00Z", "2015-02-29T00:00:00Z",
      "2016-03-14T24:00:00Z", "2016-03-14T23:59:60Z", "2016-13-01T00:00:00Z", "0000-01-01T00:00:00Z",
      "2016-03-14t01:59:00Z", "2016-03-14T01:59:00z", "2016-03-14T01:59Z", "2016-03-14 01:59:00Z",
      "2016-03-14T01:59:00", "+2016-03-14T01:59:00Z"})
  void parse_acceptsWhatTheIsoParserAccepts_withTheSameInstant(String text) {
    Instant iso;
    try {
      iso = text.matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2})")
          ? OffsetDateTime.parse(text).toInstant() : null;
    } catch (DateTimeParseException e) {
      iso = null;
    }
    assertEquals(iso, Rfc3339.parse(text));
  }
}
