package io.conveyor.persistence;

import java.util.Objects;
import java.util.Optional;

/**
 * A global secondary index.
 *
 * @param name         the index name
 * @param partitionKey its partition key
 * @param sortKey      its sort key, if any
 * @param keysOnly     {@code true} to project only the keys, {@code false} to project every attribute
 */
public record IndexSpec(String name, KeyAttributeSpec partitionKey, Optional<KeyAttributeSpec> sortKey, boolean keysOnly) {
    public IndexSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(partitionKey, "partitionKey");
        Objects.requireNonNull(sortKey, "sortKey");
    }
}
