package io.conveyor.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conveyor.metrics.EmbeddedMetrics.Unit;
import io.conveyor.metrics.EmbeddedMetrics.Value;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The lines CloudWatch extracts metrics from, as the embedded metric format specifies them. */
class EmbeddedMetricsTest {
    private final List<String> lines = new ArrayList<>();
    private final EmbeddedMetrics metrics = new EmbeddedMetrics("Conveyor",
            Clock.fixed(Instant.ofEpochMilli(1_795_000_000_123L), ZoneOffset.UTC), lines::add);

    @Test
    void put_oneValue_writesOneLineDeclaringTheMetricItsUnitAndItsDimensions() {
        metrics.put("SubJobDuration", 1250, Unit.MILLISECONDS, Map.of("Program", "primes"));

        assertEquals(List.of("{\"_aws\":{\"Timestamp\":1795000000123,\"CloudWatchMetrics\":[{\"Namespace\":\"Conveyor\","
                + "\"Metrics\":[{\"Name\":\"SubJobDuration\",\"Unit\":\"Milliseconds\"}],\"Dimensions\":[[\"Program\"]]}]},"
                + "\"Program\":\"primes\",\"SubJobDuration\":1250.0}"), lines);
    }

    @Test
    void serviceDimension_isTheServiceName_orSaysItIsUndefined() {
        assertEquals(Map.of("Service", "conveyor-cleaner"), EmbeddedMetrics.serviceDimension("conveyor-cleaner"));
        assertEquals(Map.of("Service", "service_undefined"), EmbeddedMetrics.serviceDimension(null));
        assertEquals(Map.of("Service", "service_undefined"), EmbeddedMetrics.serviceDimension(" "));
    }

    @Test
    void putOrLog_writesTheLine_andAFailureToWriteItIsNotThrown() {
        metrics.putOrLog(List.of(new Value("WorkersFoundDead", 1, Unit.COUNT)), Map.of("Service", "s"));
        assertEquals(1, lines.size());
        EmbeddedMetrics broken = new EmbeddedMetrics("Conveyor", Clock.systemUTC(), line -> {
            throw new IllegalStateException("the log is gone");
        });
        broken.putOrLog(List.of(new Value("WorkersFoundDead", 1, Unit.COUNT)), Map.of("Service", "s"));
        assertThrows(IllegalStateException.class,
                () -> broken.put(List.of(new Value("WorkersFoundDead", 1, Unit.COUNT)), Map.of("Service", "s")));
    }

    @Test
    void put_severalValues_writesThemOnOneLineSharingTheDimensions() {
        Map<String, String> dimensions = new LinkedHashMap<>();
        dimensions.put("Service", "conveyor-cleaner");
        dimensions.put("Stage", "prod");

        metrics.put(List.of(new Value("JobsDeleted", 2, Unit.COUNT), new Value("CleanupErrors", 0, Unit.COUNT)), dimensions);

        assertEquals(List.of("{\"_aws\":{\"Timestamp\":1795000000123,\"CloudWatchMetrics\":[{\"Namespace\":\"Conveyor\","
                + "\"Metrics\":[{\"Name\":\"JobsDeleted\",\"Unit\":\"Count\"},{\"Name\":\"CleanupErrors\",\"Unit\":\"Count\"}],"
                + "\"Dimensions\":[[\"Service\",\"Stage\"]]}]},\"Service\":\"conveyor-cleaner\",\"Stage\":\"prod\","
                + "\"JobsDeleted\":2.0,\"CleanupErrors\":0.0}"), lines);
    }

    @Test
    void put_aMetricNamedLikeADimension_isRefusedRatherThanPublishedWrong() {
        assertThrows(IllegalArgumentException.class,
                () -> metrics.put("Program", 1, Unit.COUNT, Map.of("Program", "primes")));
        assertEquals(List.of(), lines);
    }

    @Test
    void put_noValues_isRefused() {
        assertThrows(IllegalArgumentException.class, () -> metrics.put(List.of(), Map.of("Program", "primes")));
    }

    @Test
    void standardOutput_followsARedirectionMadeAfterItWasBuilt() {
        EmbeddedMetrics published = EmbeddedMetrics.standardOutput("Conveyor");
        List<String> redirected = new ArrayList<>();
        EmbeddedMetrics.redirect(redirected::add);
        try {
            published.put("JobsCreated", 1, Unit.COUNT, Map.of("Program", "primes"));
        } finally {
            EmbeddedMetrics.redirect(line -> System.out.println(line));
        }
        assertEquals(1, redirected.size());
        assertTrue(redirected.get(0).contains("\"JobsCreated\":1.0"), redirected.get(0));
    }
}
