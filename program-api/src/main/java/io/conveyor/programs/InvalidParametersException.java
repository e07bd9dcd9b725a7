package io.conveyor.programs;

/** The job's parameters cannot work for this program; retrying cannot help. The message says what to change. */
public class InvalidParametersException extends RuntimeException {
    public InvalidParametersException(String message) {
        super(message);
    }
}
