package io.conveyor.cleanup;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.conveyor.deployment.Catalogue;
import io.conveyor.metrics.EmbeddedMetrics;
import io.conveyor.persistence.StoredJson;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Keeps the EMF lines a handler publishes and reads them back as CloudWatch would: metric names and values. */
final class RecordingMetrics {
    static final String SERVICE = "conveyor-cleaner";
    private final List<JsonNode> lines = new ArrayList<>();
    /** What the handler publishes through. */
    final EmbeddedMetrics emf = new EmbeddedMetrics(Catalogue.METRICS_NAMESPACE,
            Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC), this::record);

    private void record(String line) {
        try {
            lines.add(StoredJson.MAPPER.readTree(line));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** How many EMF lines were written. */
    int flushes() {
        return lines.size();
    }

    /**
     * The metrics of the last line, by name (none before the first), after checking that it declares each of them in
     * the Conveyor namespace with the Service dimension the stack's alarms watch.
     */
    Map<String, Double> flushed() {
        Map<String, Double> values = new LinkedHashMap<>();
        if (lines.isEmpty()) {
            return values;
        }
        JsonNode line = lines.get(lines.size() - 1);
        JsonNode directive = line.path("_aws").path("CloudWatchMetrics").path(0);
        assertEquals(Catalogue.METRICS_NAMESPACE, directive.path("Namespace").asText());
        assertEquals("[[\"Service\"]]", directive.path("Dimensions").toString());
        assertEquals(SERVICE, line.path("Service").asText());
        for (JsonNode definition : directive.path("Metrics")) {
            assertEquals("Count", definition.path("Unit").asText());
            String name = definition.path("Name").asText();
            values.put(name, line.path(name).asDouble());
        }
        return values;
    }
}
