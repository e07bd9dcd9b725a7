package io.conveyor.dynamodb.internal.table;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conveyor.dynamodb.internal.expression.KeySchema;
import java.util.List;

/**
 * A secondary index as declared: global (its own partition key) or local (the table's partition key, another
 * sort key), its key attributes and which attributes it projects.
 *
 * @param range null when the index has no sort key
 * @param projectionType {@code KEYS_ONLY}, {@code INCLUDE} or {@code ALL}
 * @param nonKeyAttributes the attributes an {@code INCLUDE} projection adds (empty otherwise)
 * @param provisionedThroughput as declared, or null (on-demand tables)
 */
public record IndexDefinition(String name, boolean global, KeyAttribute hash, KeyAttribute range,
        String projectionType, List<String> nonKeyAttributes, ObjectNode provisionedThroughput) {

    /** The index's key attribute names, as expressions see them. */
    public KeySchema keySchema() {
        return new KeySchema(hash.name(), range == null ? null : range.name());
    }

    /** Whether a Query on this index may ask for all attributes without fetching from the table. */
    public boolean projectsAll() {
        return projectionType.equals("ALL");
    }
}
