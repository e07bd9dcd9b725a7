package io.conveyor.persistence;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The shape of one DynamoDB table, as data, so that the CDK stack, the local runtime and the tests create
 * exactly the same tables.
 *
 * @param logicalName  a stable name for the table in the deployment (for example {@code Jobs})
 * @param settingName  the environment variable that carries the physical table name to the functions
 * @param partitionKey the table's partition key
 * @param sortKey      the table's sort key, if any
 * @param indexes      its global secondary indexes
 * @param ttlAttribute the attribute DynamoDB's TTL deletes by, if any (epoch seconds)
 */
public record TableSpec(
        String logicalName,
        String settingName,
        KeyAttributeSpec partitionKey,
        Optional<KeyAttributeSpec> sortKey,
        List<IndexSpec> indexes,
        Optional<String> ttlAttribute) {

    public TableSpec {
        Objects.requireNonNull(logicalName, "logicalName");
        Objects.requireNonNull(settingName, "settingName");
        Objects.requireNonNull(partitionKey, "partitionKey");
        indexes = List.copyOf(indexes);
    }

    /** Every key attribute of the table and its indexes, once each, as {@code AttributeDefinitions} needs them. */
    public Map<String, KeyAttributeSpec.Type> keyAttributes() {
        Map<String, KeyAttributeSpec.Type> all = new LinkedHashMap<>();
        all.put(partitionKey.name(), partitionKey.type());
        sortKey.ifPresent(k -> all.put(k.name(), k.type()));
        for (IndexSpec index : indexes) {
            all.put(index.partitionKey().name(), index.partitionKey().type());
            index.sortKey().ifPresent(k -> all.put(k.name(), k.type()));
        }
        return all;
    }
}
