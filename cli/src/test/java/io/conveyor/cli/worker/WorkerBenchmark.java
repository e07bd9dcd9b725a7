package io.conveyor.cli.worker;

import com.fasterxml.jackson.databind.JsonNode;
import io.conveyor.apiclient.JobApiClient;
import io.conveyor.cli.config.SettingsResolver;
import io.conveyor.cli.http.ApiClient;
import io.conveyor.local.runtime.LocalRuntime;
import io.conveyor.local.runtime.LocalRuntimeOptions;
import io.conveyor.scenarios.Scenarios;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Prints how many subjobs per second external workers get through on the local runtime (in memory), with one worker
 * and with eight, and what a subjob costs beyond its command. Each worker is the Java worker library over HTTP, in
 * this JVM, running a trivial command ({@code cat}: the input is the output) as a process per subjob, as
 * {@code conveyor worker} does. A job's time runs from its submission to SUCCEEDED as {@code GET /jobs/{id}} shows it
 * (polled every 20 ms), so it includes the split and the aggregation; the overhead per subjob is the job's wall time
 * through one worker, less the time the worker spent in the command, over the number of subjobs. Not a test: run it
 * by hand (see README.md, Benchmarks).
 *
 * <p>Arguments: subjobs per job (default 400), jobs per setting (default 2).
 */
public final class WorkerBenchmark {
    private static final String PROGRAMS = """
            [{"name": "bench", "implementation": "java:io.conveyor.programs.primes.PrimesProgram", "worker": "external",
              "external": {"capabilities": [], "heartbeatSeconds": 30}, "subJobTimeoutSeconds": 60,
              "maxConcurrency": 64}]""";

    private WorkerBenchmark() {}

    public static void main(String[] args) throws Exception {
        int subJobs = args.length > 0 ? Integer.parseInt(args[0]) : 400;
        int jobs = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        Path home = Files.createTempDirectory("conveyor-worker-benchmark");
        try (LocalRuntime runtime = LocalRuntime.start(LocalRuntimeOptions.builder().schedules(false)
                .environment("CONVEYOR_PROGRAMS", PROGRAMS).build())) {
            System.out.printf("load average at start: %s%n", loadAverage());
            run(runtime, home, "warm-up, 1 worker", 1, Math.min(100, subJobs), 1);
            run(runtime, home, "1 worker", 1, subJobs, jobs);
            run(runtime, home, "8 workers", 8, subJobs, jobs);
            System.out.printf("load average at the end: %s%n", loadAverage());
        }
        System.exit(0);
    }

    private static void run(LocalRuntime runtime, Path home, String setting, int workers, int subJobs, int jobs)
            throws Exception {
        AtomicLong commandNanos = new AtomicLong();
        CommandHandler command = new CommandHandler(List.of("cat"), false, 75);
        SubJobHandler timed = subJob -> {
            long t0 = System.nanoTime();
            try {
                return command.run(subJob);
            } finally {
                commandNanos.addAndGet(System.nanoTime() - t0);
            }
        };
        List<ExternalWorker> running = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            ExternalWorker worker = new ExternalWorker(api(runtime, home), List.of("bench"), List.of(),
                    Duration.ofSeconds(60), Duration.ofSeconds(20), timed, line -> { });
            Thread thread = new Thread(worker::run, "bench-worker-" + w);
            thread.start();
            running.add(worker);
            threads.add(thread);
        }
        JobApiClient client = new JobApiClient(runtime.apiEndpoint(), "bench");
        try {
            for (int j = 1; j <= jobs; j++) {
                commandNanos.set(0);
                long t0 = System.nanoTime();
                String id = client.post("/jobs", "{\"program\": \"bench\", \"parameters\": {\"from\": \"1\", \"to\": \""
                        + subJobs * 10 + "\", \"subJobs\": \"" + subJobs + "\"}, \"submit\": true}")
                        .json().path("job").path("jobId").asText();
                JsonNode job = Scenarios.awaitEnd(client, id, Duration.ofMinutes(30));
                double seconds = (System.nanoTime() - t0) / 1e9;
                double commandMs = commandNanos.get() / 1e6 / subJobs;
                double wallMs = seconds * 1000 / subJobs;
                // Through one worker subjobs run one after another: what each costs beyond its command is the overhead.
                String overhead = workers == 1 ? String.format("; overhead %.1f ms per subjob", wallMs - commandMs) : "";
                System.out.printf("%-18s job %d: %s, %d subjobs in %.1f s: %.1f subjobs/s, %.1f ms each; the command "
                                + "took %.1f ms on average%s%n", setting, j, job.path("status").asText(), subJobs, seconds,
                        subJobs / seconds, wallMs, commandMs, overhead);
            }
        } finally {
            running.forEach(w -> new Thread(() -> w.stop(Duration.ZERO)).start());
            for (Thread t : threads) {
                t.join(30_000);
            }
        }
    }

    private static ApiClient api(LocalRuntime runtime, Path home) {
        return ApiClient.create(new SettingsResolver(Map.of("CONVEYOR_ENDPOINT", runtime.apiEndpoint().toString(),
                "CONVEYOR_TOKEN", "bench"), home).resolve(new SettingsResolver.Flags(null, null, null, null, null, null)),
                "benchmark");
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }
}
