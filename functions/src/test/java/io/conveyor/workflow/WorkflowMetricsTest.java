package io.conveyor.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.conveyor.metrics.EmbeddedMetrics;
import io.conveyor.persistence.StoredJson;
import io.conveyor.usage.Cost;
import io.conveyor.usage.PriceTable;
import io.conveyor.usage.Usage;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The workflow's metric names, units and dimensions: what the dashboard and users' queries rely on. */
class WorkflowMetricsTest {

    @Test
    void aJobsUsageAndCost_areOneRecordPerProgram() throws Exception {
        List<String> lines = new ArrayList<>();
        WorkflowMetrics metrics = new WorkflowMetrics(new EmbeddedMetrics("Conveyor", Clock.systemUTC(), lines::add));
        Usage usage = new Usage(10, 9, 1_024_000, 7.5, 30, 2, 1, 100, 1);
        metrics.jobConsumed("primes", usage, Cost.of(usage, Duration.ZERO, PriceTable.defaults()));

        assertEquals(1, lines.size());
        var json = StoredJson.MAPPER.readTree(lines.get(0));
        List<String> described = new ArrayList<>();
        json.at("/_aws/CloudWatchMetrics/0/Metrics").forEach(m -> described.add(m.path("Name").asText() + " "
                + m.path("Unit").asText() + " " + json.path(m.path("Name").asText()).asDouble()));
        assertEquals(List.of("JobCostUsd None 2.9622E-4", "JobStateTransitions Count 10.0",
                "JobLambdaInvocations Count 9.0", "JobLambdaGbSeconds None 1.0", "JobDynamoDbReadUnits None 7.5",
                "JobDynamoDbWriteUnits None 30.0", "JobS3Requests Count 3.0"), described);
        assertEquals("primes", json.path("Program").asText());
    }

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
