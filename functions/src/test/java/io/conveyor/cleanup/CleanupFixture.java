package io.conveyor.cleanup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conveyor.idempotency.IdempotencyRecord;
import io.conveyor.idempotency.IdempotencyStore;
import io.conveyor.job.Job;
import io.conveyor.job.JobError;
import io.conveyor.job.JobStore;
import io.conveyor.job.UsageTails;
import io.conveyor.storage.JobObjectLayout;
import io.conveyor.storage.ObjectStore;
import io.conveyor.subjob.SubJob;
import io.conveyor.subjob.SubJobStore;
import io.conveyor.testing.LocalAws;
import io.conveyor.testing.MutableClock;
import io.conveyor.testing.SampleJobs;
import io.conveyor.usage.UsageMeter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * One isolated deployment on the DynamoDB emulator and S3Proxy, with jobs in every state the cleaner meets, each with
 * everything a real run leaves behind: its inputs, manifest, subjob outputs and result in the bucket,
 * its subjob items, and its idempotency record. DynamoDB calls go through a {@link FaultInjector}.
 */
final class CleanupFixture {
    /** When every sample job is created; sample jobs keep terminal jobs for {@link #RETENTION}. */
    static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
    static final Duration RETENTION = Duration.ofDays(7);
    /** Long after every job that ended on day one expired, grace included. */
    static final Instant LATER = T0.plus(RETENTION).plus(Duration.ofDays(2));

    final FaultInjector faults = new FaultInjector();
    final MutableClock clock = new MutableClock(LATER);
    final LocalAws.Deployment deployment;
    final JobStore jobs;
    final SubJobStore subJobs;
    final IdempotencyStore idempotency;
    final ObjectStore objects;

    CleanupFixture() {
        LocalAws.Deployment plain = LocalAws.get().newDeployment();
        // Same tables and endpoint (from the aws.endpointUrlDynamoDb property LocalAws sets), plus the injector.
        DynamoDbClient dynamoDb = DynamoDbClient.builder()
                .region(Region.of(LocalAws.REGION))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(o -> o.addExecutionInterceptor(faults))
                .build();
        deployment = new LocalAws.Deployment(plain.settings(), dynamoDb, plain.s3(), plain.presigner());
        jobs = deployment.jobs();
        subJobs = deployment.subJobs();
        idempotency = deployment.idempotency();
        objects = new ObjectStore(plain.s3(), plain.presigner(), plain.settings().bucket(), clock);
    }

    CleanupService cleaner() {
        return cleaner(CleanerSettings.DEFAULTS);
    }

    CleanupService cleaner(CleanerSettings settings) {
        return new CleanupService(jobs, subJobs, idempotency, objects, clock, settings);
    }

    /** A job created at {@link #T0} that ran {@code subJobCount} subjobs and succeeded at {@code endedAt}. */
    Job succeeded(String id, int subJobCount, Instant endedAt) {
        Job running = running(id, subJobCount);
        String result = JobObjectLayout.result(id, 1);
        put(List.of(result));
        // Ended by a measured invocation, which leaves the job an item of its usage tails.
        return UsageMeter.measure(id, 512, () -> {
            jobs.get(id);
            return jobs.update(running.succeed(result, endedAt));
        });
    }

    /** Like {@link #succeeded}, but it failed at {@code endedAt}. */
    Job failed(String id, int subJobCount, Instant endedAt) {
        return jobs.update(running(id, subJobCount).fail(new JobError("Program.Failed", "bad input"), endedAt));
    }

    /** A job whose owner cancelled it while it waited in the queue, with its inputs uploaded but no attempt. */
    Job cancelledWhileQueued(String id, Instant endedAt) {
        Job queued = submitted(id);
        return jobs.update(queued.cancel(endedAt));
    }

    /** A job still running attempt 1 with {@code subJobCount} subjobs: never in the expiry index. */
    Job running(String id, int subJobCount) {
        Job admitted = jobs.update(submitted(id).admit(T0));
        List<SubJob> pending = IntStream.range(0, subJobCount)
                .mapToObj(i -> SubJob.pending(id, i, 1, JobObjectLayout.manifest(id, 1)))
                .toList();
        subJobs.registerAll(id, 1, pending);
        List<String> keys = new ArrayList<>();
        keys.add(JobObjectLayout.manifest(id, 1));
        for (int i = 0; i < subJobCount; i++) {
            keys.add(JobObjectLayout.subJobOutput(id, 1, i));
        }
        put(keys);
        return jobs.get(id).orElseThrow();
    }

    /** Created and submitted at {@link #T0}, inputs uploaded, its idempotency key claimed and completed. */
    private Job submitted(String id) {
        return jobs.update(neverSubmitted(id).submit(T0));
    }

    /** Created at {@link #T0} with its inputs uploaded and its idempotency key claimed and completed, never submitted. */
    Job neverSubmitted(String id) {
        Job created = jobs.create(SampleJobs.created(id, "alice", "primes", T0));
        IdempotencyRecord claim = ((IdempotencyStore.Claim.Claimed) idempotency.claim(
                created.owner(), created.idempotencyKey(), "hash-" + id, id, T0, Duration.ofSeconds(30))).record();
        idempotency.complete(claim, T0.plus(RETENTION));
        put(List.of(JobObjectLayout.input(id, "a.txt"), JobObjectLayout.input(id, "b.txt")));
        return created;
    }

    /** How many objects {@link #running} leaves for {@code subJobCount} subjobs: inputs, manifest, subjob outputs. */
    static int objectsOfRunning(int subJobCount) {
        return 2 + 1 + subJobCount;
    }

    /** How many objects {@link #succeeded} leaves for {@code subJobCount} subjobs: those of {@link #running}, and the result. */
    static int objectsOfSucceeded(int subJobCount) {
        return objectsOfRunning(subJobCount) + 1;
    }

    /** Uploads tiny objects at {@code keys}, several at a time (S3Proxy answers each in a millisecond or two). */
    void put(List<String> keys) {
        if (keys.size() < 50) {
            keys.forEach(k -> objects.put(k, k.getBytes(StandardCharsets.UTF_8), "text/plain"));
            return;
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> puts = new ArrayList<>();
            for (String k : keys) {
                puts.add(pool.submit(() -> objects.put(k, k.getBytes(StandardCharsets.UTF_8), "text/plain")));
            }
            for (Future<?> put : puts) {
                put.get();
            }
        } catch (Exception e) {
            throw new IllegalStateException("could not upload the fixture's objects", e);
        } finally {
            pool.shutdownNow();
        }
    }

    int objectCount(String jobId) {
        return objects.list(JobObjectLayout.jobPrefix(jobId), 100_000).size();
    }

    int subJobCount(String jobId) {
        return subJobs.list(jobId, SubJobStore.MAX_PAGE_SIZE, Optional.empty()).items().size();
    }

    /** Nothing of the job is left: no object under its prefix, no job, subjob or idempotency item. */
    void assertGone(Job job) {
        assertEquals(0, objectCount(job.id()), "objects left under the prefix of " + job.id());
        assertFalse(jobs.get(job.id()).isPresent(), "job item " + job.id() + " is left");
        assertEquals(0, subJobCount(job.id()), "subjob items of " + job.id() + " are left");
        assertFalse(idempotency.find(job.owner(), job.idempotencyKey()).isPresent(),
                "idempotency record of " + job.id() + " is left");
        assertEquals(UsageTails.NONE, jobs.usageTails().read(job.id()), "the usage tails of " + job.id() + " are left");
    }

    /** The job is exactly as it was: same stored version, every object and item still there. */
    void assertUntouched(Job job, int objectCount, int subJobCount) {
        assertEquals(Optional.of(job), jobs.get(job.id()), "job item " + job.id() + " changed");
        assertEquals(objectCount, objectCount(job.id()), "objects of " + job.id());
        assertEquals(subJobCount, subJobCount(job.id()), "subjob items of " + job.id());
        assertTrue(idempotency.find(job.owner(), job.idempotencyKey()).isPresent(),
                "idempotency record of " + job.id());
    }
}
