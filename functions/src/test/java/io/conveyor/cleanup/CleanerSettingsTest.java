package io.conveyor.cleanup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.conveyor.config.ConfigurationException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CleanerSettingsTest {
    @Test
    void from_anEmptyEnvironment_givesTheDefaults() {
        CleanerSettings settings = CleanerSettings.from(Map.of());
        assertEquals(CleanerSettings.DEFAULTS, settings);
        assertEquals(Duration.ofHours(1), settings.interval());
        assertEquals(Duration.ofMinutes(15), settings.grace());
        assertEquals(Duration.ofSeconds(30), settings.safetyMargin());
        assertEquals(25, settings.batchSize());
        assertEquals("rate(1 hour)", settings.scheduleExpression());
    }

    @Test
    void from_readsEverySetting() {
        CleanerSettings settings = CleanerSettings.from(Map.of(
                "CONVEYOR_CLEANER_INTERVAL", "PT15M",
                "CONVEYOR_CLEANER_GRACE", "PT1H",
                "CONVEYOR_CLEANER_SAFETY_MARGIN", "PT1M",
                "CONVEYOR_CLEANER_BATCH_SIZE", "100"));
        assertEquals(new CleanerSettings(Duration.ofMinutes(15), Duration.ofHours(1), Duration.ofMinutes(1), 100),
                settings);
        assertEquals("rate(15 minutes)", settings.scheduleExpression());
    }

    @Test
    void from_badValues_failsNamingEachOne() {
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> CleanerSettings.from(Map.of(
                "CONVEYOR_CLEANER_INTERVAL", "PT30S",
                "CONVEYOR_CLEANER_GRACE", "fifteen minutes",
                "CONVEYOR_CLEANER_SAFETY_MARGIN", "-PT1S",
                "CONVEYOR_CLEANER_BATCH_SIZE", "0")));
        List<String> named = e.problems().stream().map(p -> p.substring(0, p.indexOf(' '))).toList();
        assertEquals(List.of("CONVEYOR_CLEANER_INTERVAL", "CONVEYOR_CLEANER_GRACE", "CONVEYOR_CLEANER_SAFETY_MARGIN",
                "CONVEYOR_CLEANER_BATCH_SIZE"), named);
    }

    @Test
    void scheduleExpression_usesTheLargestWholeUnit() {
        assertEquals("rate(1 minute)", interval(Duration.ofMinutes(1)).scheduleExpression());
        assertEquals("rate(90 minutes)", interval(Duration.ofMinutes(90)).scheduleExpression());
        assertEquals("rate(6 hours)", interval(Duration.ofHours(6)).scheduleExpression());
        assertEquals("rate(1 day)", interval(Duration.ofDays(1)).scheduleExpression());
        assertEquals("rate(2 days)", interval(Duration.ofDays(2)).scheduleExpression());
    }

    private static CleanerSettings interval(Duration interval) {
        return new CleanerSettings(interval, Duration.ZERO, Duration.ZERO, 1);
    }
}
