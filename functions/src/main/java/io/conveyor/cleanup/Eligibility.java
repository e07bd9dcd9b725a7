package io.conveyor.cleanup;

import io.conveyor.job.Job;
import java.time.Instant;
import java.util.Optional;

/**
 * Whether a job the expiry index named may be deleted, decided from the job as stored now (a consistent read),
 * never from the index entry: the index is eventually consistent, and a job may have been retried since.
 */
enum Eligibility {
    /** Nothing runs it (terminal, or never submitted), and its stored expiry is at or before the cutoff: delete it. */
    EXPIRED,
    /** Already deleted (by a concurrent run, or by the TTL backstop). */
    GONE,
    /** Queued or running (submitted or retried since the index was read): never touched. */
    IN_USE,
    /** Kept until later than the cutoff. */
    NOT_EXPIRED;

    /**
     * @param stored the job as just read, empty if there is none
     * @param cutoff the cleaner's clock minus its grace period
     */
    static Eligibility of(Optional<Job> stored, Instant cutoff) {
        if (stored.isEmpty()) {
            return GONE;
        }
        Job job = stored.get();
        if (!job.status().mayExpire()) {
            return IN_USE;
        }
        return job.isExpired(cutoff) ? EXPIRED : NOT_EXPIRED;
    }
}
