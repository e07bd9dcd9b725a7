package io.conveyor.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.conveyor.apiclient.JobApiClient;
import io.conveyor.scenarios.ScenarioTarget.Capability;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A finished job stays readable, result and download URLs included, and a running job goes on to its end, after the
 * whole deployment restarts on its data.
 */
public abstract class RestartScenarios {

    /** The deployment these scenarios run against, running from before the first scenario to after the last. */
    protected abstract ScenarioTarget target();

    @Test
    void finishedJob_staysReadableWithItsResult_afterARestart() {
        Scenarios.require(target(), Capability.RESTART_ON_SAME_DATA);
        JobApiClient dave = target().api("dave");
        String id = Scenarios.submit(dave, "primes", Map.of("to", 10_000, "subJobs", 4));
        assertEquals("SUCCEEDED", Scenarios.awaitEnd(dave, id).path("status").asText());
        JsonNode before = Scenarios.result(dave, id);
        String urlBefore = dave.get("/jobs/" + id + "/result").json().path("url").asText();

        target().restart();

        dave = target().api("dave");
        JsonNode job = Scenarios.job(dave, id);
        assertEquals("SUCCEEDED", job.path("status").asText());
        assertEquals(4, job.path("progress").path("succeeded").asInt());
        assertEquals(4, dave.get("/jobs/" + id + "/subjobs").json().path("subJobs").size());
        assertEquals(before, Scenarios.result(dave, id), "a fresh download URL serves the same result");
        assertEquals(1229, before.path("primes").asLong());
        JobApiClient.Response earlier = dave.send("GET", URI.create(urlBefore), Map.of(), null);
        assertEquals(200, earlier.status(), "a download URL handed out before the restart still works: " + earlier.text());
    }

    @Test
    void runningJob_goesOnAfterARestart_andSucceedsWithEachSubjobCountedOnce() {
        Scenarios.require(target(), Capability.RESTART_ON_SAME_DATA);
        JobApiClient erin = target().api("erin");
        String id = Scenarios.submit(erin, "primes", Map.of("to", 100_000_000, "subJobs", 20));

        target().restart();

        erin = target().api("erin");
        JsonNode job = Scenarios.awaitEnd(erin, id);
        assertEquals("SUCCEEDED", job.path("status").asText(), job.toString());
        assertEquals(20, job.path("progress").path("succeeded").asInt());
        assertEquals(5_761_455, Scenarios.result(erin, id).path("primes").asLong(), "the primes below 10^8");
    }
}
