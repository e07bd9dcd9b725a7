package io.conveyor.local.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.conveyor.local.runtime.LocalApiClient;
import io.conveyor.local.runtime.LocalRuntime;
import io.conveyor.local.runtime.LocalRuntimeOptions;
import io.conveyor.local.runtime.testing.LocalRuntimeExtension;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With a data directory, a finished job stays readable, result included, after the runtime restarts. */
class RestartScenariosTest {
    @TempDir
    Path dataDir;

    @Test
    void finishedJob_staysReadableWithItsResult_afterARestart() {
        LocalRuntimeOptions options = LocalRuntimeOptions.builder().dataDir(dataDir).schedules(false)
                .timeScale(LocalRuntimeExtension.DEFAULT_TIME_SCALE).build();
        String id;
        JsonNode before;
        try (LocalRuntime first = LocalRuntime.start(options)) {
            LocalApiClient dave = new LocalApiClient(first.apiEndpoint(), "dave");
            id = Scenarios.submit(dave, "primes", Map.of("to", 10_000, "subJobs", 4));
            assertEquals("SUCCEEDED", Scenarios.awaitEnd(dave, id).path("status").asText());
            before = Scenarios.result(dave, id);
        }
        try (LocalRuntime second = LocalRuntime.start(options)) {
            LocalApiClient dave = new LocalApiClient(second.apiEndpoint(), "dave");
            JsonNode job = Scenarios.job(dave, id);
            assertEquals("SUCCEEDED", job.path("status").asText());
            assertEquals(4, job.path("progress").path("succeeded").asInt());
            assertEquals(4, dave.get("/jobs/" + id + "/subjobs").json().path("subJobs").size());
            assertEquals(before, Scenarios.result(dave, id), "a fresh download URL serves the same result");
            assertEquals(1229, before.path("primes").asLong());
        }
    }
}
