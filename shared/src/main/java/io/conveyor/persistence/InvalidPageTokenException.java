package io.conveyor.persistence;

/** A page token that this listing did not hand out: malformed, tampered with, or from another listing. */
public final class InvalidPageTokenException extends RuntimeException {
    public InvalidPageTokenException(String message) {
        super(message);
    }
}
