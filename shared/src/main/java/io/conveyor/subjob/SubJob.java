package io.conveyor.subjob;

import io.conveyor.job.JobError;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;

/**
 * One piece of a job's work, run by the program's worker.
 *
 * @param jobId      the job it belongs to
 * @param index      its position in the manifest, from 0
 * @param jobAttempt the job attempt that produced it; a later attempt replaces the subjobs of earlier ones
 * @param manifestKey the object key of the manifest that holds its input, as Split wrote it
 * @param status     where it is
 * @param attempts   worker invocations so far, including retries
 * @param startedAt  when its first invocation started, or {@code null}
 * @param duration   from first start to outcome, or {@code null} before the outcome
 * @param outputKey  the object key of its output once it succeeded, unless the output is kept with it
 * @param output     its output as JSON text once it succeeded, when small enough to be kept with it, or {@code null}
 * @param error      why it failed, or {@code null}
 * @param runners    what ran each of its attempts, in order, as far as recorded: one per attempt but for attempts
 *                   started before runners were recorded
 */
public record SubJob(
        String jobId,
        int index,
        int jobAttempt,
        String manifestKey,
        SubJobStatus status,
        int attempts,
        Instant startedAt,
        Duration duration,
        String outputKey,
        String output,
        JobError error,
        List<SubJobRunner> runners) {

    public SubJob {
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(status, "status");
        if (index < 0) {
            throw new IllegalArgumentException("subjob index must be zero or more, was " + index);
        }
        startedAt = startedAt == null ? null : startedAt.truncatedTo(ChronoUnit.MILLIS);
        runners = runners == null ? List.of() : List.copyOf(runners);
    }

    /**
     * This subjob once its job has ended: still PENDING, ASSIGNED or RUNNING, it is {@link SubJobStatus#STOPPED}, since nothing
     * of an ended job runs (a worker that finishes after a cancel has its outcome refused). Stored statuses are left
     * as they are: a retry of the job starts its subjobs again.
     */
    public SubJob asOfEndedJob() {
        if (status.isOutcome() || status == SubJobStatus.STOPPED) {
            return this;
        }
        return new SubJob(jobId, index, jobAttempt, manifestKey, SubJobStatus.STOPPED, attempts, startedAt, duration,
                outputKey, output, error, runners);
    }

    /** A subjob as the splitter lists it. */
    public static SubJob pending(String jobId, int index, int jobAttempt, String manifestKey) {
        return new SubJob(jobId, index, jobAttempt, manifestKey, SubJobStatus.PENDING, 0, null, null, null, null, null, List.of());
    }
}
