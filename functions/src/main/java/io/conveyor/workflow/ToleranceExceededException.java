package io.conveyor.workflow;

/** More subjobs failed than the program tolerates; the message gives the counts. */
public final class ToleranceExceededException extends RuntimeException {
    public ToleranceExceededException(String message) {
        super(message);
    }
}
