package io.conveyor.cleanup;

import static io.conveyor.cleanup.CleanupFixture.LATER;
import static io.conveyor.cleanup.CleanupFixture.RETENTION;
import static io.conveyor.cleanup.CleanupFixture.T0;
import static io.conveyor.cleanup.CleanupFixture.objectsOfRunning;
import static io.conveyor.cleanup.CleanupFixture.objectsOfSucceeded;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conveyor.idempotency.IdempotencyStore;
import io.conveyor.job.Job;
import io.conveyor.storage.JobObjectLayout;
import io.conveyor.testing.Concurrently;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;

/** The cleaner on the DynamoDB emulator and S3Proxy: what it deletes, what it never touches, and how runs pick up. */
class CleanupServiceTest {
    /** A deadline the stopped test clock never reaches. */
    private static final Instant NO_DEADLINE = LATER.plus(Duration.ofDays(365));

    private CleanupFixture world;

    @BeforeEach
    void freshDeployment() {
        world = new CleanupFixture();
    }

    private static CleanerSettings batchesOf(int size) {
        return new CleanerSettings(Duration.ofHours(1), Duration.ofMinutes(15), Duration.ofSeconds(30), size);
    }

    private boolean isJobItemDelete(SdkRequest request, String jobId) {
        return request instanceof DeleteItemRequest delete
                && delete.tableName().equals(world.deployment.settings().jobsTable())
                && !delete.key().get("jobId").s().startsWith("usage#") // the item of the job's usage tails
                && (jobId == null || delete.key().get("jobId").equals(AttributeValue.fromS(jobId)));
    }

    private boolean isSubJobBatchWrite(SdkRequest request) {
        return request instanceof BatchWriteItemRequest batch
                && batch.requestItems().containsKey(world.deployment.settings().subJobsTable());
    }

    @Test
    void run_removesEverythingOfExpiredTerminalJobs_readingTheIndexInBatches() {
        Job succeeded = world.succeeded("a", 3, T0.plusSeconds(60));
        Job failed = world.failed("b", 2, T0.plusSeconds(90));
        Job cancelled = world.cancelledWhileQueued("c", T0.plusSeconds(5));
        assertEquals(1, world.jobs.usageTails().read("a").total().lambdaInvocations(), "the invocation that ended it");

        CleanupReport report = world.cleaner(batchesOf(2)).run(NO_DEADLINE);

        world.assertGone(succeeded);
        world.assertGone(failed);
        world.assertGone(cancelled);
        assertEquals(new CleanupReport(3, 3, 0, objectsOfSucceeded(3) + objectsOfRunning(2) + 2, 1 + 1, false, 0, List.of()),
                report);
    }

    @Test
    void run_abortsTheOpenMultipartUploadsOfAJobCancelledBeforeItsUploadsFinished() {
        Job cancelled = world.cancelledWhileQueued("c", T0.plusSeconds(5));
        String key = JobObjectLayout.input(cancelled.id(), "big.bin");
        world.objects.startMultipartUpload(key, "application/octet-stream");
        Job kept = world.running("active", 1);
        String keptUpload = world.objects.startMultipartUpload(JobObjectLayout.input(kept.id(), "big.bin"), "text/plain");

        CleanupReport report = world.cleaner().run(NO_DEADLINE);

        assertEquals(1, report.jobsDeleted(), report.toString());
        world.assertGone(cancelled);
        assertEquals(List.of(), world.objects.openMultipartUploads(key), "no multipart upload left open");
        assertEquals(List.of(keptUpload), world.objects.openMultipartUploads(JobObjectLayout.input(kept.id(), "big.bin")),
                "an active job's upload is not the cleaner's business");
    }

    @Test
    void run_removesAJobNeverSubmitted_onceItsRetentionAfterCreationPassed_withItsOpenUploads() {
        Job abandoned = world.neverSubmitted("abandoned");
        String key = JobObjectLayout.input(abandoned.id(), "big.bin");
        world.objects.startMultipartUpload(key, "application/octet-stream");
        Job submitted = world.running("submitted", 1);

        CleanupReport report = world.cleaner().run(NO_DEADLINE);

        assertEquals(1, report.jobsDeleted(), report.toString());
        world.assertGone(abandoned);
        assertEquals(List.of(), world.objects.openMultipartUploads(key), "no multipart upload left open");
        world.assertUntouched(submitted, objectsOfRunning(1), 1);
    }

    @Test
    void run_neverTouchesActiveJobs_norTerminalJobsBeforeTheirStoredExpiryAndGrace() {
        Job active = world.running("active", 2);
        Job keptLonger = world.succeeded("kept", 1, LATER.minus(RETENTION).plus(Duration.ofHours(1)));
        Job withinGrace = world.succeeded("grace", 1, LATER.minus(RETENTION).minus(Duration.ofMinutes(5)));

        CleanupReport report = world.cleaner().run(NO_DEADLINE);

        assertEquals(new CleanupReport(0, 0, 0, 0, 0, false, 0, List.of()), report);
        world.assertUntouched(active, objectsOfRunning(2), 2);
        world.assertUntouched(keptLonger, objectsOfSucceeded(1), 1);
        world.assertUntouched(withinGrace, objectsOfSucceeded(1), 1);

        // Once the grace has passed too, only that job goes; the active one is not even in the expiry index.
        world.clock.advance(Duration.ofMinutes(11));
        assertEquals(1, world.cleaner().run(NO_DEADLINE).jobsDeleted());
        world.assertGone(withinGrace);
        world.assertUntouched(active, objectsOfRunning(2), 2);
        world.assertUntouched(keptLonger, objectsOfSucceeded(1), 1);
    }

    @Test
    void run_keepsAnIdempotencyRecordThatNowNamesANewerJob() {
        Job old = world.succeeded("old", 1, T0);
        // The old job's record lapsed, and the owner used the same key again for a new job.
        IdempotencyStore.Claim claim = world.idempotency.claim(
                old.owner(), old.idempotencyKey(), "another-request", "new", LATER.minus(Duration.ofHours(1)),
                Duration.ofSeconds(30));
        assertInstanceOf(IdempotencyStore.Claim.Claimed.class, claim);

        assertEquals(1, world.cleaner().run(NO_DEADLINE).jobsDeleted());

        assertFalse(world.jobs.get("old").isPresent());
        assertEquals(0, world.objectCount("old"));
        assertEquals("new", world.idempotency.find(old.owner(), old.idempotencyKey()).orElseThrow().jobId());
    }

    @Test
    void run_stopsWhenItsTimeBudgetRunsOut_andTheNextRunFinishes() {
        List<Job> expired = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            expired.add(world.succeeded("job-" + i, 1, T0));
        }
        // Each job takes a minute of the cleaner's clock; with two and a half minutes, three are started.
        world.faults.beforeEach(request -> {
            if (isJobItemDelete(request, null)) {
                world.clock.advance(Duration.ofMinutes(1));
            }
        });

        CleanupReport first = world.cleaner().run(LATER.plusSeconds(150));

        assertTrue(first.stoppedForTime());
        assertEquals(3, first.jobsExamined());
        assertEquals(3, first.jobsDeleted());
        List<Job> left = expired.stream().filter(j -> world.jobs.get(j.id()).isPresent()).toList();
        assertEquals(2, left.size());
        left.forEach(j -> world.assertUntouched(j, objectsOfSucceeded(1), 1));

        world.faults.clear();
        CleanupReport second = world.cleaner().run(NO_DEADLINE);

        assertFalse(second.stoppedForTime());
        assertEquals(2, second.jobsDeleted());
        expired.forEach(world::assertGone);
    }

    @Test
    void run_withNoTimeLeft_startsNothing() {
        Job expired = world.succeeded("a", 1, T0);

        CleanupReport report = world.cleaner().run(LATER);

        assertEquals(new CleanupReport(0, 0, 0, 0, 0, true, 0, List.of()), report);
        world.assertUntouched(expired, objectsOfSucceeded(1), 1);
    }

    @Test
    void run_failingAfterTheObjectsAreDeleted_leavesTheJobItem_soTheNextRunFindsAndFinishesIt() {
        Job job = world.succeeded("a", 3, T0);
        world.faults.failWhen(this::isSubJobBatchWrite);

        CleanupReport broken = world.cleaner().run(NO_DEADLINE);

        assertEquals(new CleanupReport(1, 0, 0, objectsOfSucceeded(3), 0, false, 1, List.of("a")), broken);
        assertEquals(0, world.objectCount("a"), "the objects went first");
        assertEquals(job, world.jobs.get("a").orElseThrow(), "the job item is still there to be found again");
        assertEquals(3, world.subJobCount("a"));
        assertTrue(world.idempotency.find(job.owner(), job.idempotencyKey()).isPresent());

        world.faults.clear();
        CleanupReport next = world.cleaner().run(NO_DEADLINE);

        assertEquals(new CleanupReport(1, 1, 0, 0, 1, false, 0, List.of()), next);
        world.assertGone(job);
    }

    @Test
    void run_failingOnOneJob_countsIt_andGoesOnWithTheOthers() {
        Job a = world.succeeded("a", 1, T0);
        Job b = world.succeeded("b", 1, T0);
        Job c = world.succeeded("c", 1, T0);
        // The last step fails for b only; with batches of one, b must not hold up the jobs behind it.
        world.faults.failWhen(request -> isJobItemDelete(request, "b"));

        CleanupReport report = world.cleaner(batchesOf(1)).run(NO_DEADLINE);

        assertEquals(3, report.jobsExamined());
        assertEquals(2, report.jobsDeleted());
        assertEquals(1, report.errors());
        assertEquals(List.of("b"), report.failedJobIds());
        world.assertGone(a);
        world.assertGone(c);
        assertTrue(world.jobs.get("b").isPresent());

        world.faults.clear();
        assertEquals(1, world.cleaner().run(NO_DEADLINE).jobsDeleted());
        world.assertGone(b);
    }

    @Test
    void twoConcurrentRuns_deleteEachJobOnce_andNeitherFails() throws Exception {
        List<Job> expired = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            expired.add(world.succeeded("job-" + i, 1, T0));
        }

        List<Concurrently.Outcome<CleanupReport>> outcomes =
                Concurrently.run(2, () -> world.cleaner(batchesOf(3)).run(NO_DEADLINE));

        for (Concurrently.Outcome<CleanupReport> outcome : outcomes) {
            assertNull(outcome.failure(), () -> "a run failed: " + outcome.failure());
            assertEquals(0, outcome.result().errors(), () -> "a run reported errors: " + outcome.result());
        }
        assertEquals(8, outcomes.stream().mapToInt(o -> o.result().jobsDeleted()).sum(),
                "each job item is deleted by exactly one run: " + outcomes);
        expired.forEach(world::assertGone);
    }

    @Test
    void run_deletesAJobWithThousandsOfObjects() {
        int subJobs = 2_996;
        Job big = world.succeeded("big", subJobs, T0);
        assertEquals(3_000, world.objectCount("big"));

        CleanupReport report = world.cleaner().run(NO_DEADLINE);

        // Sixteen subjobs to an item.
        assertEquals(new CleanupReport(1, 1, 0, 3_000, (subJobs + 15) / 16, false, 0, List.of()), report);
        world.assertGone(big);
    }

    @Test
    void run_onAnEmptyDeployment_examinesNothing() {
        assertEquals(new CleanupReport(0, 0, 0, 0, 0, false, 0, List.of()), world.cleaner().run(NO_DEADLINE));
    }
}
