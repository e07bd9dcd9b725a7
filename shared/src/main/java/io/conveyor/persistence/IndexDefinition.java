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
public record IndexDefinition(String name, KeyAttribute partitionKey, Optional<KeyAttribute> sortKey, boolean keysOnly) {
    public IndexDefinition {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(partitionKey, "partitionKey");
        Objects.requireNonNull(sortKey, "sortKey");
    }
}
