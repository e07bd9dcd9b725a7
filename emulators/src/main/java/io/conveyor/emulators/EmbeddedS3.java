package io.conveyor.emulators;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.CrossOriginResourceSharing;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;

/**
 * S3Proxy serving the S3 API inside this JVM on the loopback interface only. It checks SigV4 signatures,
 * presigned URLs included, against the one access key it is given, so a tampered URL is refused as on AWS.
 */
public final class EmbeddedS3 implements AutoCloseable {
    private final S3Proxy proxy;
    private final URI endpoint;

    private EmbeddedS3(S3Proxy proxy, URI endpoint) {
        this.proxy = proxy;
        this.endpoint = endpoint;
    }

    /** Starts an S3 with objects in memory on a free loopback port; it answers no browser's cross-origin request. */
    public static EmbeddedS3 inMemory(String accessKey, String secretKey) {
        return inMemory(accessKey, secretKey, List.of());
    }

    /**
     * Starts an S3 with objects in memory on a free loopback port, answering cross-origin requests (CORS) from pages
     * whose origin matches one of {@code browserOrigins} (regular expressions, such as {@code http://127\.0\.0\.1:[0-9]+}),
     * so such a page can upload to a presigned URL.
     */
    public static EmbeddedS3 inMemory(String accessKey, String secretKey, List<String> browserOrigins) {
        return start("transient", new Properties(), accessKey, secretKey, 0, browserOrigins);
    }

    /**
     * Starts an S3 keeping objects as files under {@code directory} (created if needed), so they survive a restart.
     *
     * @param port the loopback port, or 0 for a free one
     */
    public static EmbeddedS3 onDisk(Path directory, String accessKey, String secretKey, int port) {
        return onDisk(directory, accessKey, secretKey, port, List.of());
    }

    /** As {@link #onDisk(Path, String, String, int)}, answering CORS requests as {@link #inMemory(String, String, List)}. */
    public static EmbeddedS3 onDisk(Path directory, String accessKey, String secretKey, int port, List<String> browserOrigins) {
        try {
            Files.createDirectories(directory);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot create the S3 data directory " + directory, e);
        }
        Properties properties = new Properties();
        properties.setProperty("jclouds.filesystem.basedir", directory.toAbsolutePath().toString());
        return start("filesystem", properties, accessKey, secretKey, port, browserOrigins);
    }

    private static EmbeddedS3 start(String provider, Properties properties, String accessKey, String secretKey, int port,
            List<String> browserOrigins) {
        try {
            // Uploads (PUT, with whatever headers the URL was signed with) and downloads; the ETag is readable, as an
            // S3 bucket's CORS rule would expose it for multipart uploads. No credentials: a presigned URL carries its own.
            CrossOriginResourceSharing cors = browserOrigins.isEmpty() ? CrossOriginResourceSharing.disabled()
                    : new CrossOriginResourceSharing(browserOrigins, List.of("GET", "HEAD", "PUT"), List.of("*"),
                            List.of("ETag"), "false");
            S3Proxy proxy = S3Proxy.builder()
                    .corsRules(cors)
                    .blobStore(BlobStores.create(provider, properties))
                    .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKey, secretKey)
                    .endpoint(URI.create("http://127.0.0.1:" + port))
                    .ignoreUnknownHeaders(true)
                    .build();
            proxy.start();
            awaitStarted(proxy);
            return new EmbeddedS3(proxy, URI.create("http://127.0.0.1:" + proxy.getPort()));
        } catch (Exception e) {
            throw new IllegalStateException("S3Proxy did not start on 127.0.0.1:" + port + ": " + e.getMessage(), e);
        }
    }

    /** S3Proxy starts Jetty asynchronously; its port is known only once it reports STARTED. */
    private static void awaitStarted(S3Proxy proxy) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!"STARTED".equals(proxy.getState())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("S3Proxy still " + proxy.getState() + " after 10 s");
            }
            Thread.sleep(5);
        }
    }

    /** Where the S3 API answers, for {@code AWS_ENDPOINT_URL_S3} or an endpoint override (path-style). */
    public URI endpoint() {
        return endpoint;
    }

    @Override
    public void close() {
        try {
            proxy.stop();
        } catch (Exception e) {
            throw new IllegalStateException("S3Proxy did not stop cleanly", e);
        }
    }
}
