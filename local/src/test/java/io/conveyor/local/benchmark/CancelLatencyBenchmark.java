package io.conveyor.local.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import io.conveyor.apiclient.JobApiClient;
import io.conveyor.local.runtime.LocalRuntime;
import io.conveyor.local.runtime.LocalRuntimeOptions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * How responsive the API stays while a large job runs, printed, not asserted: with a {@code primes} job of
 * {@code --subjobs} subjobs (default 2,000) running, the latency of reading a job, of cancelling another user's small
 * job, and of cancelling the large job itself (the answer, and until the large job's subjobs stop being counted as
 * running), each {@code --samples} times (default 5) where it can be repeated.
 *
 * <p>Run from the project root (no install: the reactor's own classes):
 * <pre>{@code
 * mvn -B -o -q -pl local -am test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt -Dmdep.includeScope=test
 * java -cp local/target/test-classes:local/target/classes:$(cat /tmp/cp.txt) \
 *     io.conveyor.local.benchmark.CancelLatencyBenchmark --subjobs 2000
 * }</pre>
 * {@code --account-concurrency N} sets the runtime's account limit of concurrent Lambda executions.
 */
public final class CancelLatencyBenchmark {
    public static void main(String[] args) throws Exception {
        int subJobs = intArg(args, "--subjobs", 2000);
        int samples = intArg(args, "--samples", 5);
        int accountConcurrency = intArg(args, "--account-concurrency", 1000);
        int exit = 0;
        try (LocalRuntime runtime = LocalRuntime.start(LocalRuntimeOptions.builder().schedules(false)
                .accountConcurrency(accountConcurrency).build())) {
            JobApiClient owner = new JobApiClient(runtime.apiEndpoint(), "large");
            JobApiClient other = new JobApiClient(runtime.apiEndpoint(), "other");
            awaitEnd(other, submit(other, "{\"to\": 10, \"subJobs\": 1}"), "SUCCEEDED"); // warm every function up

            List<Double> idle = new ArrayList<>();
            for (int i = 0; i < samples; i++) {
                idle.add(cancelSmallJob(other));
            }
            print("cancel a small job, nothing else running", idle);

            String large = submit(owner, "{\"to\": " + subJobs + ", \"subJobs\": " + subJobs + "}");
            long until = System.nanoTime() + 300_000_000_000L;
            while (job(owner, large).path("progress").path("succeeded").asInt() < Math.min(100, subJobs / 10)) {
                if (System.nanoTime() > until) {
                    throw new IllegalStateException("the large job made no progress in 5 minutes: " + job(owner, large));
                }
                Thread.sleep(200);
            }
            System.out.printf("large job %s running: %s%n", large, job(owner, large).path("progress"));

            List<Double> reads = new ArrayList<>();
            List<Double> cancels = new ArrayList<>();
            for (int i = 0; i < samples; i++) {
                long t = System.nanoTime();
                job(other, submit(other, "{\"to\": 10, \"subJobs\": 1}"));
                reads.add(0.0 + (System.nanoTime() - t) / 1e6);
                cancels.add(cancelSmallJob(other));
            }
            print("create + submit + read a small job, during the large job", reads);
            print("cancel a small job, during the large job", cancels);

            long t = System.nanoTime();
            JobApiClient.Response cancelled = owner.delete("/jobs/" + large);
            double answered = (System.nanoTime() - t) / 1e6;
            if (cancelled.status() != 200) {
                throw new IllegalStateException("cancelling the large job answered " + cancelled.status() + ": " + cancelled.text());
            }
            System.out.printf("cancel the large job: answered in %.0f ms, %s%n", answered,
                    cancelled.json().path("job").path("status").asText());
        } catch (RuntimeException e) {
            e.printStackTrace();
            exit = 1;
        }
        System.exit(exit);
    }

    /** Creates and submits a small job, then cancels it; the cancel's latency in milliseconds. */
    private static double cancelSmallJob(JobApiClient api) {
        String id = submit(api, "{\"to\": 10, \"subJobs\": 1}");
        long t = System.nanoTime();
        JobApiClient.Response response = api.delete("/jobs/" + id);
        double millis = (System.nanoTime() - t) / 1e6;
        if (response.status() != 200 && response.status() != 409) {
            throw new IllegalStateException("cancel answered " + response.status() + ": " + response.text());
        }
        return millis;
    }

    private static String submit(JobApiClient api, String parameters) {
        JobApiClient.Response created = api.post("/jobs", "{\"program\": \"primes\", \"parameters\": " + parameters
                + ", \"submit\": true}");
        if (created.status() != 201) {
            throw new IllegalStateException("create answered " + created.status() + ": " + created.text());
        }
        return created.json().path("job").path("jobId").asText();
    }

    private static JsonNode job(JobApiClient api, String id) {
        return api.get("/jobs/" + id).json().path("job");
    }

    private static void awaitEnd(JobApiClient api, String id, String expected) throws InterruptedException {
        long until = System.nanoTime() + 120_000_000_000L;
        while (System.nanoTime() < until) {
            String status = job(api, id).path("status").asText();
            if (status.equals(expected)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("job " + id + " did not end " + expected + ": " + job(api, id));
    }

    private static void print(String what, List<Double> millis) {
        List<Double> sorted = new ArrayList<>(millis);
        Collections.sort(sorted);
        System.out.printf("%s: n=%d min=%.0f ms p50=%.0f ms max=%.0f ms%n", what, sorted.size(), sorted.get(0),
                sorted.get(sorted.size() / 2), sorted.get(sorted.size() - 1));
    }

    private static int intArg(String[] args, String name, int fallback) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return Integer.parseInt(args[i + 1]);
            }
        }
        return fallback;
    }
}
