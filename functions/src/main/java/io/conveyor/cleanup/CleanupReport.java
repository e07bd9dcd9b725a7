package io.conveyor.cleanup;

import java.util.List;

/**
 * What one cleaner run did; the handler returns it and publishes it as metrics.
 *
 * @param jobsExamined       expired job ids read from the index and looked at in this run
 * @param jobsDeleted        job items this run deleted (of two concurrent runs, only one counts a job)
 * @param jobsSkipped        jobs examined and left alone: gone already, retried since, or not yet past expiry and
 *                           grace
 * @param objectsDeleted     objects this run asked S3 to delete (a concurrent run may have deleted some first)
 * @param subJobItemsDeleted subjob items this run asked DynamoDB to delete (same caveat)
 * @param stoppedForTime     {@code true} if the run stopped because its time budget ran out, with expired jobs
 *                           possibly left for the next run
 * @param errors             jobs whose cleaning failed; each was logged and is retried by the next run
 * @param failedJobIds       the ids of those jobs, at most {@link #MAX_FAILED_IDS}
 */
public record CleanupReport(
        int jobsExamined,
        int jobsDeleted,
        int jobsSkipped,
        long objectsDeleted,
        long subJobItemsDeleted,
        boolean stoppedForTime,
        int errors,
        List<String> failedJobIds) {

    /** Keeps the report (and the Lambda's response) small when many jobs fail alike. */
    public static final int MAX_FAILED_IDS = 20;

    public CleanupReport {
        failedJobIds = List.copyOf(failedJobIds);
    }
}
