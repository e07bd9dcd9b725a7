package io.conveyor.usage;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.s3.model.S3Request;

/**
 * Counts what each SDK request costs, into the {@link UsageMeter} of the invocation that sends it: for
 * DynamoDB it asks for {@code ReturnConsumedCapacity=TOTAL} on every request that takes it (a request sent outside a
 * measured invocation is left as it is) and adds up the units the answer reports; for S3 it counts the request in its
 * price class and the bytes it stores.
 */
public final class UsageInterceptor implements ExecutionInterceptor {
    private static final String RETURN_CONSUMED_CAPACITY = "ReturnConsumedCapacity";
    private static final String CONSUMED_CAPACITY = "ConsumedCapacity";
    /** DynamoDB operations that read: their units are read units whatever the answer's fields say. */
    private static final Set<String> DYNAMODB_READS = Set.of("GetItem", "BatchGetItem", "Query", "Scan", "TransactGetItems");
    /** S3's first price class, "PUT, COPY, POST, LIST requests"; DELETE and abort are free; the rest are GET-class. */
    private static final Set<String> S3_CLASS_A = Set.of("PutObject", "CopyObject", "CreateMultipartUpload", "UploadPart",
            "UploadPartCopy", "CompleteMultipartUpload", "ListObjects", "ListObjectsV2", "ListParts",
            "ListMultipartUploads", "ListObjectVersions", "PutObjectTagging");
    private static final Set<String> S3_FREE = Set.of("DeleteObject", "DeleteObjects", "AbortMultipartUpload");
    private static final Set<String> S3_STORES = Set.of("PutObject", "UploadPart");

    @Override
    public SdkRequest modifyRequest(Context.ModifyRequest context, ExecutionAttributes attributes) {
        SdkRequest request = context.request();
        if (UsageMeter.current().isEmpty() || !(request instanceof DynamoDbRequest)
                || request.getValueForField(RETURN_CONSUMED_CAPACITY, Object.class).isPresent()) {
            return request;
        }
        SdkRequest.Builder builder = request.toBuilder();
        Optional<SdkField<?>> field = ((SdkPojo) builder).sdkFields().stream()
                .filter(f -> f.memberName().equals(RETURN_CONSUMED_CAPACITY)).findFirst();
        if (field.isEmpty()) {
            return request; // a control-plane request (DescribeTable): it costs no request units
        }
        field.get().set(builder, ReturnConsumedCapacity.TOTAL.toString());
        return builder.build();
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        if (UsageMeter.current().isEmpty()) {
            return;
        }
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        if (context.request() instanceof DynamoDbRequest) {
            UsageMeter.record(dynamoDbUnits(operation, context.response()));
        } else if (context.request() instanceof S3Request && !S3_FREE.contains(operation)) {
            long stored = S3_STORES.contains(operation) ? context.request().getValueForField("ContentLength", Long.class)
                    .orElseGet(() -> context.requestBody().flatMap(b -> b.optionalContentLength()).orElse(0L)) : 0;
            boolean classA = S3_CLASS_A.contains(operation);
            UsageMeter.record(Usage.s3(classA ? 1 : 0, classA ? 0 : 1, stored));
        }
    }

    /**
     * A conditional write whose condition fails still costs write units: DynamoDB charges it by the size of the item
     * it checked, at least one unit. Its error carries no {@code ConsumedCapacity} (the SDK's model has no such field),
     * so it is counted as that one unit: exact for an item under 1 KB (a job, a counter, a waitlist entry), short for a
     * larger one. A cancelled transaction is not counted: neither its error nor DynamoDB's documentation says what it
     * costs.
     */
    @Override
    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
        if (UsageMeter.current().isPresent() && context.exception() instanceof ConditionalCheckFailedException) {
            UsageMeter.record(Usage.dynamoDb(0, 1));
        }
    }

    /** The units an answer reports: one entry, or one per table (batches and transactions). */
    static Usage dynamoDbUnits(String operation, SdkResponse response) {
        Object reported = response.getValueForField(CONSUMED_CAPACITY, Object.class).orElse(null);
        List<?> entries = reported instanceof List<?> list ? list : reported == null ? List.of() : List.of(reported);
        double read = 0;
        double write = 0;
        for (Object entry : entries) {
            ConsumedCapacity c = (ConsumedCapacity) entry;
            double units = c.capacityUnits() == null ? 0 : c.capacityUnits();
            if (DYNAMODB_READS.contains(operation)) {
                read += units;
            } else {
                write += units;
            }
        }
        return Usage.dynamoDb(read, write);
    }
}
