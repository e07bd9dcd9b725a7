package io.conveyor.cli.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.conveyor.apiclient.JobApiClient;
import io.conveyor.cli.ConveyorCli;
import io.conveyor.cli.ExitCodes;
import io.conveyor.local.runtime.LocalRuntime;
import io.conveyor.local.runtime.LocalRuntimeOptions;
import io.conveyor.programs.primes.PrimesProgram;
import io.conveyor.scenarios.Await;
import io.conveyor.scenarios.Scenarios;
import io.conveyor.worker.WorkerIdentities;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whole jobs completed by {@code conveyor worker} processes, each a JVM of its own running a shell command per subjob,
 * against the local runtime: a worker killed with {@code kill -9} in the middle of a subjob, and a thousand subjobs
 * shared by four workers, two of them a worker identity's. Each command appends the index of the subjob it starts to its worker's file, so the test
 * knows which worker ran what, and how many times.
 */
@Timeout(600)
class WorkerProcessesScenarioTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Primes counted by external workers; the shortest heartbeat, so a killed worker's subjob is offered again soon. */
    private static final String PROGRAMS = """
            [{"name": "primes-ext", "implementation": "java:io.conveyor.programs.primes.PrimesProgram", "worker": "external",
              "external": {"capabilities": [], "heartbeatSeconds": 5}, "subJobTimeoutSeconds": 120, "maxConcurrency": 40,
              "retry": {"intervalSeconds": 1, "backoffRate": 1.0, "maxDelaySeconds": 1, "jitter": "NONE", "maxAttempts": 3},
              "reRegistration": {"delaySeconds": 1, "maxAttempts": 1}}]""";
    /** Counts the primes of the input's range with awk: the subjob's output, as the program's own worker would. */
    private static final String COUNT = """
            #!/bin/sh
            echo "$CONVEYOR_SUBJOB_INDEX" >> "$WORKER_RUNS"
            exec awk '{ match($0, /"from":[0-9]+/); from = substr($0, RSTART + 7, RLENGTH - 7) + 0
                        match($0, /"to":[0-9]+/); to = substr($0, RSTART + 5, RLENGTH - 5) + 0 }
                END { c = 0
                      for (n = from; n <= to; n++) { if (n < 2) continue; p = 1
                          for (d = 2; d * d <= n; d++) if (n % d == 0) { p = 0; break }
                          c += p }
                      printf "{\\"from\\":%d,\\"to\\":%d,\\"count\\":%d}\\n", from, to, c }'
            """;
    /** Takes the subjob and never finishes it. */
    private static final String HANG = """
            #!/bin/sh
            echo "$CONVEYOR_SUBJOB_INDEX" >> "$WORKER_RUNS"
            exec sleep 600
            """;

    @TempDir
    static Path dir;
    private static LocalRuntime runtime;
    private final List<Process> workers = new ArrayList<>();

    @BeforeAll
    static void startRuntime() {
        runtime = LocalRuntime.start(LocalRuntimeOptions.builder().schedules(false)
                .environment("CONVEYOR_PROGRAMS", PROGRAMS)
                .environment(WorkerIdentities.SETTING, "{\"render-farm\": [\"bob\"]}").build());
    }

    @AfterAll
    static void stopRuntime() {
        if (runtime != null) {
            runtime.close();
        }
    }

    @AfterEach
    void killWorkers() {
        workers.forEach(WorkerProcessesScenarioTest::killWithChildren);
    }

    /** {@code kill -9} of the worker and of the command it runs: the machine is gone. */
    private static void killWithChildren(Process worker) {
        List<ProcessHandle> children = worker.descendants().toList();
        worker.destroyForcibly();
        children.forEach(ProcessHandle::destroyForcibly);
        try {
            worker.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Path script(String name, String text) throws IOException {
        Path script = dir.resolve(name);
        if (!Files.exists(script)) {
            Files.writeString(script, text);
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        return script;
    }

    /** {@code conveyor worker} as {@code user}, in a JVM of its own, running {@code script} per subjob. */
    /** {@code conveyor worker} as {@code user}, with {@code options} before the command. */
    private Process startWorker(String user, Path script, Path runs, String... options) throws IOException {
        Files.createDirectories(dir.resolve("home"));
        List<String> commandLine = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-XX:TieredStopAtLevel=1",
                ConveyorCli.class.getName(), "worker", "--program", "primes-ext", "--grace", "0"));
        commandLine.addAll(List.of(options));
        commandLine.addAll(List.of("--", script.toString()));
        ProcessBuilder builder = new ProcessBuilder(commandLine)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve(runs.getFileName() + ".log").toFile());
        Map<String, String> env = builder.environment();
        env.put("HOME", dir.resolve("home").toString());
        env.put("CONVEYOR_ENDPOINT", runtime.apiEndpoint().toString());
        env.put("CONVEYOR_TOKEN", user);
        env.put("WORKER_RUNS", runs.toString());
        Process worker = builder.start();
        workers.add(worker);
        return worker;
    }

    /** The subjob indexes a worker started, in order. */
    private static List<Integer> runs(Path runs) throws IOException {
        return Files.exists(runs) ? Files.readAllLines(runs).stream().filter(l -> !l.isBlank()).map(Integer::valueOf).toList()
                : List.of();
    }

    private static String submit(JobApiClient client, long to, int subJobs) {
        JobApiClient.Response created = client.post("/jobs", "{\"program\": \"primes-ext\", \"parameters\": {\"from\": \"1\", "
                + "\"to\": \"" + to + "\", \"subJobs\": \"" + subJobs + "\"}, \"submit\": true}");
        assertEquals(201, created.status(), created.text());
        return created.json().path("job").path("jobId").asText();
    }

    private static JsonNode result(JobApiClient client, String id) throws IOException {
        return JSON.readTree(URI.create(client.get("/jobs/" + id + "/result").json().path("url").asText()).toURL());
    }

    @Test
    void aWorkerKilledMidSubjob_hasItsSubjobOfferedAgain_andFinishedByAnotherWorker() throws Exception {
        JobApiClient alice = new JobApiClient(runtime.apiEndpoint(), "alice");
        Path doomedRuns = dir.resolve("doomed.runs");
        Process doomed = startWorker("alice", script("hang.sh", HANG), doomedRuns);
        String id = submit(alice, 2_000, 2);

        int taken = Await.until("the doomed worker taking a subjob", Duration.ofSeconds(60),
                () -> uncheckedRuns(doomedRuns).isEmpty() ? null : uncheckedRuns(doomedRuns).get(0));
        killWithChildren(doomed);
        assertFalse(doomed.isAlive());

        Path healthyRuns = dir.resolve("healthy.runs");
        startWorker("alice", script("count.sh", COUNT), healthyRuns);
        JsonNode job = Scenarios.awaitEnd(alice, id, Duration.ofSeconds(120));

        assertEquals("SUCCEEDED", job.path("status").asText(), job.toString());
        JsonNode result = result(alice, id);
        assertEquals(PrimesProgram.countPrimes(1, 2_000), result.path("primes").asLong(), result.toString());
        assertEquals(2, result.path("subJobs").asInt());
        assertEquals(List.of(taken), runs(doomedRuns), "the killed worker started one subjob and no other");
        assertEquals(List.of(0, 1), runs(healthyRuns).stream().sorted().toList(), "the other ran both, the retaken one too");
        JsonNode retaken = alice.get("/jobs/" + id + "/subjobs").json().path("subJobs").get(taken);
        assertEquals("SUCCEEDED", retaken.path("status").asText(), retaken.toString());
        assertEquals(2, retaken.path("attempts").asInt(), "started on the killed worker, then on the other");
    }

    @Test
    void aWorkerIdentityNamingAnOwnerItMayNotWorkFor_isRefusedAtRegistration_andTheWorkerStopsSayingWhy() throws Exception {
        Path runs = dir.resolve("refused.runs");
        Process refused = startWorker("render-farm", script("count.sh", COUNT), runs, "--works-for", "mallory");
        assertTrue(refused.waitFor(60, TimeUnit.SECONDS), "the worker stopped");
        String log = Files.readString(dir.resolve(runs.getFileName() + ".log"));
        assertEquals(ExitCodes.API, refused.exitValue(), log);
        assertTrue(log.contains("may work for [render-farm, bob] only, not for [mallory]") && log.contains("NotAllowedToWorkFor"), log);
        assertEquals(List.of(), runs(runs), "it took nothing");
    }

    @Test
    void aThousandSubjobsOverFourWorkerProcesses_twoOfThemAWorkerIdentitys_finish_withEverySubjobCountedOnce() throws Exception {
        JobApiClient bob = new JobApiClient(runtime.apiEndpoint(), "bob");
        List<Path> runFiles = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            Path runs = dir.resolve("bob-" + w + ".runs");
            runFiles.add(runs);
            // Two of bob's own, and two of a worker identity the deployment lets work for bob, one of them naming him.
            startWorker(w < 2 ? "bob" : "render-farm", script("count.sh", COUNT), runs,
                    w == 3 ? new String[] {"--works-for", "bob"} : new String[0]);
        }
        String id = submit(bob, 100_000, 1_000);
        JsonNode job = Scenarios.awaitEnd(bob, id, Duration.ofSeconds(480));

        assertEquals("SUCCEEDED", job.path("status").asText(), job.toString());
        assertEquals(1_000, job.path("progress").path("succeeded").asInt(), job.toString());
        assertEquals(0, job.path("progress").path("failed").asInt(), job.toString());
        JsonNode result = result(bob, id);
        assertEquals(1_000, result.path("subJobs").asInt(), "the aggregator read a thousand outputs");
        assertEquals(PrimesProgram.countPrimes(1, 100_000), result.path("primes").asLong(), "each range counted once");

        Map<Integer, Integer> started = new TreeMap<>();
        for (Path runs : runFiles) {
            runs(runs).forEach(index -> started.merge(index, 1, Integer::sum));
        }
        assertEquals(1_000, started.size(), "every subjob ran on a worker");
        int byTheIdentity = uncheckedRuns(runFiles.get(2)).size() + uncheckedRuns(runFiles.get(3)).size();
        assertTrue(byTheIdentity > 0 && byTheIdentity < 1_000, "the worker identity's workers took bob's subjobs, "
                + "beside bob's own: " + byTheIdentity);
        assertEquals(List.of(), started.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList(),
                "no subjob ran twice");
    }

    private static List<Integer> uncheckedRuns(Path runs) {
        try {
            return runs(runs);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
