package io.conveyor.subjob;

/** Where one subjob is. Only {@link #SUCCEEDED} and {@link #FAILED} are outcomes. */
public enum SubJobStatus {
    /** Listed in the manifest, not yet started. */
    PENDING,
    /**
     * Taken by a worker invocation with the rest of its batch, waiting its turn: a batch runs its subjobs one after
     * another, so of a batch one subjob is {@link #RUNNING} at a time.
     */
    ASSIGNED,
    /** Its worker is running (or being retried). */
    RUNNING,
    SUCCEEDED,
    /** Its worker failed after every retry. */
    FAILED,
    /**
     * Its job ended (cancelled, or failed as a whole) before it did: never stored, the API shows a subjob of an ended
     * attempt that is still PENDING, ASSIGNED or RUNNING so (see {@link SubJob#asOfEndedJob}).
     */
    STOPPED;

    public boolean isOutcome() {
        return this == SUCCEEDED || this == FAILED;
    }
}
