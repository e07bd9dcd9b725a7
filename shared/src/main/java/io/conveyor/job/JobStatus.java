package io.conveyor.job;

/**
 * Where a job is in its lifecycle. Each name is a fact about the job; {@link JobLifecycle} says which
 * {@link JobEvent} moves it from one to the next.
 */
public enum JobStatus {
    /** Recorded, waiting for its declared inputs to be uploaded and for the owner to submit it. */
    CREATED,
    /** Submitted; waiting for a quota slot and for the jobs it depends on. */
    QUEUED,
    /** Admitted: holds a quota slot and its current attempt is running. */
    RUNNING,
    /** Its last attempt failed with a retryable error; holds its slot while the re-registration delay passes. */
    RETRY_WAITING,
    /** Finished with a result. */
    SUCCEEDED,
    /** Finished without a result, with an error. */
    FAILED,
    /** Stopped by its owner. */
    CANCELLED;

    /** A terminal job never changes again unless its owner retries it. */
    public boolean isTerminal() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }

    /**
     * Nothing runs a job in this status, so it may expire: a terminal job, or one created but never submitted.
     * A queued or running job never expires.
     */
    public boolean mayExpire() {
        return this == CREATED || isTerminal();
    }
}
