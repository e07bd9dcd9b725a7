package io.conveyor.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.conveyor.apiclient.JobApiClient;
import io.conveyor.scenarios.ScenarioTarget.Capability;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A finished job stays readable, result included, after the whole deployment restarts on its data. */
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

        target().restart();

        dave = target().api("dave");
        JsonNode job = Scenarios.job(dave, id);
        assertEquals("SUCCEEDED", job.path("status").asText());
        assertEquals(4, job.path("progress").path("succeeded").asInt());
        assertEquals(4, dave.get("/jobs/" + id + "/subjobs").json().path("subJobs").size());
        assertEquals(before, Scenarios.result(dave, id), "a fresh download URL serves the same result");
        assertEquals(1229, before.path("primes").asLong());
    }
}
