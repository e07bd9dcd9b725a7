package io.conveyor.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conveyor.testing.LocalAws;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The bucket on S3Proxy, with presigned URLs used through java.net.http as a client would. */
class ObjectStoreTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private ObjectStore objects;

    @BeforeEach
    void freshBucket() {
        LocalAws.Deployment deployment = LocalAws.get().newDeployment();
        objects = new ObjectStore(deployment.s3(), deployment.presigner(), deployment.settings().bucket(), Clock.systemUTC());
    }

    private static HttpResponse<byte[]> send(PresignedRequest signed, byte[] body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(signed.url())
                .method(signed.method(), body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        signed.headers().forEach((name, value) -> {
            if (!"content-length".equalsIgnoreCase(name)) {
                request.header(name, value);
            }
        });
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void builtOnFirstUse_buildsTheClientAndPresignerAtTheirFirstUse_onceEach() {
        LocalAws.Deployment deployment = LocalAws.get().newDeployment();
        java.util.concurrent.atomic.AtomicInteger clients = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger presigners = new java.util.concurrent.atomic.AtomicInteger();
        ObjectStore lazy = ObjectStore.builtOnFirstUse(() -> {
            clients.incrementAndGet();
            return deployment.s3();
        }, () -> {
            presigners.incrementAndGet();
            return deployment.presigner();
        }, deployment.settings().bucket(), Clock.systemUTC());
        assertEquals(List.of(0, 0), List.of(clients.get(), presigners.get()), "nothing built with the store");

        String key = JobObjectLayout.input("j1", "a.txt");
        lazy.put(key, new byte[] {1}, "application/octet-stream");
        assertEquals(Optional.of(new StoredObject(key, 1, "application/octet-stream")), lazy.head(key));
        assertEquals(List.of(1, 0), List.of(clients.get(), presigners.get()));
        lazy.presignGet(key, Duration.ofMinutes(1), null);
        lazy.presignGet(key, Duration.ofMinutes(1), null);
        assertEquals(List.of(1, 1), List.of(clients.get(), presigners.get()));
    }

    @Test
    void presignedPut_thenPresignedGet_roundTripsTheContent() throws Exception {
        byte[] content = "the quick brown fox\n".getBytes(StandardCharsets.UTF_8);
        String key = JobObjectLayout.input("j1", "fox.txt");
        PresignedRequest put = objects.presignPut(key, content.length, "text/plain", Duration.ofMinutes(5));
        assertTrue(put.url().toString().startsWith("http://127.0.0.1:"), "path-style on the emulator: " + put.url());
        assertEquals(200, send(put, content).statusCode());

        assertEquals(Optional.of(new StoredObject(key, content.length, "text/plain")), objects.head(key));
        HttpResponse<byte[]> got = send(objects.presignGet(key, Duration.ofMinutes(5), "fox.txt"), null);
        assertEquals(200, got.statusCode());
        assertArrayEquals(content, got.body());
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content)), objects.sha256(key));
    }

    @Test
    void tamperedPresignedUrl_isRefused() throws Exception {
        String key = JobObjectLayout.input("j1", "a.txt");
        objects.put(key, new byte[] {1, 2, 3}, "application/octet-stream");
        PresignedRequest get = objects.presignGet(key, Duration.ofMinutes(5), null);
        URI otherKey = URI.create(get.url().toString().replace("a.txt", "b.txt"));
        PresignedRequest tampered = new PresignedRequest("GET", otherKey, get.headers(), get.expiresAt());
        assertEquals(403, send(tampered, null).statusCode());

        String signature = get.url().getQuery().replaceAll(".*X-Amz-Signature=([0-9a-f]+).*", "$1");
        String flipped = (signature.charAt(0) == '0' ? "1" : "0") + signature.substring(1);
        URI badSignature = URI.create(get.url().toString().replace(signature, flipped));
        assertEquals(403, send(new PresignedRequest("GET", badSignature, get.headers(), get.expiresAt()), null).statusCode());
    }

    @Test
    void presignedPut_ofAnotherContentType_isRefused() throws Exception {
        String key = JobObjectLayout.input("j1", "a.txt");
        PresignedRequest put = objects.presignPut(key, 3, "text/plain", Duration.ofMinutes(5));
        PresignedRequest otherType = new PresignedRequest("PUT", put.url(),
                java.util.Map.of("Content-Type", "application/json"), put.expiresAt());
        assertEquals(403, send(otherType, new byte[] {1, 2, 3}).statusCode());
        assertEquals(Optional.empty(), objects.head(key), "nothing was stored");
    }

    @Test
    void openRange_readsExactlyTheRequestedBytes() throws Exception {
        String key = JobObjectLayout.input("j1", "digits.txt");
        objects.put(key, "0123456789".getBytes(StandardCharsets.UTF_8), "text/plain");
        try (var in = objects.openRange(key, 3, 7)) {
            assertEquals("3456", new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        try (var in = objects.openRange(key, 5, 5)) {
            assertEquals(0, in.readAllBytes().length);
        }
    }

    @Test
    void head_andGet_ofAMissingKey_areEmpty() {
        assertEquals(Optional.empty(), objects.head("jobs/nope/inputs/x"));
        assertEquals(Optional.empty(), objects.get("jobs/nope/inputs/x"));
    }

    @Test
    void deletePrefix_removesThousandsOfObjectsOfOneJobOnly() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> writes = new java.util.ArrayList<>();
            for (int i = 0; i < 2100; i++) {
                String key = JobObjectLayout.subJobOutput("doomed", 1, i);
                writes.add(pool.submit(() -> objects.put(key, new byte[] {7}, "application/json")));
            }
            for (Future<?> write : writes) {
                write.get();
            }
        } finally {
            pool.shutdownNow();
        }
        objects.put(JobObjectLayout.result("kept", 1), new byte[] {1}, "application/json");

        assertEquals(2100, objects.deletePrefix(JobObjectLayout.jobPrefix("doomed")));
        assertEquals(List.of(), objects.list(JobObjectLayout.jobPrefix("doomed"), 10));
        assertEquals(List.of(JobObjectLayout.result("kept", 1)), objects.list(JobObjectLayout.jobPrefix("kept"), 10));
        assertEquals(0, objects.deletePrefix(JobObjectLayout.jobPrefix("doomed")));
    }

    private static HttpResponse<byte[]> sendWithMd5(PresignedRequest signed, byte[] body, byte[] md5Of) throws Exception {
        String md5 = java.util.Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(md5Of));
        HttpRequest.Builder request = HttpRequest.newBuilder(signed.url()).header("Content-MD5", md5)
                .method(signed.method(), HttpRequest.BodyPublishers.ofByteArray(body));
        signed.headers().forEach((name, value) -> {
            if (!"content-length".equalsIgnoreCase(name)) {
                request.header(name, value);
            }
        });
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static byte[] pattern(int size, int seed) {
        byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++) {
            bytes[i] = (byte) (i * 31 + seed);
        }
        return bytes;
    }

    @Test
    void multipartUpload_throughPresignedParts_assemblesTheObjectInPartOrder() throws Exception {
        String key = JobObjectLayout.input("j1", "big.bin");
        MultipartLayout layout = MultipartLayout.of(11L * 1024 * 1024, MultipartLayout.MIN_PART_SIZE);
        String uploadId = objects.startMultipartUpload(key, "application/octet-stream");
        assertEquals(List.of(uploadId), objects.openMultipartUploads(key));
        assertEquals(List.of(), objects.openMultipartUploads(key + ".other"), "only uploads at exactly that key");

        java.io.ByteArrayOutputStream whole = new java.io.ByteArrayOutputStream();
        for (int part = layout.partCount(); part >= 1; part--) {
            byte[] bytes = pattern((int) layout.sizeOf(part), part);
            PresignedRequest put = objects.presignUploadPart(key, uploadId, part, bytes.length, Duration.ofMinutes(5));
            assertEquals(400, sendWithMd5(put, bytes, new byte[] {1}).statusCode(), "S3 checks the Content-MD5 it is sent");
            assertEquals(200, sendWithMd5(put, bytes, bytes).statusCode());
        }
        for (int part = 1; part <= layout.partCount(); part++) {
            whole.write(pattern((int) layout.sizeOf(part), part));
        }
        List<UploadedPart> parts = objects.uploadedParts(key, uploadId).orElseThrow();
        assertEquals(List.of(1, 2, 3), parts.stream().map(UploadedPart::number).toList());
        assertEquals(List.of(layout.sizeOf(1), layout.sizeOf(2), layout.sizeOf(3)), parts.stream().map(UploadedPart::size).toList());
        assertEquals(Optional.empty(), objects.head(key), "no object before the upload is completed");

        assertTrue(objects.completeMultipartUpload(key, uploadId, parts));
        assertEquals(layout.size(), objects.head(key).orElseThrow().size());
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(whole.toByteArray())),
                objects.sha256(key));
        assertEquals(List.of(), objects.openMultipartUploads(key));
    }

    @Test
    void presignedPart_ofAnotherSize_isRefused() throws Exception {
        String key = JobObjectLayout.input("j1", "big.bin");
        String uploadId = objects.startMultipartUpload(key, "application/octet-stream");
        PresignedRequest put = objects.presignUploadPart(key, uploadId, 1, 1000, Duration.ofMinutes(5));
        assertEquals(403, send(put, new byte[999]).statusCode());
        assertEquals(List.of(), objects.uploadedParts(key, uploadId).orElseThrow());
    }

    @Test
    void abortMultipartUploads_discardsEveryOpenUploadOfOneJobOnly() {
        objects.startMultipartUpload(JobObjectLayout.input("doomed", "a.bin"), "application/octet-stream");
        objects.startMultipartUpload(JobObjectLayout.input("doomed", "a.bin"), "application/octet-stream");
        objects.startMultipartUpload(JobObjectLayout.input("doomed", "b.bin"), "application/octet-stream");
        String kept = objects.startMultipartUpload(JobObjectLayout.input("kept", "a.bin"), "application/octet-stream");

        assertEquals(3, objects.abortMultipartUploads(JobObjectLayout.jobPrefix("doomed")));
        assertEquals(List.of(), objects.openMultipartUploads(JobObjectLayout.input("doomed", "a.bin")));
        assertEquals(List.of(), objects.openMultipartUploads(JobObjectLayout.input("doomed", "b.bin")));
        assertEquals(List.of(kept), objects.openMultipartUploads(JobObjectLayout.input("kept", "a.bin")));
        assertEquals(0, objects.abortMultipartUploads(JobObjectLayout.jobPrefix("doomed")));
    }
}
