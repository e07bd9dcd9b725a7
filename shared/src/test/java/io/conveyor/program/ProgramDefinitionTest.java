package io.conveyor.program;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ProgramDefinitionTest {

    private static ProgramDefinition program(double tolerated) {
        return new ProgramDefinition("word-frequency", "java:a.Splitter", "java:a.Worker", "java:a.Aggregator", 50, RetryPolicy.DEFAULT,
                ReRegistrationPolicy.DEFAULT, tolerated, Duration.ofMinutes(1), Duration.ofDays(7));
    }

    @Test
    void reRegistration_doublesItsDelayAndStopsAtMaxAttempts() {
        ReRegistrationPolicy policy = new ReRegistrationPolicy(Duration.ofSeconds(10), 3);
        assertEquals(Duration.ofSeconds(10), policy.delayAfter(1));
        assertEquals(Duration.ofSeconds(20), policy.delayAfter(2));
        assertTrue(policy.allowsAnotherAfter(2));
        assertFalse(policy.allowsAnotherAfter(3));
    }

    @Test
    void tolerance_isAShareOfAllSubjobs() {
        assertTrue(program(10).tolerates(1, 10));
        assertFalse(program(10).tolerates(2, 10));
        assertTrue(program(0).tolerates(0, 10));
        assertFalse(program(0).tolerates(1, 1000));
    }

    @Test
    void badLimits_areRefusedWithTheFieldNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> program(101));
        assertTrue(e.getMessage().contains("toleratedFailurePercentage"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new ProgramDefinition("Bad Name", "java:a.S", "java:a.W", "java:a.A", 1,
                RetryPolicy.DEFAULT, ReRegistrationPolicy.DEFAULT, 0, Duration.ofSeconds(5), Duration.ofDays(1)));
        assertTrue(e.getMessage().contains("program name"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new RetryPolicy(Duration.ofSeconds(1), 0.5, Duration.ofSeconds(5), JitterStrategy.NONE, 3));
        assertTrue(e.getMessage().contains("backoffRate"), e.getMessage());
    }
}
