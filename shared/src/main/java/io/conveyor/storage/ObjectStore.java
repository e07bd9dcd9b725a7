package io.conveyor.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.NoSuchUploadException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.s3.presigner.model.PresignedGetObjectRequest;
import software.amazon.awssdk.services.s3.presigner.model.PresignedPutObjectRequest;
import software.amazon.awssdk.services.s3.presigner.model.PresignedUploadPartRequest;
import software.amazon.awssdk.utils.Lazy;

/**
 * The product's bucket: small reads and writes, presigned uploads (single PUTs and multipart uploads) and downloads,
 * and deleting a job's prefix.
 * Keys come from {@link JobObjectLayout}.
 *
 * <p>Thread-safe.
 */
public final class ObjectStore {
    /** S3's limit on keys per DeleteObjects request. */
    private static final int DELETE_BATCH = 1000;

    private final Lazy<S3Client> s3;
    private final Lazy<S3Presigner> presigner;
    private final String bucket;
    private final Clock clock;

    public ObjectStore(S3Client s3, S3Presigner presigner, String bucket, Clock clock) {
        this(Lazy.withValue(s3), Lazy.withValue(presigner), bucket, clock);
    }

    private ObjectStore(Lazy<S3Client> s3, Lazy<S3Presigner> presigner, String bucket, Clock clock) {
        this.s3 = s3;
        this.presigner = presigner;
        this.bucket = bucket;
        this.clock = clock;
    }

    /**
     * An object store whose S3 client and presigner are built at their first use, once each: for a function that
     * may not touch objects at all, building them (0.2 to 0.3 s of class loading) would only lengthen its start.
     */
    public static ObjectStore builtOnFirstUse(Supplier<S3Client> s3, Supplier<S3Presigner> presigner, String bucket,
            Clock clock) {
        return new ObjectStore(new Lazy<>(s3), new Lazy<>(presigner), bucket, clock);
    }

    private S3Client s3() {
        return s3.getValue();
    }

    private S3Presigner presigner() {
        return presigner.getValue();
    }

    public String bucket() {
        return bucket;
    }

    /**
     * A presigned PUT for exactly {@code size} bytes at {@code key}. The size (and the content type, when given)
     * is signed, so an upload of anything else is refused by S3 itself.
     */
    public PresignedRequest presignPut(String key, long size, String contentType, Duration ttl) {
        Instant expiresAt = clock.instant().plus(ttl);
        PresignedPutObjectRequest signed = presigner().presignPutObject(p -> p
                .signatureDuration(ttl)
                .putObjectRequest(r -> {
                    r.bucket(bucket).key(key).contentLength(size);
                    if (contentType != null) {
                        r.contentType(contentType);
                    }
                }));
        return new PresignedRequest("PUT", toUri(signed.url()), signedHeaders(signed.signedHeaders()), expiresAt);
    }

    /**
     * Starts a multipart upload at {@code key}; the object appears only once {@link #completeMultipartUpload} is called.
     *
     * @return the upload's id
     */
    public String startMultipartUpload(String key, String contentType) {
        return s3().createMultipartUpload(r -> r.bucket(bucket).key(key).contentType(contentType)).uploadId();
    }

    /** The ids of the open multipart uploads at exactly {@code key}, oldest first. */
    public List<String> openMultipartUploads(String key) {
        return s3().listMultipartUploadsPaginator(r -> r.bucket(bucket).prefix(key)).uploads().stream()
                .filter(u -> u.key().equals(key))
                .sorted(Comparator.comparing(MultipartUpload::initiated).thenComparing(MultipartUpload::uploadId))
                .map(MultipartUpload::uploadId)
                .toList();
    }

    /** The parts uploaded so far to an open multipart upload, by part number; empty if the upload is gone. */
    public Optional<List<UploadedPart>> uploadedParts(String key, String uploadId) {
        try {
            return Optional.of(s3().listPartsPaginator(r -> r.bucket(bucket).key(key).uploadId(uploadId)).parts().stream()
                    .map(p -> new UploadedPart(p.partNumber(), p.size(), p.eTag()))
                    .sorted(Comparator.comparingInt(UploadedPart::number))
                    .toList());
        } catch (NoSuchUploadException e) {
            return Optional.empty();
        }
    }

    /**
     * A presigned UploadPart of exactly {@code size} bytes. The size is signed, so S3 refuses anything else; a client
     * may add {@code Content-MD5}, which S3 then checks against the bytes it receives.
     */
    public PresignedRequest presignUploadPart(String key, String uploadId, int partNumber, long size, Duration ttl) {
        Instant expiresAt = clock.instant().plus(ttl);
        PresignedUploadPartRequest signed = presigner().presignUploadPart(p -> p
                .signatureDuration(ttl)
                .uploadPartRequest(r -> r.bucket(bucket).key(key).uploadId(uploadId).partNumber(partNumber).contentLength(size)));
        return new PresignedRequest("PUT", toUri(signed.url()), signedHeaders(signed.signedHeaders()), expiresAt);
    }

    /**
     * Assembles the object at {@code key} from {@code parts}, in part-number order.
     *
     * @return false when the upload no longer exists (completed or aborted by someone else)
     */
    public boolean completeMultipartUpload(String key, String uploadId, List<UploadedPart> parts) {
        List<CompletedPart> completed = parts.stream()
                .map(p -> CompletedPart.builder().partNumber(p.number()).eTag(p.eTag()).build())
                .toList();
        try {
            s3().completeMultipartUpload(r -> r.bucket(bucket).key(key).uploadId(uploadId)
                    .multipartUpload(CompletedMultipartUpload.builder().parts(completed).build()));
            return true;
        } catch (NoSuchUploadException e) {
            return false;
        }
    }

    /** Discards an open multipart upload and its parts; nothing happens if it is gone already. */
    public void abortMultipartUpload(String key, String uploadId) {
        try {
            s3().abortMultipartUpload(r -> r.bucket(bucket).key(key).uploadId(uploadId));
        } catch (NoSuchUploadException e) {
            // Aborted or completed meanwhile: either way nothing is left open.
        }
    }

    /**
     * Discards every open multipart upload under {@code prefix}: their parts are stored (and billed) but invisible to
     * listings and to {@link #deletePrefix}.
     *
     * @return how many were aborted
     */
    public int abortMultipartUploads(String prefix) {
        if (prefix.isEmpty() || !prefix.endsWith("/")) {
            throw new IllegalArgumentException("a prefix to abort uploads under must be non-empty and end with '/', was '"
                    + prefix + "'");
        }
        List<MultipartUpload> open = s3().listMultipartUploadsPaginator(r -> r.bucket(bucket).prefix(prefix)).uploads()
                .stream().toList();
        open.forEach(u -> abortMultipartUpload(u.key(), u.uploadId()));
        return open.size();
    }

    /** A presigned GET of {@code key}; {@code downloadName}, when given, is the file name browsers save it as. */
    public PresignedRequest presignGet(String key, Duration ttl, String downloadName) {
        Instant expiresAt = clock.instant().plus(ttl);
        PresignedGetObjectRequest signed = presigner().presignGetObject(p -> p
                .signatureDuration(ttl)
                .getObjectRequest(r -> {
                    r.bucket(bucket).key(key);
                    if (downloadName != null) {
                        r.responseContentDisposition("attachment; filename=\"" + downloadName.replace("\"", "") + "\"");
                    }
                }));
        return new PresignedRequest("GET", toUri(signed.url()), signedHeaders(signed.signedHeaders()), expiresAt);
    }

    /** Size and type of the object at {@code key}, empty if there is none. */
    public Optional<StoredObject> head(String key) {
        try {
            HeadObjectResponse head = s3().headObject(r -> r.bucket(bucket).key(key));
            return Optional.of(new StoredObject(key, head.contentLength(), head.contentType()));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    public void put(String key, byte[] content, String contentType) {
        s3().putObject(r -> r.bucket(bucket).key(key).contentType(contentType), RequestBody.fromBytes(content));
    }

    /** Deletes the object at {@code key}; nothing happens if there is none. */
    public void delete(String key) {
        s3().deleteObject(r -> r.bucket(bucket).key(key));
    }

    /** The whole object at {@code key}; for small objects (manifests, results), not for bulk data. */
    public Optional<byte[]> get(String key) {
        try {
            return Optional.of(s3().getObjectAsBytes(r -> r.bucket(bucket).key(key)).asByteArray());
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        }
    }

    /** A stream of the object at {@code key}, to be closed by the caller. */
    public InputStream open(String key) {
        ResponseInputStream<GetObjectResponse> stream = s3().getObject(r -> r.bucket(bucket).key(key));
        return stream;
    }

    /** Bytes {@code from} (inclusive) to {@code to} (exclusive) of the object at {@code key}, to be closed by the caller. */
    public InputStream openRange(String key, long from, long to) {
        if (from < 0 || to < from) {
            throw new IllegalArgumentException("byte range [" + from + ", " + to + ") is not a range");
        }
        if (to == from) {
            return InputStream.nullInputStream();
        }
        return s3().getObject(r -> r.bucket(bucket).key(key).range("bytes=" + from + "-" + (to - 1)));
    }

    /** The lowercase hex SHA-256 of the object at {@code key}, read as a stream. */
    public String sha256(String key) {
        try (InputStream in = open(key)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[64 * 1024];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + key + " to check its SHA-256", e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** Keys under {@code prefix}, at most {@code limit}, in key order. */
    public List<String> list(String prefix, int limit) {
        List<String> keys = new ArrayList<>();
        String token = null;
        do {
            String continuation = token;
            ListObjectsV2Response page = s3().listObjectsV2(r -> r.bucket(bucket).prefix(prefix)
                    .maxKeys(Math.min(1000, limit - keys.size())).continuationToken(continuation));
            page.contents().stream().map(S3Object::key).forEach(keys::add);
            token = page.isTruncated() ? page.nextContinuationToken() : null;
        } while (token != null && keys.size() < limit);
        return keys;
    }

    /**
     * Deletes every object under {@code prefix}, a listing page and a batch delete at a time.
     *
     * @return how many objects were deleted
     * @throws IllegalStateException if S3 reports any key it could not delete
     */
    public int deletePrefix(String prefix) {
        if (prefix.isEmpty() || !prefix.endsWith("/")) {
            throw new IllegalArgumentException("a prefix to delete must be non-empty and end with '/', was '" + prefix + "'");
        }
        int deleted = 0;
        while (true) {
            // Always list from the start: what is listed is deleted, so the next listing begins after it.
            ListObjectsV2Response page = s3().listObjectsV2(r -> r.bucket(bucket).prefix(prefix).maxKeys(DELETE_BATCH));
            if (page.contents().isEmpty()) {
                return deleted;
            }
            List<ObjectIdentifier> ids = page.contents().stream()
                    .map(o -> ObjectIdentifier.builder().key(o.key()).build())
                    .toList();
            DeleteObjectsResponse response = s3().deleteObjects(r -> r.bucket(bucket)
                    .delete(Delete.builder().objects(ids).quiet(true).build()));
            if (response.hasErrors() && !response.errors().isEmpty()) {
                throw new IllegalStateException("S3 could not delete " + response.errors().size() + " objects under "
                        + prefix + ", first: " + response.errors().get(0).key() + " (" + response.errors().get(0).code() + ")");
            }
            deleted += ids.size();
        }
    }

    private static Map<String, String> signedHeaders(Map<String, List<String>> headers) {
        Map<String, String> flat = new HashMap<>();
        // The host header is set by every HTTP client from the URL; a caller must not set it again.
        headers.forEach((name, values) -> {
            if (!"host".equalsIgnoreCase(name)) {
                flat.put(name, String.join(",", values));
            }
        });
        return flat;
    }

    private static URI toUri(java.net.URL url) {
        try {
            return url.toURI();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException("the SDK signed a URL that is not a URI: " + url, e);
        }
    }
}
