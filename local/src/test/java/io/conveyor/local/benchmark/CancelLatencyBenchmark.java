package io.conveyor.local.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import io.conveyor.apiclient.JobApiClient;
import io.conveyor.deployment.Catalogue;
import io.conveyor.local.runtime.LocalRuntime;
import io.conveyor.local.runtime.LocalRuntimeOptions;
import io.conveyor.scenarios.Await;
import io.conveyor.scenarios.Scenarios;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * How responsive the API stays while a large job runs, printed, not asserted. With a {@code primes} job of
 * {@code --subjobs} subjobs (default 2,000) running: {@code --samples} times (default 5), the latency of creating,
 * submitting and reading another user's small job and of cancelling it; then the latency of cancelling the large
 * job itself. Requests the API could not serve (a throttled API function is a 5xx from the gateway) are counted.
 * The same figures with nothing else running come first.
 *
 * <p>Run from the project root (no install: the reactor's own classes):
 * <pre>{@code
 * mvn -B -o -q -pl local -am test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt -Dmdep.includeScope=test
 * java -Dlog4j2.level=WARN -cp local/target/test-classes:local/target/classes:$(cat /tmp/cp.txt) \
 *     io.conveyor.local.benchmark.CancelLatencyBenchmark --subjobs 2000
 * }</pre>
 * {@code --account-concurrency N} sets the account's limit of concurrent Lambda executions (default 1000);
 * {@code --api-unreserved} takes the API function's reserved concurrency away (what a deployment without it does);
 * {@code --timeline} prints the SDK calls of one cancel with nothing else running.
 */
public final class CancelLatencyBenchmark {
    public static void main(String[] args) throws Exception {
        int subJobs = intArg(args, "--subjobs", 2000);
        int samples = intArg(args, "--samples", 5);
        int accountConcurrency = intArg(args, "--account-concurrency", 1000);
        boolean unreserved = Arrays.asList(args).contains("--api-unreserved");
        LocalRuntimeOptions.Builder options = LocalRuntimeOptions.builder().schedules(false)
                .accountConcurrency(accountConcurrency);
        if (unreserved) {
            options.unreserved(Catalogue.API.name());
        }
        System.out.printf("account concurrency %d, API %s%n", accountConcurrency,
                unreserved ? "unreserved" : "reserving " + Catalogue.API_RESERVED_CONCURRENCY);
        int exit = 0;
        try (LocalRuntime runtime = LocalRuntime.start(options.build())) {
            JobApiClient owner = new JobApiClient(runtime.apiEndpoint(), "large");
            JobApiClient other = new JobApiClient(runtime.apiEndpoint(), "other");
            awaitEnd(other, submit(other, "{\"to\": 10, \"subJobs\": 1}")); // warm every function up

            Figures idle = new Figures();
            for (int i = 0; i < samples; i++) {
                idle.sample(other);
            }
            idle.print("nothing else running");
            if (Arrays.asList(args).contains("--timeline")) {
                timeline(other);
            }

            String large = submit(owner, "{\"to\": " + subJobs + ", \"subJobs\": " + subJobs + "}");
            Await.until("the large job's first subjobs to succeed", Duration.ofMinutes(5),
                    () -> job(owner, large).path("progress").path("succeeded").asInt() >= Math.min(50, subJobs / 20));
            Figures busy = new Figures();
            for (int i = 0; i < samples; i++) {
                busy.sample(other);
            }
            JsonNode before = job(owner, large);
            long t = System.nanoTime();
            JobApiClient.Response cancelled = owner.delete("/jobs/" + large);
            double cancelMillis = (System.nanoTime() - t) / 1e6;
            busy.print("while the " + subJobs + "-subjob job runs (" + before.path("progress") + " when the samples ended)");
            System.out.printf("cancel the %d-subjob job itself: %d in %.0f ms (%s)%n", subJobs, cancelled.status(),
                    cancelMillis, cancelled.status() == 200 ? "CANCELLED" : cancelled.text());
            System.out.printf("throttles: %s %d, %s %d%n", Catalogue.RUN_SUBJOB.name(),
                    runtime.lambda().throttles(Catalogue.RUN_SUBJOB.name()), Catalogue.API.name(),
                    runtime.lambda().throttles(Catalogue.API.name()));
        } catch (RuntimeException e) {
            e.printStackTrace();
            exit = 1;
        }
        System.exit(exit);
    }

    /** Latencies in milliseconds of the requests one sample makes, and how many failed. */
    private static final class Figures {
        final List<Double> submitAndRead = new ArrayList<>();
        final List<Double> cancel = new ArrayList<>();
        int failed;

        /** Creates, submits and reads a small job, then cancels it. */
        void sample(JobApiClient api) {
            long t = System.nanoTime();
            JobApiClient.Response created = api.post("/jobs", "{\"program\": \"primes\", \"parameters\": "
                    + "{\"to\": 10, \"subJobs\": 1}, \"submit\": true}");
            if (created.status() != 201) {
                failed++;
                return;
            }
            String id = created.json().path("job").path("jobId").asText();
            if (api.get("/jobs/" + id).status() != 200) {
                failed++;
                return;
            }
            submitAndRead.add((System.nanoTime() - t) / 1e6);
            t = System.nanoTime();
            int status = api.delete("/jobs/" + id).status();
            if (status == 200 || status == 409) { // 409: it had already succeeded
                cancel.add((System.nanoTime() - t) / 1e6);
            } else {
                failed++;
            }
        }

        void print(String when) {
            System.out.printf("%s: create+submit+read %s; cancel %s; failed requests %d%n", when,
                    summary(submitAndRead), summary(cancel), failed);
        }
    }

    private static void timeline(JobApiClient api) {
        String id = submit(api, "{\"to\": 10, \"subJobs\": 1}");
        long zero = System.nanoTime();
        SdkCallTimeline.start();
        api.delete("/jobs/" + id);
        double took = (System.nanoTime() - zero) / 1e6;
        System.out.printf("one cancel, %.0f ms; its SDK calls (start, thread, service, operation, ms on the wire):%n", took);
        for (SdkCallTimeline.Call c : SdkCallTimeline.stop()) {
            System.out.printf("  %7.1f %-14s %-10s %-24s %6.1f%n", (c.start() - zero) / 1e6, c.thread(), c.service(),
                    c.operation(), (c.received() - c.sent()) / 1e6);
        }
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

    private static void awaitEnd(JobApiClient api, String id) {
        JsonNode job = Scenarios.awaitEnd(api, id, Duration.ofMinutes(2));
        if (!job.path("status").asText().equals("SUCCEEDED")) {
            throw new IllegalStateException("job " + id + " did not succeed: " + job);
        }
    }

    private static String summary(List<Double> millis) {
        if (millis.isEmpty()) {
            return "none";
        }
        List<Double> sorted = new ArrayList<>(millis);
        Collections.sort(sorted);
        return String.format("n=%d min=%.0f p50=%.0f max=%.0f ms", sorted.size(), sorted.get(0),
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
