package io.conveyor.programs;

import java.util.Objects;

/**
 * An input file the owner declared when creating the job, checked against what was uploaded before the job
 * may be submitted.
 *
 * @param name        the file name, unique within the job; a plain name, never a path
 * @param size        the exact size in bytes
 * @param contentType the media type, or {@code null} when not given
 * @param sha256      the lowercase hex SHA-256 of the content, or {@code null} when not known
 */
public record DeclaredInput(String name, long size, String contentType, String sha256) {
    public DeclaredInput {
        Objects.requireNonNull(name, "name");
        if (size < 0) {
            throw new IllegalArgumentException("size must be zero or more, was " + size);
        }
    }
}
