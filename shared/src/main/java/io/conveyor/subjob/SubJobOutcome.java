package io.conveyor.subjob;

import io.conveyor.job.JobError;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A subjob's outcome as the worker invocation that ran it saw it.
 *
 * @param outputKey where its output is, for a success whose output is in the bucket
 * @param output    its output as JSON text, for a success whose output is small enough to keep with the subjob
 * @param error     why it failed, for a failure
 * @param duration  how long the worker ran it
 */
public record SubJobOutcome(int index, SubJobStatus status, String outputKey, String output, JobError error, Duration duration) {
    /** The longest output kept with its subjob item; a longer one goes to the bucket. */
    public static final int MAX_KEPT_OUTPUT_BYTES = 4096;

    public SubJobOutcome {
        if (!status.isOutcome()) {
            throw new IllegalArgumentException("an outcome is SUCCEEDED or FAILED, not " + status);
        }
        if (output != null && !fitsWithSubJob(output)) {
            throw new IllegalArgumentException("an output kept with its subjob may take " + MAX_KEPT_OUTPUT_BYTES
                    + " bytes at most; put it in the bucket");
        }
    }

    /** Whether {@code output} is small enough to keep with its subjob item. */
    public static boolean fitsWithSubJob(String output) {
        return output.length() <= MAX_KEPT_OUTPUT_BYTES
                && output.getBytes(StandardCharsets.UTF_8).length <= MAX_KEPT_OUTPUT_BYTES;
    }

    /** A success whose output is in the bucket under {@code outputKey}. */
    public static SubJobOutcome succeededWithOutputAt(int index, String outputKey, Duration duration) {
        return new SubJobOutcome(index, SubJobStatus.SUCCEEDED, outputKey, null, null, duration);
    }

    /** A success whose (small) output is kept with the subjob. */
    public static SubJobOutcome succeededWithOutput(int index, String output, Duration duration) {
        return new SubJobOutcome(index, SubJobStatus.SUCCEEDED, null, output, null, duration);
    }

    public static SubJobOutcome failed(int index, JobError error, Duration duration) {
        return new SubJobOutcome(index, SubJobStatus.FAILED, null, null, error, duration);
    }
}
