package io.conveyor.local.runtime.iam;

import java.util.List;
import java.util.Set;
import software.amazon.awssdk.auth.signer.AwsSignerExecutionAttribute;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbRequest;
import software.amazon.awssdk.services.s3.model.S3Request;

/**
 * Records the DynamoDB and S3 calls of the functions while an {@link IamCallRecording} runs; does nothing otherwise.
 * Registered as a global interceptor ({@code software/amazon/awssdk/global/handlers/execution.interceptors} in this
 * module), which every SDK client built in this JVM runs, so the functions' clients need no change. It hears a call at
 * {@code beforeMarshalling}, once per call whatever its retries, which the S3 presigner runs too: a presigned URL is
 * recorded as the call it permits, by the function that signed it.
 */
public final class SdkCallRecorder implements ExecutionInterceptor {
    /** Reads whose 404 the stores rely on (see {@link S3Actions#missingObject}). */
    private static final Set<String> OBJECT_READS = Set.of("GetObject", "HeadObject");

    @Override
    public void beforeMarshalling(Context.BeforeMarshalling context, ExecutionAttributes attributes) {
        IamCallRecording recording = IamCallRecording.active();
        String function = IamCallRecording.callingFunction();
        if (recording == null || function == null) {
            return;
        }
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        if (context.request() instanceof DynamoDbRequest) {
            recording.function(function, recording.dynamoDb.of(operation, context.request()));
        } else if (context.request() instanceof S3Request) {
            boolean presigned = attributes.getAttribute(AwsSignerExecutionAttribute.PRESIGNER_EXPIRATION) != null;
            recording.function(function, recording.s3.of(operation, context.request(), presigned));
        } else {
            recording.function(function, List.of(IamCall.unmapped(
                    attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME), operation, "*")));
        }
    }

    @Override
    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
        IamCallRecording recording = IamCallRecording.active();
        String function = IamCallRecording.callingFunction();
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        if (recording != null && function != null && context.request() instanceof S3Request
                && OBJECT_READS.contains(operation)
                && context.exception() instanceof SdkServiceException e && e.statusCode() == 404) {
            recording.function(function, List.of(recording.s3.missingObject(operation, context.request())));
        }
    }
}
