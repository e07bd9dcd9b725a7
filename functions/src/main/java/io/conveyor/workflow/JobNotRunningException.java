package io.conveyor.workflow;

/** A workflow step found its job no longer running the attempt it was started for (it was cancelled, say). */
public final class JobNotRunningException extends RuntimeException {
    public JobNotRunningException(String message) {
        super(message);
    }
}
