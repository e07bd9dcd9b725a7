package io.conveyor.local.runtime.iam;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectsRequest;
import software.amazon.awssdk.services.s3.model.ListObjectsRequest;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;

/**
 * How IAM authorises an S3 call: object operations on the object's ARN ({@code bucket/key}), bucket operations on the
 * bucket's; the action is often not the operation's name (HeadObject is {@code s3:GetObject}, ListObjectsV2 is
 * {@code s3:ListBucket} with the prefix as {@code s3:prefix}, every step of a multipart upload but ListParts and
 * AbortMultipartUpload is {@code s3:PutObject}, DeleteObjects is {@code s3:DeleteObject} on each key).
 *
 * <p>A presigned URL is signed with the caller's credentials and authorised, when it is used, against the caller's
 * role: a URL the caller presigns is recorded as the call it permits, made by the caller.
 */
final class S3Actions {
    private static final String SERVICE = "S3";
    /** Operations on one object, and the action each needs. */
    private static final Map<String, String> OBJECT_ACTIONS = Map.of(
            "GetObject", "s3:GetObject",
            "HeadObject", "s3:GetObject",
            "PutObject", "s3:PutObject",
            "CreateMultipartUpload", "s3:PutObject",
            "UploadPart", "s3:PutObject",
            "CompleteMultipartUpload", "s3:PutObject",
            "AbortMultipartUpload", "s3:AbortMultipartUpload",
            "ListParts", "s3:ListMultipartUploadParts",
            "DeleteObject", "s3:DeleteObject");
    /** Operations on the bucket, and the action each needs. */
    private static final Map<String, String> BUCKET_ACTIONS = Map.of(
            "ListObjectsV2", "s3:ListBucket",
            "ListObjects", "s3:ListBucket",
            "HeadBucket", "s3:ListBucket",
            "ListMultipartUploads", "s3:ListBucketMultipartUploads",
            "CreateBucket", "s3:CreateBucket");

    private final Arns arns;

    S3Actions(Arns arns) {
        this.arns = arns;
    }

    /**
     * @param presigned whether the call is a URL being presigned rather than sent
     */
    List<IamCall> of(String operation, SdkRequest request, boolean presigned) {
        String call = SERVICE + "." + operation + (presigned ? " (presigned URL)" : "");
        String bucket = request.getValueForField("Bucket", String.class).orElse("");
        List<IamCall> calls = new ArrayList<>();
        if (request instanceof DeleteObjectsRequest delete) {
            for (ObjectIdentifier object : delete.delete().objects()) {
                calls.add(new IamCall("s3:DeleteObject", arns.object(bucket, object.key()), call));
            }
        } else if (request instanceof CopyObjectRequest copy) {
            calls.add(new IamCall("s3:GetObject", arns.object(copy.sourceBucket(), copy.sourceKey()), call));
            calls.add(new IamCall("s3:PutObject", arns.object(bucket, copy.destinationKey()), call));
        } else if (OBJECT_ACTIONS.containsKey(operation)) {
            String key = request.getValueForField("Key", String.class).orElseThrow();
            calls.add(new IamCall(OBJECT_ACTIONS.get(operation), arns.object(bucket, key), call));
        } else if (BUCKET_ACTIONS.containsKey(operation)) {
            calls.add(new IamCall(BUCKET_ACTIONS.get(operation), arns.bucket(bucket), listingKeys(request), call));
        } else {
            calls.add(IamCall.unmapped(SERVICE, operation, bucket.isEmpty() ? "*" : arns.bucket(bucket)));
        }
        return calls;
    }

    /**
     * A read of a missing object is answered 404 only to a caller who may list the bucket; to any other, 403. The
     * stores rely on the 404, so such an answer is recorded as needing {@code s3:ListBucket} too.
     */
    IamCall missingObject(String operation, SdkRequest request) {
        String bucket = request.getValueForField("Bucket", String.class).orElseThrow();
        return new IamCall("s3:ListBucket", arns.bucket(bucket), SERVICE + "." + operation + " of a missing object (404)");
    }

    /** The condition keys of a listing: its prefix and delimiter, when it has them. */
    private static Map<String, String> listingKeys(SdkRequest request) {
        Map<String, String> keys = new LinkedHashMap<>();
        String prefix = null;
        String delimiter = null;
        if (request instanceof ListObjectsV2Request list) {
            prefix = list.prefix();
            delimiter = list.delimiter();
        } else if (request instanceof ListObjectsRequest list) {
            prefix = list.prefix();
            delimiter = list.delimiter();
        }
        if (prefix != null) {
            keys.put("s3:prefix", prefix);
        }
        if (delimiter != null) {
            keys.put("s3:delimiter", delimiter);
        }
        return keys;
    }
}
