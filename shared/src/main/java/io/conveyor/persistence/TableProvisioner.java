package io.conveyor.persistence;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateGlobalSecondaryIndexAction;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndexUpdate;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveSpecification;
import software.amazon.awssdk.services.dynamodb.model.UpdateTimeToLiveRequest;

/**
 * Creates tables from their {@link TableSpec} where no CloudFormation does it: in the local runtime and
 * in tests. On AWS the CDK stack creates the same tables from the same definitions.
 */
public final class TableProvisioner {
    private final DynamoDbClient dynamoDb;

    public TableProvisioner(DynamoDbClient dynamoDb) {
        this.dynamoDb = dynamoDb;
    }

    /**
     * Creates the table on demand (pay per request) with its indexes and TTL. If it exists (a data directory from an
     * earlier version), adds the indexes it lacks, as CloudFormation would on a stack update, and changes nothing else.
     */
    public void create(TableSpec table, String physicalName) {
        if (createTable(table, physicalName)) {
            table.ttlAttribute().ifPresent(attribute -> dynamoDb.updateTimeToLive(UpdateTimeToLiveRequest.builder()
                    .tableName(physicalName)
                    .timeToLiveSpecification(TimeToLiveSpecification.builder().attributeName(attribute).enabled(true).build())
                    .build()));
        } else {
            addMissingIndexes(table, physicalName);
        }
    }

    /** One index per UpdateTable, as DynamoDB allows. */
    private void addMissingIndexes(TableSpec table, String physicalName) {
        CreateTableRequest wanted = request(table, physicalName);
        Set<String> present = new HashSet<>();
        dynamoDb.describeTable(b -> b.tableName(physicalName)).table().globalSecondaryIndexes()
                .forEach(index -> present.add(index.indexName()));
        for (GlobalSecondaryIndex index : wanted.globalSecondaryIndexes()) {
            if (present.contains(index.indexName())) {
                continue;
            }
            Set<String> keyNames = new HashSet<>();
            index.keySchema().forEach(key -> keyNames.add(key.attributeName()));
            dynamoDb.updateTable(b -> b.tableName(physicalName)
                    .attributeDefinitions(wanted.attributeDefinitions().stream()
                            .filter(a -> keyNames.contains(a.attributeName())).toList())
                    .globalSecondaryIndexUpdates(GlobalSecondaryIndexUpdate.builder()
                            .create(CreateGlobalSecondaryIndexAction.builder()
                                    .indexName(index.indexName())
                                    .keySchema(index.keySchema())
                                    .projection(index.projection())
                                    .build())
                            .build()));
        }
    }

    /** True when the table was created now, false when it already existed. */
    private boolean createTable(TableSpec table, String physicalName) {
        try {
            dynamoDb.createTable(request(table, physicalName));
        } catch (ResourceInUseException alreadyThere) {
            return false;
        }
        dynamoDb.waiter().waitUntilTableExists(b -> b.tableName(physicalName));
        return true;
    }

    /** The {@code CreateTable} request for {@code table}, built without a network call. */
    public static CreateTableRequest request(TableSpec table, String physicalName) {
        List<AttributeDefinition> attributes = new ArrayList<>();
        table.keyAttributes().forEach((name, type) -> attributes.add(
                AttributeDefinition.builder().attributeName(name).attributeType(type.code()).build()));
        List<GlobalSecondaryIndex> indexes = table.indexes().stream()
                .map(index -> GlobalSecondaryIndex.builder()
                        .indexName(index.name())
                        .keySchema(keySchema(index.partitionKey(), index.sortKey().orElse(null)))
                        .projection(Projection.builder()
                                .projectionType(index.keysOnly() ? ProjectionType.KEYS_ONLY : ProjectionType.ALL)
                                .build())
                        .build())
                .toList();
        CreateTableRequest.Builder request = CreateTableRequest.builder()
                .tableName(physicalName)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(attributes)
                .keySchema(keySchema(table.partitionKey(), table.sortKey().orElse(null)));
        if (!indexes.isEmpty()) {
            request.globalSecondaryIndexes(indexes);
        }
        return request.build();
    }

    private static List<KeySchemaElement> keySchema(KeyAttributeSpec partition, KeyAttributeSpec sort) {
        List<KeySchemaElement> keys = new ArrayList<>();
        keys.add(KeySchemaElement.builder().attributeName(partition.name()).keyType(KeyType.HASH).build());
        if (sort != null) {
            keys.add(KeySchemaElement.builder().attributeName(sort.name()).keyType(KeyType.RANGE).build());
        }
        return keys;
    }
}
