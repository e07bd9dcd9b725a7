package io.conveyor.persistence;

/**
 * A conditional write lost: the item changed since it was read (or already exists, for a create). The caller
 * reads it again and decides anew; nothing was written.
 */
public final class ConcurrentUpdateException extends RuntimeException {
    public ConcurrentUpdateException(String message, Throwable cause) {
        super(message, cause);
    }
}
