package io.conveyor.subjob;

/** Where one subjob is. Only {@link #SUCCEEDED} and {@link #FAILED} are outcomes. */
public enum SubJobStatus {
    /** Listed in the manifest, not yet started. */
    PENDING,
    /** Its worker is running (or being retried). */
    RUNNING,
    SUCCEEDED,
    /** Its worker failed after every retry. */
    FAILED;

    public boolean isOutcome() {
        return this == SUCCEEDED || this == FAILED;
    }
}
