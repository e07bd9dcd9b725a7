package io.conveyor.dynamodb.internal.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conveyor.dynamodb.internal.table.IndexDefinition;
import io.conveyor.dynamodb.internal.table.TableDefinition;

/** What a secondary index holds of an item: its projection of the table's item. */
final class IndexProjection {
    private IndexProjection() {
    }

    /** The item as the index projects it: the table's and the index's keys, plus INCLUDE's or ALL attributes. */
    static ObjectNode project(TableDefinition table, IndexDefinition index, ObjectNode item) {
        if (index.projectsAll()) {
            return item;
        }
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        copy(item, out, table.hash().name());
        if (table.range() != null) {
            copy(item, out, table.range().name());
        }
        copy(item, out, index.hash().name());
        if (index.range() != null) {
            copy(item, out, index.range().name());
        }
        index.nonKeyAttributes().forEach(a -> copy(item, out, a));
        return out;
    }

    private static void copy(ObjectNode from, ObjectNode to, String attribute) {
        JsonNode v = from.get(attribute);
        if (v != null) {
            to.set(attribute, v);
        }
    }
}
