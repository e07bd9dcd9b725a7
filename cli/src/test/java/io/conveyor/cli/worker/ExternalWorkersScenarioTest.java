package io.conveyor.cli.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.conveyor.apiclient.JobApiClient;
import io.conveyor.cli.CliRunner;
import io.conveyor.cli.config.SettingsResolver;
import io.conveyor.cli.http.ApiClient;
import io.conveyor.cli.http.ApiError;
import io.conveyor.local.runtime.LocalRuntime;
import io.conveyor.local.runtime.LocalRuntimeOptions;
import io.conveyor.programs.primes.PrimesProgram;
import io.conveyor.scenarios.Await;
import io.conveyor.scenarios.Scenarios;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whole jobs of a program whose worker is external, through the local runtime (the real API, workflow and engine,
 * with Step Functions' heartbeat timeouts in real time), completed by workers run from the test: one through the
 * Java worker library, one speaking the protocol by hand so that it can die mid-subjob and answer late.
 */
@Timeout(180)
class ExternalWorkersScenarioTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Primes counted on external workers with a GPU; a 5 s heartbeat, so a dead worker's subjob is retaken soon. */
    private static final String PROGRAMS = """
            [{"name": "primes-gpu", "implementation": "java:io.conveyor.programs.primes.PrimesProgram", "worker": "external",
              "external": {"capabilities": ["gpu", "memoryGiB>=16"], "heartbeatSeconds": 5}, "subJobTimeoutSeconds": 120,
              "retry": {"intervalSeconds": 1, "backoffRate": 1.0, "maxDelaySeconds": 1, "jitter": "NONE", "maxAttempts": 3},
              "reRegistration": {"delaySeconds": 1, "maxAttempts": 1}}]""";
    private static LocalRuntime runtime;
    @TempDir
    static Path home;

    @BeforeAll
    static void startRuntime() {
        runtime = LocalRuntime.start(LocalRuntimeOptions.builder().schedules(false)
                .environment("CONVEYOR_PROGRAMS", PROGRAMS).build());
    }

    @AfterAll
    static void stopRuntime() {
        if (runtime != null) {
            runtime.close();
        }
    }

    private static ApiClient api(String user) {
        return ApiClient.create(new SettingsResolver(Map.of("CONVEYOR_ENDPOINT", runtime.apiEndpoint().toString(),
                "CONVEYOR_TOKEN", user), home).resolve(new SettingsResolver.Flags(null, null, null, null, null, null)),
                "scenario");
    }

    private static CliRunner cli(String user) {
        return new CliRunner(Map.of("CONVEYOR_ENDPOINT", runtime.apiEndpoint().toString(), "CONVEYOR_TOKEN", user), home,
                home, false);
    }

    private static String submit(JobApiClient client, long to, int subJobs) {
        JobApiClient.Response created = client.post("/jobs", "{\"program\": \"primes-gpu\", \"parameters\": {\"from\": \"1\", "
                + "\"to\": \"" + to + "\", \"subJobs\": \"" + subJobs + "\"}}");
        assertEquals(201, created.status(), created.text());
        String id = created.json().path("job").path("jobId").asText();
        JobApiClient.Response submitted = client.post("/jobs/" + id + "/submit", "");
        assertEquals(202, submitted.status(), submitted.text());
        return id;
    }

    @Test
    void aWorkerDyingMidSubjob_hasItsSubjobRetakenAndFinishedByAnother_andItsLateAnswerIsRefused() throws Exception {
        JobApiClient alice = new JobApiClient(runtime.apiEndpoint(), "alice");
        ApiClient doomedApi = api("alice");
        String id = submit(alice, 40_000, 4);

        // The doomed worker takes the first subjob offered, then dies: it never heartbeats nor answers.
        String doomed = doomedApi.post("/workers", JSON.readTree(
                "{\"programs\": [\"primes-gpu\"], \"capabilities\": [\"gpu\", \"memoryGiB=32\"], \"leaseSeconds\": 60, "
                + "\"name\": \"doomed-box\"}"))
                .path("workerId").asText();
        JsonNode held = doomedApi.send(new ApiClient.Call("POST", "/workers/" + doomed + "/poll",
                Map.of("waitSeconds", "20"), Map.of(), null));
        assertTrue(held.hasNonNull("taskId"), "the doomed worker got a subjob: " + held);
        int doomedIndex = held.path("index").asInt();

        // GET /workers and conveyor workers show alice her worker, alive and holding that subjob; bob sees none.
        JsonNode listed = alice.get("/workers").json().path("workers");
        assertEquals(1, listed.size(), listed.toString());
        assertEquals(List.of(doomed, "doomed-box", "ALIVE"), List.of(listed.get(0).path("workerId").asText(),
                listed.get(0).path("name").asText(), listed.get(0).path("health").asText()));
        assertEquals(List.of("gpu", "memoryGiB=32"), JSON.convertValue(listed.get(0).path("capabilities"), List.class));
        assertEquals(JSON.createArrayNode().add(JSON.createObjectNode().put("jobId", id).put("attempt", 1)
                .put("index", doomedIndex)), listed.get(0).path("holds"));
        assertEquals(0, new JobApiClient(runtime.apiEndpoint(), "bob").get("/workers").json().path("workers").size(),
                "another user sees none of alice's workers");
        String registered = "/_local/events?detail-type=WorkerRegistered&source=io.conveyor";
        JsonNode announced = alice.get(registered).json().path("events");
        assertEquals(1, announced.size(), announced.toString());
        assertEquals(List.of(doomed, "alice", "doomed-box"), List.of(announced.get(0).path("detail").path("workerId").asText(),
                announced.get(0).path("detail").path("owner").asText(), announced.get(0).path("detail").path("name").asText()));
        assertEquals(0, new JobApiClient(runtime.apiEndpoint(), "bob").get(registered).json().path("events").size(),
                "another user sees none of alice's worker events");
        CliRunner.Result table = cli("alice").run("workers");
        assertEquals(0, table.exitCode(), table.toString());
        assertTrue(table.out().startsWith("WORKER"), table.out());
        assertTrue(table.out().lines().skip(1).findFirst().orElseThrow().matches(
                "\\Q" + doomed + "\\E +doomed-box +ALIVE +\\S+ +gpu,memoryGiB=32 +\\Q" + id + "#" + doomedIndex + "\\E *"),
                table.out());
        CliRunner.Result json = cli("alice").run("workers", "--json");
        assertEquals(listed, JSON.readTree(json.out()).path("workers"), json.toString());

        // The healthy worker, through the Java library, takes every other subjob and then the doomed one's.
        Map<Integer, Integer> runs = new ConcurrentHashMap<>();
        List<String> log = new CopyOnWriteArrayList<>();
        ExternalWorker healthy = new ExternalWorker(api("alice"), List.of("primes-gpu"), List.of("gpu", "memoryGiB=64"),
                Duration.ofSeconds(60), Duration.ofSeconds(5), subJob -> {
                    runs.merge(subJob.index(), 1, Integer::sum);
                    long from = subJob.input().path("from").asLong();
                    long to = subJob.input().path("to").asLong();
                    return JSON.createObjectNode().put("from", from).put("to", to)
                            .put("count", PrimesProgram.countPrimes(from, to));
                }, log::add);
        Thread running = new Thread(healthy::run, "healthy-worker");
        running.start();
        try {
            JsonNode job = Scenarios.awaitEnd(alice, id, Duration.ofSeconds(90));
            assertEquals("SUCCEEDED", job.path("status").asText(), job + "\n" + log);
            assertEquals(PrimesProgram.countPrimes(1, 40_000),
                    JSON.readTree(java.net.URI.create(alice.get("/jobs/" + id + "/result").json().path("url").asText())
                            .toURL()).path("primes").asLong());
            assertEquals(Map.of(0, 1, 1, 1, 2, 1, 3, 1), runs, "each subjob ran once on the healthy worker: " + log);
            JsonNode retaken = alice.get("/jobs/" + id + "/subjobs").json().path("subJobs").get(doomedIndex);
            assertEquals("SUCCEEDED", retaken.path("status").asText());
            assertEquals(2, retaken.path("attempts").asInt(), "taken by the doomed worker, then by the healthy one");
            JsonNode ranBy = retaken.path("runs");
            assertEquals(List.of("WORKER", "WORKER"), List.of(ranBy.get(0).path("kind").asText(), ranBy.get(1).path("kind").asText()),
                    ranBy.toString());
            assertEquals(List.of(doomed, "doomed-box"), List.of(ranBy.get(0).path("workerId").asText(),
                    ranBy.get(0).path("workerName").asText()), "the first attempt ran on the doomed worker: " + ranBy);
            assertEquals(List.of(healthy.id(), ExternalWorker.processName()), List.of(ranBy.get(1).path("workerId").asText(),
                    ranBy.get(1).path("workerName").asText()), "the second on the healthy one: " + ranBy);
            for (int i = 0; i < 4; i++) {
                if (i != doomedIndex) {
                    JsonNode other = alice.get("/jobs/" + id + "/subjobs").json().path("subJobs").get(i).path("runs");
                    assertEquals(1, other.size(), other.toString());
                    assertEquals(healthy.id(), other.get(0).path("workerId").asText(), other.toString());
                }
            }

            // The doomed worker comes back to life and answers: refused, and the result stands.
            ApiError late = assertThrows(ApiError.class, () -> doomedApi.post("/workers/" + doomed + "/subjobs/"
                    + held.path("taskId").asText() + "/complete", JSON.readTree("{\"output\": {\"count\": 999999}}")));
            assertEquals(409, late.status());
            assertEquals("SubJobTakenAway", late.code());
            assertEquals(PrimesProgram.countPrimes(1, 40_000),
                    JSON.readTree(java.net.URI.create(alice.get("/jobs/" + id + "/result").json().path("url").asText())
                            .toURL()).path("primes").asLong());
        } finally {
            healthy.stop(Duration.ZERO);
            running.join(30_000);
        }
    }

    @Test
    void theSampleProgramOnWorkers_runsOnAWorkerOfTheCommandLine_withTheExampleNodeCommand() throws Exception {
        // Submitted before any worker of dave's runs: the job says that its subjobs wait for one, and how to start it.
        JobApiClient dave = new JobApiClient(runtime.apiEndpoint(), "dave");
        JobApiClient.Response created = dave.post("/jobs", "{\"program\": \"primes-on-workers\", \"submit\": true, "
                + "\"parameters\": {\"to\": \"100000\", \"subJobs\": \"3\"}}");
        assertEquals(201, created.status(), created.text());
        String id = created.json().path("job").path("jobId").asText();
        JsonNode waiting = Await.until("the job's subjobs offered to dave's workers", Duration.ofSeconds(60), () -> {
            JsonNode w = dave.get("/jobs/" + id).json().path("waitingForWorkers");
            return w.path("subJobs").asInt() == 3 ? w : null;
        });
        assertTrue(waiting.path("message").asText().contains("conveyor worker --program primes-on-workers"), waiting.toString());
        CliRunner.Result status = new CliRunner(Map.of("CONVEYOR_ENDPOINT", runtime.apiEndpoint().toString(),
                "CONVEYOR_TOKEN", "dave"), home, home, false).run("status", id);
        assertTrue(status.out().contains("Waiting:    3 subjobs wait for an external worker of dave"), status.toString());

        // What the README has a user run: conveyor worker --program primes-on-workers -- node cli/examples/count-primes.mjs
        Path example = Path.of("examples", "count-primes.mjs").toAbsolutePath();
        List<String> log = new CopyOnWriteArrayList<>();
        ExternalWorker worker = new ExternalWorker(api("dave"), List.of("primes-on-workers"), List.of(),
                Duration.ofSeconds(60), Duration.ofSeconds(5),
                new CommandHandler(List.of("node", example.toString()), false, 75), log::add);
        Thread running = new Thread(worker::run, "example-worker");
        running.start();
        try {
            JsonNode job = Scenarios.awaitEnd(dave, id, Duration.ofSeconds(90));
            assertEquals("SUCCEEDED", job.path("status").asText(), job + "\n" + log);
            JsonNode result = JSON.readTree(java.net.URI.create(dave.get("/jobs/" + id + "/result").json().path("url")
                    .asText()).toURL());
            assertEquals(9592, result.path("primes").asLong(), "the primes up to 100,000, counted by the Node command");
            assertEquals(3, result.path("subJobs").asInt());
        } finally {
            worker.stop(Duration.ZERO);
            running.join(30_000);
        }
    }
}
