package io.conveyor.cleanup;

import static io.conveyor.cleanup.CleanupFixture.T0;

import java.time.Instant;
import java.util.Locale;

/**
 * Deletion throughput of the cleaner against the embedded emulators (the DynamoDB emulator and S3Proxy in this JVM), in
 * two shapes: many small jobs (per-job overhead: reads, conditional deletes) and one job with many objects (batched
 * S3 deletes). The figures are for comparing changes on one machine, not a forecast for AWS.
 *
 * <pre>
 * mvn -B -q -o test-compile dependency:build-classpath -pl functions -Dmdep.outputFile=/tmp/functions.cp
 * java -cp functions/target/test-classes:functions/target/classes:$(cat /tmp/functions.cp) \
 *     io.conveyor.cleanup.CleanerBenchmark [jobs=200] [subJobsPerJob=8] [bigJobSubJobs=4998]
 * </pre>
 *
 * A job with {@code n} subjobs has {@code 2n + 4} objects (two inputs, the manifest, an input and an output per
 * subjob, the result) and {@code n} subjob items.
 */
public final class CleanerBenchmark {
    private CleanerBenchmark() {}

    public static void main(String[] args) {
        int jobs = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int subJobsPerJob = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        int bigJobSubJobs = args.length > 2 ? Integer.parseInt(args[2]) : 4_998;
        // Warm up the emulators and the JIT on a few jobs so the first figures do not include start-up.
        measure("warm-up", 20, 2);
        measure("many small jobs", jobs, subJobsPerJob);
        measure("one big job", 1, bigJobSubJobs);
        System.exit(0);
    }

    private static void measure(String name, int jobs, int subJobsPerJob) {
        CleanupFixture world = new CleanupFixture();
        long setupStart = System.nanoTime();
        for (int i = 0; i < jobs; i++) {
            world.succeeded("bench-" + i, subJobsPerJob, T0);
        }
        double setupSeconds = (System.nanoTime() - setupStart) / 1e9;

        long runStart = System.nanoTime();
        CleanupReport report = world.cleaner().run(Instant.MAX);
        double seconds = (System.nanoTime() - runStart) / 1e9;

        if (report.jobsDeleted() != jobs || report.errors() != 0) {
            throw new IllegalStateException(name + ": expected " + jobs + " jobs deleted without errors, got " + report);
        }
        System.out.printf(Locale.ROOT,
                "%-16s %5d jobs, %7d objects, %6d subjob items in %6.2f s: %8.1f jobs/s, %8.0f objects/s,"
                        + " %8.0f subjob items/s (setup %.1f s)%n",
                name, report.jobsDeleted(), report.objectsDeleted(), report.subJobItemsDeleted(), seconds,
                report.jobsDeleted() / seconds, report.objectsDeleted() / seconds,
                report.subJobItemsDeleted() / seconds, setupSeconds);
    }
}
