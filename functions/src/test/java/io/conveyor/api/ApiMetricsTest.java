package io.conveyor.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.conveyor.metrics.EmbeddedMetrics;
import io.conveyor.persistence.StoredJson;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The API's metric names, units and dimensions: what the dashboard, alarms and users' queries rely on. */
class ApiMetricsTest {

    @Test
    void eachCount_isOneDataPoint_inTheConveyorNamespace_withItsDimension() throws Exception {
        List<String> lines = new ArrayList<>();
        ApiMetrics metrics = new ApiMetrics(new EmbeddedMetrics("Conveyor", Clock.systemUTC(), lines::add));

        metrics.jobCreated("primes");
        metrics.jobSubmitted("primes");
        metrics.jobCancelled("primes");
        metrics.jobRetried("primes");
        metrics.clientError("InputsNotReady");
        metrics.serverError();

        List<String> described = new ArrayList<>();
        for (String line : lines) {
            var json = StoredJson.MAPPER.readTree(line);
            var directive = json.at("/_aws/CloudWatchMetrics/0");
            String name = directive.at("/Metrics/0/Name").asText();
            String dimension = directive.at("/Dimensions/0/0").asText();
            described.add(directive.path("Namespace").asText() + " " + name + " " + directive.at("/Metrics/0/Unit").asText()
                    + " " + json.path(name).asDouble() + " " + dimension + "=" + json.path(dimension).asText());
        }
        assertEquals(List.of(
                "Conveyor JobsCreated Count 1.0 Program=primes",
                "Conveyor JobsSubmitted Count 1.0 Program=primes",
                "Conveyor JobsCancelled Count 1.0 Program=primes",
                "Conveyor JobsRetried Count 1.0 Program=primes",
                "Conveyor ApiClientErrors Count 1.0 Code=InputsNotReady",
                "Conveyor ApiServerErrors Count 1.0 Service=api"), described);
    }
}
