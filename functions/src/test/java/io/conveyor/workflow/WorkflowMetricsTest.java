package io.conveyor.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.conveyor.metrics.EmbeddedMetrics;
import io.conveyor.persistence.StoredJson;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The workflow's metric names, units and dimensions: what the dashboard and users' queries rely on. */
class WorkflowMetricsTest {

    @Test
    void eachOutcome_isOneDataPointPerProgram_andASubJobAlsoReportsItsDuration() throws Exception {
        List<String> lines = new ArrayList<>();
        WorkflowMetrics metrics = new WorkflowMetrics(new EmbeddedMetrics("Conveyor", Clock.systemUTC(), lines::add));

        metrics.jobSucceeded("primes");
        metrics.jobFailed("primes");
        metrics.jobReregistered("primes");
        metrics.subJobEnded("primes", Duration.ofMillis(1250), false);
        metrics.subJobEnded("primes", Duration.ofMillis(40), true);

        List<String> described = new ArrayList<>();
        for (String line : lines) {
            var json = StoredJson.MAPPER.readTree(line);
            var directive = json.at("/_aws/CloudWatchMetrics/0");
            String name = directive.at("/Metrics/0/Name").asText();
            described.add(directive.path("Namespace").asText() + " " + name + " " + directive.at("/Metrics/0/Unit").asText()
                    + " " + json.path(name).asDouble() + " " + directive.at("/Dimensions/0").toString() + "="
                    + json.path("Program").asText());
        }
        assertEquals(List.of(
                "Conveyor JobsSucceeded Count 1.0 [\"Program\"]=primes",
                "Conveyor JobsFailed Count 1.0 [\"Program\"]=primes",
                "Conveyor JobsReregistered Count 1.0 [\"Program\"]=primes",
                "Conveyor SubJobsSucceeded Count 1.0 [\"Program\"]=primes",
                "Conveyor SubJobDuration Milliseconds 1250.0 [\"Program\"]=primes",
                "Conveyor SubJobsFailed Count 1.0 [\"Program\"]=primes",
                "Conveyor SubJobDuration Milliseconds 40.0 [\"Program\"]=primes"), described);
    }
}
