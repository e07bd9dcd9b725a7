package io.conveyor.cdk;

import io.conveyor.deployment.Catalogue;
import io.conveyor.deployment.Resource;
import io.conveyor.persistence.IndexSpec;
import io.conveyor.persistence.KeyAttributeSpec;
import io.conveyor.persistence.TableSpec;
import io.conveyor.storage.JobObjectLayout;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.dynamodb.Attribute;
import software.amazon.awscdk.services.dynamodb.AttributeType;
import software.amazon.awscdk.services.dynamodb.BillingMode;
import software.amazon.awscdk.services.dynamodb.GlobalSecondaryIndexProps;
import software.amazon.awscdk.services.dynamodb.PointInTimeRecoverySpecification;
import software.amazon.awscdk.services.dynamodb.ProjectionType;
import software.amazon.awscdk.services.dynamodb.Table;
import software.amazon.awscdk.services.dynamodb.TableEncryption;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.CorsRule;
import software.amazon.awscdk.services.s3.HttpMethods;
import software.amazon.awscdk.services.s3.LifecycleRule;
import software.amazon.awscdk.services.s3.ObjectOwnership;
import software.constructs.Construct;

/**
 * The data: the job bucket (and its access-log bucket) and every table of {@link Catalogue#TABLES}, shaped
 * exactly as the catalogue defines them.
 */
public final class Storage extends Construct {
    /** Every job object lives under this prefix ({@link JobObjectLayout}); grants and the lifecycle rule use it. */
    public static final String JOBS_PREFIX = "jobs/";

    private final Bucket bucket;
    private final Bucket accessLogs;
    private final Map<Resource, Table> tables = new EnumMap<>(Resource.class);
    private final Map<Resource, TableSpec> definitions = new EnumMap<>(Resource.class);

    public Storage(Construct scope, String id, DeploymentOptions options) {
        super(scope, id);
        RemovalPolicy removal = options.retainData() ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

        accessLogs = Bucket.Builder.create(this, "AccessLogsBucket")
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .encryption(BucketEncryption.S3_MANAGED)
                .enforceSsl(true)
                .objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED)
                .lifecycleRules(List.of(LifecycleRule.builder()
                        .id("ExpireAccessLogs")
                        .expiration(Duration.days(options.logRetentionDays()))
                        .abortIncompleteMultipartUploadAfter(Duration.days(1))
                        .build()))
                .removalPolicy(removal)
                .build();
        Bucket.Builder jobs = Bucket.Builder.create(this, "JobsBucket")
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .encryption(BucketEncryption.S3_MANAGED)
                .enforceSsl(true)
                .objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED)
                .serverAccessLogsBucket(accessLogs)
                .serverAccessLogsPrefix("jobs-bucket/")
                .lifecycleRules(List.of(LifecycleRule.builder()
                        // The cleaner deletes a job's objects when the job expires; this only catches what it missed.
                        .id("ExpireJobObjectsBackstop")
                        .prefix(JOBS_PREFIX)
                        .expiration(Duration.days(options.objectExpiryDays()))
                        .abortIncompleteMultipartUploadAfter(Duration.days(1))
                        .build()))
                .removalPolicy(removal);
        bucket = jobs.build();
        if (!options.corsOrigins().isEmpty()) {
            allowBrowsers(options.corsOrigins());
        }

        for (TableSpec definition : Catalogue.TABLES) {
            Resource resource = Resource.of(definition);
            Table.Builder table = Table.Builder.create(this, definition.logicalName() + "Table")
                    .partitionKey(attribute(definition.partitionKey()))
                    .billingMode(BillingMode.PAY_PER_REQUEST)
                    .encryption(TableEncryption.AWS_MANAGED)
                    .pointInTimeRecoverySpecification(PointInTimeRecoverySpecification.builder()
                            .pointInTimeRecoveryEnabled(true)
                            .build())
                    .deletionProtection(options.retainData())
                    .removalPolicy(removal);
            definition.sortKey().ifPresent(k -> table.sortKey(attribute(k)));
            definition.ttlAttribute().ifPresent(table::timeToLiveAttribute);
            Table built = table.build();
            for (IndexSpec index : definition.indexes()) {
                GlobalSecondaryIndexProps.Builder gsi = GlobalSecondaryIndexProps.builder()
                        .indexName(index.name())
                        .partitionKey(attribute(index.partitionKey()))
                        .projectionType(index.keysOnly() ? ProjectionType.KEYS_ONLY : ProjectionType.ALL);
                index.sortKey().ifPresent(k -> gsi.sortKey(attribute(k)));
                built.addGlobalSecondaryIndex(gsi.build());
            }
            tables.put(resource, built);
            definitions.put(resource, definition);
        }
    }

    private static Attribute attribute(KeyAttributeSpec key) {
        return Attribute.builder()
                .name(key.name())
                .type(key.type() == KeyAttributeSpec.Type.NUMBER ? AttributeType.NUMBER : AttributeType.STRING)
                .build();
    }

    /** Lets pages of these origins upload inputs and download results straight from S3 with presigned URLs. */
    public void allowBrowsers(List<String> origins) {
        bucket.addCorsRule(CorsRule.builder()
                .allowedOrigins(origins)
                .allowedMethods(List.of(HttpMethods.PUT, HttpMethods.GET, HttpMethods.HEAD))
                .allowedHeaders(List.of("content-type", "content-length", "content-md5",
                        "x-amz-checksum-sha256", "x-amz-sdk-checksum-algorithm"))
                .exposedHeaders(List.of("etag"))
                .maxAge(3000)
                .build());
    }

    public Bucket bucket() {
        return bucket;
    }

    public Bucket accessLogs() {
        return accessLogs;
    }

    /** The table of a table resource. */
    public Table table(Resource resource) {
        Table table = tables.get(resource);
        if (table == null) {
            throw new IllegalArgumentException(resource + " is not a table");
        }
        return table;
    }

    /** The catalogue's definition of a table resource. */
    public TableSpec definition(Resource resource) {
        return definitions.get(resource);
    }

    /** Every table, by resource, in catalogue order. */
    public Map<Resource, Table> tables() {
        Map<Resource, Table> ordered = new LinkedHashMap<>();
        for (TableSpec definition : Catalogue.TABLES) {
            Resource resource = Resource.of(definition);
            ordered.put(resource, tables.get(resource));
        }
        return ordered;
    }
}
