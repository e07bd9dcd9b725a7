package io.conveyor.local.runtime.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.conveyor.apiclient.JobApiClient;
import io.conveyor.deployment.Catalogue;
import io.conveyor.local.runtime.LocalRuntimeOptions;
import io.conveyor.local.runtime.testing.LocalRuntimeExtension;
import io.conveyor.scenarios.Await;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The worker protocol runs in a function of its own, with its own reserved concurrency, here one execution: a
 * worker's long poll holds it, so another poll is refused as a throttled integration (500), counted on the worker
 * protocol's function, while the job API answers as usual.
 */
class WorkerProtocolConcurrencyTest {
    private static final String PROGRAMS = """
            [{"name": "render", "implementation": "java:io.conveyor.scenarios.ScenarioProgram", "worker": "external",
              "external": {"capabilities": ["gpu"], "heartbeatSeconds": 10}}]""";

    @RegisterExtension
    static final LocalRuntimeExtension RUNTIME = new LocalRuntimeExtension(LocalRuntimeOptions.builder()
            .schedules(false)
            .environment("CONVEYOR_PROGRAMS", PROGRAMS)
            .reservedConcurrency(Catalogue.WORKER_PROTOCOL.name(), 1)
            .build());

    @Test
    void aWaitingPoll_takesTheWorkerProtocolsOnlyExecution_notTheApis() {
        JobApiClient alice = RUNTIME.api("alice");
        JobApiClient.Response registered = alice.post("/workers",
                "{\"programs\": [\"render\"], \"capabilities\": [\"gpu\"], \"leaseSeconds\": 60}");
        assertEquals(201, registered.status(), registered.text());
        String poll = "/workers/" + registered.json().path("workerId").asText() + "/poll";

        // Nothing is offered: the poll waits its whole 15 s in the function's one execution (long enough for a loaded
        // machine to send the next one meanwhile).
        // On a thread of its own: the common pool has one thread on a two-core machine, which may be busy.
        ExecutorService pollThread = Executors.newSingleThreadExecutor();
        CompletableFuture<JobApiClient.Response> waiting = CompletableFuture.supplyAsync(
                () -> alice.post(poll + "?waitSeconds=15", ""), pollThread);
        pollThread.shutdown();
        // Only once it holds the execution: a quick poll sent before would take it first and refuse the waiting one.
        Await.until("the waiting poll holds the function's one execution", Duration.ofSeconds(10),
                () -> RUNTIME.runtime().lambda().limits().running(Catalogue.WORKER_PROTOCOL.name()) == 1);
        JobApiClient.Response refused = Await.until("a poll refused while another waits", Duration.ofSeconds(15), () -> {
            JobApiClient.Response r = alice.post(poll + "?waitSeconds=0", "");
            return r.status() == 500 ? r : null;
        });
        assertEquals(500, refused.status(), "API Gateway answers a throttled Lambda integration with a 500");
        assertEquals(200, alice.get("/programs").status(), "the job API has executions of its own");

        assertEquals(204, waiting.join().status(), "the waiting poll ends with no subjob");
        assertTrue(RUNTIME.runtime().lambda().throttles(Catalogue.WORKER_PROTOCOL.name()) > 0);
        assertEquals(0, RUNTIME.runtime().lambda().throttles(Catalogue.API.name()));
        JsonNode workerProtocol = null;
        for (JsonNode f : alice.get("/_local/functions").json().path("functions")) {
            if (f.path("name").asText().equals(Catalogue.WORKER_PROTOCOL.name())) {
                workerProtocol = f;
            }
        }
        assertEquals(1, workerProtocol.path("reservedConcurrency").asInt(), String.valueOf(workerProtocol));
    }
}
