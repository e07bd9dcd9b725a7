package io.conveyor.cleanup;

import io.conveyor.idempotency.IdempotencyStore;
import io.conveyor.job.Job;
import io.conveyor.job.JobStore;
import io.conveyor.snapstart.SnapStartPriming;
import io.conveyor.storage.JobObjectLayout;
import io.conveyor.storage.ObjectStore;
import io.conveyor.subjob.SubJobStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes jobs whose retention has passed (terminal ones, and ones created but never submitted): everything under the job's prefix in the bucket (open multipart
 * uploads aborted, objects deleted), then its
 * subjob items, its idempotency record, the item of its invocations' usage tails, and last the job item itself. The job item goes last because it is what
 * the expiry index finds: whatever step fails or is cut short, the job is still found by the next run, which
 * finishes it, and no object or item is ever left without the job record that leads to it.
 *
 * <p>Safe to run concurrently with itself: deleting a missing object or item is a no-op, the idempotency record
 * and the job item are deleted conditionally, so two runs delete nothing twice and neither fails. A job is only
 * touched if, read consistently just before, nothing runs it and its <em>stored</em> expiry is at least
 * {@link CleanerSettings#grace()} past by this clock; the final delete is conditional on the same stored values.
 *
 * <p>Thread-safe: it keeps no state between runs.
 */
public final class CleanupService {
    private static final Logger LOG = LoggerFactory.getLogger(CleanupService.class);

    private final JobStore jobs;
    private final SubJobStore subJobs;
    private final IdempotencyStore idempotency;
    private final ObjectStore objects;
    private final Clock clock;
    private final Duration grace;
    private final int batchSize;

    public CleanupService(JobStore jobs, SubJobStore subJobs, IdempotencyStore idempotency, ObjectStore objects,
            Clock clock, CleanerSettings settings) {
        this.jobs = jobs;
        this.subJobs = subJobs;
        this.idempotency = idempotency;
        this.objects = objects;
        this.clock = clock;
        this.grace = settings.grace();
        this.batchSize = settings.batchSize();
    }

    /**
     * Cleans expired jobs, one at a time, until none is left or {@code stopBy} has come. A job is started only
     * before {@code stopBy}; one started is finished (or fails) before the run looks at the clock again.
     *
     * @throws RuntimeException when the expiry index cannot be read: nothing more can be done in this run. A failure
     *     cleaning one job is logged and counted in the report instead, and the run goes on with the next job.
     */
    public CleanupReport run(Instant stopBy) {
        Tally tally = new Tally();
        // Jobs this run has looked at. A job that failed or was left alone stays in the index; asking for that many
        // more ids each round makes sure such jobs never crowd out the rest, and the run ends once no new id comes.
        Set<String> seen = new HashSet<>();
        while (true) {
            if (timeIsUp(stopBy)) {
                tally.stoppedForTime = true;
                break;
            }
            List<String> fresh = jobs.findExpired(clock.instant().minus(grace), seen.size() + batchSize).stream()
                    .filter(id -> !seen.contains(id))
                    .toList();
            if (fresh.isEmpty()) {
                break;
            }
            for (String jobId : fresh) {
                if (timeIsUp(stopBy)) {
                    tally.stoppedForTime = true;
                    return tally.report();
                }
                seen.add(jobId);
                clean(jobId, tally);
            }
        }
        return tally.report();
    }

    private boolean timeIsUp(Instant stopBy) {
        return !clock.instant().isBefore(stopBy);
    }

    /**
     * For the SnapStart snapshot: a read of a job that cannot exist, through the client and schema a run uses.
     * Never a run: that would delete.
     */
    void prime() {
        jobs.get(SnapStartPriming.PLACEHOLDER_ID);
    }

    private void clean(String jobId, Tally tally) {
        tally.examined++;
        Instant cutoff = clock.instant().minus(grace);
        try {
            Optional<Job> stored = jobs.get(jobId);
            Eligibility eligibility = Eligibility.of(stored, cutoff);
            if (eligibility != Eligibility.EXPIRED) {
                tally.skipped++;
                LOG.atInfo().addKeyValue("jobId", jobId).addKeyValue("reason", eligibility.name()).log("Left a job alone");
                return;
            }
            Job job = stored.get();

            // A job cancelled before its submit may still have open multipart uploads: their parts are invisible to
            // the prefix delete and would be billed until the bucket's lifecycle rule aborts them.
            int uploadsAborted = objects.abortMultipartUploads(JobObjectLayout.jobPrefix(jobId));
            int objectCount = objects.deletePrefix(JobObjectLayout.jobPrefix(jobId));
            tally.objects += objectCount;
            int subJobCount = subJobs.deleteAll(jobId);
            tally.subJobItems += subJobCount;
            releaseIdempotencyKey(job);
            jobs.usageTails().delete(jobId);

            if (jobs.deleteExpired(jobId, cutoff)) {
                tally.deleted++;
                LOG.atInfo().addKeyValue("jobId", jobId).addKeyValue("owner", job.owner())
                        .addKeyValue("status", job.status().name()).addKeyValue("expiresAt", job.expiresAt().toString())
                        .addKeyValue("objectsDeleted", objectCount).addKeyValue("subJobItemsDeleted", subJobCount)
                        .addKeyValue("multipartUploadsAborted", uploadsAborted)
                        .log("Deleted an expired job");
            } else if (jobs.get(jobId).isEmpty()) {
                tally.skipped++;
                LOG.atInfo().addKeyValue("jobId", jobId).log("Another run deleted the job first");
            } else {
                // Only possible if a writer's clock lags this one by more than the grace period and it retried the
                // job after it was read here: the job lives on without its objects. An operator should know.
                tally.failed(jobId);
                LOG.atError().addKeyValue("jobId", jobId)
                        .log("A job changed while it was being cleaned: it is no longer expired but its objects are"
                                + " deleted; raise CONVEYOR_CLEANER_GRACE above the clock skew between writers");
            }
        } catch (RuntimeException e) {
            tally.failed(jobId);
            LOG.atError().addKeyValue("jobId", jobId).setCause(e).log("Could not clean a job; the next run tries again");
        }
    }

    /**
     * Deletes the job's idempotency record, if it still names this job. The record may have lapsed and its key been
     * claimed afresh for a newer job of the same owner, whose record must stay: the delete is conditional on the
     * job id.
     */
    private void releaseIdempotencyKey(Job job) {
        if (job.idempotencyKey() == null) {
            return;
        }
        idempotency.find(job.owner(), job.idempotencyKey())
                .filter(record -> record.jobId().equals(job.id()))
                .ifPresent(idempotency::release);
    }

    /** Counts of one run, filled in as it goes. */
    private static final class Tally {
        int examined;
        int deleted;
        int skipped;
        long objects;
        long subJobItems;
        boolean stoppedForTime;
        int errors;
        final List<String> failedJobIds = new ArrayList<>();

        void failed(String jobId) {
            errors++;
            if (failedJobIds.size() < CleanupReport.MAX_FAILED_IDS) {
                failedJobIds.add(jobId);
            }
        }

        CleanupReport report() {
            return new CleanupReport(examined, deleted, skipped, objects, subJobItems, stoppedForTime, errors,
                    failedJobIds);
        }
    }
}
