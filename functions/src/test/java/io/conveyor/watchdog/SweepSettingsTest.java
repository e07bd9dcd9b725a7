package io.conveyor.watchdog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conveyor.config.ConfigurationException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SweepSettingsTest {

    @Test
    void defaults_leaveTwoThirdsOfTheAccountsDescribeRateToOthers() {
        SweepSettings defaults = SweepSettings.from(Map.of());
        assertEquals(SweepSettings.DEFAULTS, defaults);
        assertEquals(Duration.ofMinutes(15), defaults.quietPeriod());
        assertEquals(5, defaults.describeRate());
    }

    @Test
    void everySetting_isRead() {
        SweepSettings settings = SweepSettings.from(Map.of("CONVEYOR_SWEEP_QUIET_PERIOD", "PT0S",
                "CONVEYOR_SWEEP_DESCRIBE_RATE", "2.5", "CONVEYOR_SWEEP_MAX_SUSPECTS", "200",
                "CONVEYOR_SWEEP_SAFETY_MARGIN", "PT1M"));
        assertEquals(new SweepSettings(Duration.ZERO, 2.5, 200, Duration.ofMinutes(1)), settings);
    }

    @Test
    void badSettings_areAllNamed_withWhatToChange() {
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> SweepSettings.from(Map.of(
                "CONVEYOR_SWEEP_QUIET_PERIOD", "15 minutes", "CONVEYOR_SWEEP_DESCRIBE_RATE", "15",
                "CONVEYOR_SWEEP_MAX_SUSPECTS", "0")));
        assertTrue(e.getMessage().contains("CONVEYOR_SWEEP_QUIET_PERIOD must be an ISO-8601 duration"), e.getMessage());
        assertTrue(e.getMessage().contains("CONVEYOR_SWEEP_DESCRIBE_RATE must be a number above 0 and at most 10.0"),
                e.getMessage());
        assertTrue(e.getMessage().contains("CONVEYOR_SWEEP_MAX_SUSPECTS must be a whole number from 1 to 10000"),
                e.getMessage());
    }
}
