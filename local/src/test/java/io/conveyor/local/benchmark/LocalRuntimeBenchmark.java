package io.conveyor.local.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import io.conveyor.apiclient.JobApiClient;
import io.conveyor.local.runtime.LocalRuntime;
import io.conveyor.local.runtime.LocalRuntimeOptions;
import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * Whole-product figures on the local runtime, printed, not asserted: start-up time; submit-to-SUCCEEDED latency of
 * a trivial job (p50, p95) one at a time and with concurrent clients (throughput); and one large job (wall time,
 * orchestration overhead per subjob against the bare work, peak heap). A job's end is taken from the
 * {@code JobStatusChanged} event the runtime's bus records, not by polling the API: polling every few milliseconds
 * would load the two cores it measures, and polling slower would add up to its interval to every figure.
 *
 * <p>Run: {@code mvn -B -q install -DskipTests && mvn -B -q -pl local test-compile exec:java
 * -Dexec.classpathScope=test -Dexec.mainClass=io.conveyor.local.benchmark.LocalRuntimeBenchmark
 * -Dexec.args="--trivial 40 --clients 4 --subjobs 10000"}. {@code --warmup N} runs N jobs first (default 1);
 * {@code --timeline} prints one trivial job's SDK calls next to its execution history ({@link SdkCallTimeline});
 * {@code --clients 0} and {@code --subjobs 0} leave those parts out; {@code --large-runs N} runs the large job N
 * times, the first in a JVM still compiling what it runs, the later ones in a warmer one; {@code --data-dir DIR}
 * runs the runtime on a data directory (an empty one, for figures comparable between runs).
 */
public final class LocalRuntimeBenchmark {
    private static final Set<String> TERMINAL = Set.of("SUCCEEDED", "FAILED", "CANCELLED");
    /** The terminal status of each job, completed by the event bus's listener. */
    private static final Map<String, CompletableFuture<String>> ENDINGS = new ConcurrentHashMap<>();

    public static void main(String[] args) throws Exception {
        int trivial = intArg(args, "--trivial", 40);
        int clients = intArg(args, "--clients", 4);
        int subJobs = intArg(args, "--subjobs", 10_000);
        int warmUp = intArg(args, "--warmup", 1);
        int largeRuns = intArg(args, "--large-runs", 1);
        long started = System.nanoTime();
        int exit = 0;
        LocalRuntimeOptions.Builder options = LocalRuntimeOptions.builder().schedules(false);
        String dataDir = stringArg(args, "--data-dir");
        if (dataDir != null) {
            options.dataDir(java.nio.file.Path.of(dataDir));
        }
        try (LocalRuntime runtime = LocalRuntime.start(options.build())) {
            System.out.printf("start-up: %.2f s%n", (System.nanoTime() - started) / 1e9);
            runtime.events().subscribe(event -> {
                JsonNode detail = event.detail();
                if (detail != null && TERMINAL.contains(detail.path("newStatus").asText())) {
                    EVENT_SEEN.put(detail.path("jobId").asText(), System.nanoTime());
                    ending(detail.path("jobId").asText()).complete(detail.path("newStatus").asText());
                }
            });
            JobApiClient api = new JobApiClient(runtime.apiEndpoint(), "bench");
            for (int i = 0; i < warmUp; i++) {
                runJob(api, "{\"to\": 10, \"subJobs\": 1}"); // warm every function (and the JIT) up
            }

            List<Double> latencies = new ArrayList<>();
            long cpuBefore = processCpuNanos();
            for (int i = 0; i < trivial; i++) {
                latencies.add(runJob(api, "{\"to\": 10, \"subJobs\": 1}"));
            }
            long cpu = processCpuNanos() - cpuBefore;
            print("trivial job, one client", latencies);
            // Less disturbed than the latency by other programs on the machine: the CPU this JVM spent per job.
            System.out.printf("CPU per trivial job (this JVM, every thread): %.0f ms%n", cpu / 1e6 / trivial);
            if (hasFlag(args, "--timeline")) {
                timeline(runtime, api);
            }

            if (clients > 0) {
            List<Double> concurrent = Collections.synchronizedList(new ArrayList<>());
            ExecutorService pool = Executors.newFixedThreadPool(clients);
            long wave = System.nanoTime();
            List<Future<?>> runs = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                JobApiClient client = new JobApiClient(runtime.apiEndpoint(), "bench-" + c);
                runs.add(pool.submit(() -> {
                    for (int i = 0; i < trivial / clients; i++) {
                        concurrent.add(runJob(client, "{\"to\": 10, \"subJobs\": 1}"));
                    }
                    return null;
                }));
            }
            for (Future<?> run : runs) {
                run.get();
            }
            pool.shutdown();
            double seconds = (System.nanoTime() - wave) / 1e9;
            print("trivial job, " + clients + " clients", concurrent);
            System.out.printf("throughput with %d clients: %.1f jobs/s%n", clients, concurrent.size() / seconds);
            }

            for (int run = 1; subJobs > 0 && run <= largeRuns; run++) {
                resetPeaks();
                double wall = runJob(api, "{\"to\": " + subJobs + ", \"subJobs\": " + subJobs + "}");
                long peak = peakHeap();
                // The work itself (a sieve over a handful of numbers) is microseconds: the wall time is orchestration.
                System.out.printf("%d-subjob job, run %d: %.1f s wall, %.2f ms orchestration per subjob, peak heap %d MiB"
                                + " in use, %d MiB still in use after a collection%n",
                        subJobs, run, wall / 1000, wall / subJobs, peak / (1024 * 1024), PEAK_AFTER_GC.get() / (1024 * 1024));
            }
        } catch (RuntimeException e) {
            e.printStackTrace();
            exit = 1;
        }
        // A program run in-process may leave non-daemon threads behind.
        System.exit(exit);
    }

    /**
     * Creates, submits and follows one primes job; its submit-to-end time in milliseconds. The job has no inputs, so
     * one request creates and submits it: the time runs from sending that request.
     */
    private static double runJob(JobApiClient api, String parameters) {
        long start = System.nanoTime();
        JobApiClient.Response created = api.post("/jobs", "{\"program\": \"primes\", \"parameters\": " + parameters + ", \"submit\": true}");
        if (created.status() != 201) {
            throw new IllegalStateException("create answered " + created.status() + ": " + created.text());
        }
        String id = created.json().path("job").path("jobId").asText();
        lastJobId = id;
        String status = ending(id).orTimeout(10, TimeUnit.MINUTES).join();
        double millis = (System.nanoTime() - start) / 1e6;
        ENDINGS.remove(id);
        if (!"SUCCEEDED".equals(status)) {
            throw new IllegalStateException("job " + id + " ended " + status + ": " + api.get("/jobs/" + id).text());
        }
        return millis;
    }

    /**
     * Runs one trivial job with every SDK call timed ({@link SdkCallTimeline}) and prints its timeline: the SDK calls
     * (time in the SDK before the request went out, on the wire, after the answer) and the execution's history
     * events, in milliseconds from sending the request that creates the job.
     */
    private static void timeline(LocalRuntime runtime, JobApiClient api) {
        long wallZero = System.currentTimeMillis();
        long zero = System.nanoTime();
        SdkCallTimeline.start();
        double latency = runJob(api, "{\"to\": 10, \"subJobs\": 1}");
        List<SdkCallTimeline.Call> calls = SdkCallTimeline.stop();
        List<String> lines = new ArrayList<>();
        for (SdkCallTimeline.Call c : calls) {
            lines.add(String.format("%8.2f %-14s %-22s %-28s sdk %5.2f wire %5.2f after %5.2f  ends %8.2f",
                    (c.start() - zero) / 1e6, c.thread(), c.service(), c.operation(), (c.sent() - c.start()) / 1e6,
                    (c.received() - c.sent()) / 1e6, (c.end() - c.received()) / 1e6, (c.end() - zero) / 1e6));
        }
        String jobId = lastJobId;
        for (var execution : runtime.stepFunctions().engine().executions()) {
            if (!execution.executionArn().contains(":" + jobId + "-")) {
                continue;
            }
            for (var event : execution.history().events()) {
                String name = event.details() == null ? "" : event.details().path("name").asText("");
                lines.add(String.format("%8.2f %-14s %s %s", (event.timestamp().toEpochMilli() - wallZero) * 1.0,
                        "history", event.type(), name));
            }
        }
        lines.add(String.format("%8.2f %-14s JobStatusChanged seen by the benchmark", (EVENT_SEEN.get(jobId) - zero) / 1e6, "bus"));
        lines.sort(java.util.Comparator.comparingDouble(l -> Double.parseDouble(l.substring(0, 8).trim())));
        System.out.printf("timeline of one trivial job (%.1f ms, %d SDK calls):%n", latency, calls.size());
        lines.forEach(System.out::println);
        double sdk = 0, wire = 0;
        for (SdkCallTimeline.Call c : calls) {
            sdk += (c.sent() - c.start() + c.end() - c.received()) / 1e6;
            wire += (c.received() - c.sent()) / 1e6;
        }
        System.out.printf("SDK calls: %.1f ms in the SDK, %.1f ms on the wire (sums, calls may overlap)%n", sdk, wire);
    }

    private static volatile String lastJobId;
    /** When the bus's listener saw each job's terminal event (nanoTime), for the timeline. */
    private static final Map<String, Long> EVENT_SEEN = new ConcurrentHashMap<>();

    private static CompletableFuture<String> ending(String jobId) {
        return ENDINGS.computeIfAbsent(jobId, id -> new CompletableFuture<>());
    }

    private static void print(String what, List<Double> millis) {
        List<Double> sorted = new ArrayList<>(millis);
        Collections.sort(sorted);
        System.out.printf("%s: n=%d p50=%.0f ms p95=%.0f ms max=%.0f ms%n", what, sorted.size(),
                sorted.get(sorted.size() / 2), sorted.get((int) Math.ceil(sorted.size() * 0.95) - 1), sorted.get(sorted.size() - 1));
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /**
     * The most heap any collection left in use since {@link #resetPeaks}: what the job needed live. The peak in use
     * also counts garbage not yet collected, which grows with whatever heap the JVM allows itself.
     */
    private static final AtomicLong PEAK_AFTER_GC = new AtomicLong();

    static {
        for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
            ((NotificationEmitter) collector).addNotificationListener((notification, handback) -> {
                if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
                    return;
                }
                GarbageCollectionNotificationInfo info =
                        GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
                long inUse = 0;
                for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                    if (pool.getType() == MemoryType.HEAP && info.getGcInfo().getMemoryUsageAfterGc().containsKey(pool.getName())) {
                        inUse += info.getGcInfo().getMemoryUsageAfterGc().get(pool.getName()).getUsed();
                    }
                }
                PEAK_AFTER_GC.accumulateAndGet(inUse, Math::max);
            }, null, null);
        }
    }

    private static void resetPeaks() {
        System.gc();
        ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
        PEAK_AFTER_GC.set(0);
    }

    private static long peakHeap() {
        return ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP)
                .mapToLong(p -> p.getPeakUsage().getUsed()).sum();
    }

    private static boolean hasFlag(String[] args, String name) {
        return java.util.Arrays.asList(args).contains(name);
    }

    private static String stringArg(String[] args, String name) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return null;
    }

    private static int intArg(String[] args, String name, int fallback) {
        String value = stringArg(args, name);
        return value == null ? fallback : Integer.parseInt(value);
    }
}
