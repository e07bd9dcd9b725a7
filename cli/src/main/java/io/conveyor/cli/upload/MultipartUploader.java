package io.conveyor.cli.upload;

import com.fasterxml.jackson.databind.JsonNode;
import io.conveyor.cli.CliException;
import io.conveyor.cli.ExitCodes;
import io.conveyor.cli.http.ApiClient;
import io.conveyor.cli.http.ApiError;
import io.conveyor.cli.output.ProgressDisplay;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * Uploads the parts of an input that the API gave a multipart upload, through their presigned URLs: a few parts at
 * a time, each streamed from its place in the file (never the whole file, nor a whole part, in memory).
 *
 * <p>Each part is read twice: once for its MD5, sent as {@code Content-MD5} so S3 refuses a part damaged on the way
 * (the URL cannot sign it, since the API never sees the bytes), then to send it. A part that fails for a transient
 * reason (no connection, a reset, HTTP 5xx or 429) is sent again after a backoff with full jitter; a refusal
 * (4xx) ends the upload, except an expired URL, which leaves the part for the next round of fresh URLs. Parts run
 * in parallel, so the whole file's SHA-256 is not recomputed as it is sent (as it is for a single PUT): instead its
 * size and modification time are compared with the hashing pass, and the API checks the assembled object's SHA-256
 * at submit.
 *
 * <p>Thread-safe; one instance uploads one input at a time.
 */
public final class MultipartUploader {
    /** Parts in flight at once: enough to fill a link, few enough to be gentle on a shared one. */
    public static final int PARALLEL_PARTS = 4;

    /**
     * When to send a part again.
     *
     * @param attempts  attempts per part, the first included
     * @param baseDelay the cap of the first wait, doubled per attempt
     * @param maxDelay  the largest cap
     * @param sleeper   how to wait (tests pass one that does not)
     */
    public record Retry(int attempts, Duration baseDelay, Duration maxDelay, Sleeper sleeper) {
        public static final Retry DEFAULT = new Retry(5, Duration.ofMillis(500), Duration.ofSeconds(10), Thread::sleep);

        /** A random wait up to {@code baseDelay * 2^(attempt-1)}, at most {@code maxDelay} (full jitter). */
        Duration delayBefore(int attempt) {
            long cap = Math.min(maxDelay.toMillis(), baseDelay.toMillis() << Math.min(attempt - 1, 20));
            return Duration.ofMillis(ThreadLocalRandom.current().nextLong(cap + 1));
        }
    }

    /** Waits; {@link Thread#sleep(long)} in the CLI. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(long millis) throws InterruptedException;
    }

    private final ApiClient api;
    private final Retry retry;
    private final Clock clock;

    public MultipartUploader(ApiClient api, Retry retry, Clock clock) {
        this.api = api;
        this.retry = retry;
        this.clock = clock;
    }

    /**
     * Uploads the parts listed in {@code upload} (an entry of the API's {@code uploads} with {@code multipart}).
     *
     * @param progress counts the file's bytes; it is first moved to what is uploaded already
     * @return true when no part of the file is left to upload; false when more parts (or fresh URLs for expired ones)
     *     must be asked for with {@code GET /jobs/{id}}
     * @throws io.conveyor.cli.http.ApiError when the storage refuses a part for good
     * @throws CliException when the file cannot be read or changed since it was hashed, or the storage stays unreachable
     */
    public boolean upload(JsonNode upload, InputFile file, ProgressDisplay progress) {
        JsonNode multipart = upload.path("multipart");
        long partSize = multipart.path("partSize").asLong();
        int partCount = multipart.path("partCount").asInt();
        if (partSize <= 0 || partCount != (file.size() + partSize - 1) / partSize) {
            throw new CliException(ExitCodes.USAGE, "The API expects " + file.name() + " in " + partCount + " parts of "
                    + partSize + " bytes, which does not fit its " + file.size() + " bytes: it changed since the job was "
                    + "created. Run the command again without --idempotency-key (or with a new one).");
        }
        List<Integer> missing = new ArrayList<>();
        multipart.path("missingParts").forEach(n -> missing.add(n.asInt()));
        long missingBytes = missing.stream().mapToLong(n -> sizeOf(n, partSize, file.size())).sum();
        ProgressDisplay shared = synchronizedProgress(progress);
        shared.stepTo(file.size() - missingBytes);

        List<JsonNode> parts = new ArrayList<>();
        multipart.path("parts").forEach(parts::add);
        Instant expiresAt = Instant.parse(upload.path("expiresAt").asText());
        ExecutorService pool = Executors.newFixedThreadPool(PARALLEL_PARTS, r -> {
            Thread t = new Thread(r, "upload-" + file.name());
            t.setDaemon(true);
            return t;
        });
        boolean allSent = true;
        try {
            List<Future<Boolean>> sent = new ArrayList<>();
            for (JsonNode part : parts) {
                sent.add(pool.submit(() -> sendPart(part, file, partSize, expiresAt, shared)));
            }
            for (Future<Boolean> f : sent) {
                allSent &= await(f);
            }
        } finally {
            pool.shutdownNow();
        }
        try {
            if (file.changedSinceHashed()) {
                throw new CliException(ExitCodes.USAGE, file.path() + " changed while it was being uploaded (its size or "
                        + "modification time is no longer the one it had when it was hashed); the job will not accept it. "
                        + "Run the command again once the file is final.");
            }
        } catch (IOException e) {
            throw new CliException(ExitCodes.USAGE, "Cannot read " + file.path() + ": " + e.getMessage(), e);
        }
        return allSent && parts.size() == missing.size();
    }

    private static long sizeOf(int number, long partSize, long size) {
        return Math.min(partSize, size - (number - 1) * partSize);
    }

    private static boolean await(Future<Boolean> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(ExitCodes.SOFTWARE, "Interrupted while uploading.", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /**
     * Sends one part, again after transient failures.
     *
     * @return false when its URL expired: the part is left for a round of fresh URLs
     */
    private boolean sendPart(JsonNode part, InputFile file, long partSize, Instant expiresAt, ProgressDisplay progress) {
        int number = part.path("partNumber").asInt();
        long offset = (number - 1) * partSize;
        long size = part.path("size").asLong();
        if (size != sizeOf(number, partSize, file.size())) {
            throw new CliException(ExitCodes.API, "The API offered part " + number + " of " + file.name() + " with " + size
                    + " bytes, not the " + sizeOf(number, partSize, file.size()) + " its layout gives; report it.");
        }
        String md5 = md5(file, offset, size);
        for (int attempt = 1; ; attempt++) {
            AtomicLong counted = new AtomicLong();
            try {
                api.presigned(request(part, file, offset, size, md5, n -> {
                    counted.addAndGet(n);
                    progress.step(n);
                }), HttpResponse.BodyHandlers.ofByteArray(), "the storage (part " + number + " of " + file.name() + ")");
                return true;
            } catch (CliException e) {
                progress.step(-counted.get()); // the bar shows what S3 kept
                if (e instanceof ApiError refused && refused.status() == 403 && !clock.instant().isBefore(expiresAt)) {
                    return false;
                }
                if (!isTransient(e) || attempt >= retry.attempts()) {
                    throw e;
                }
            }
            pause(retry.delayBefore(attempt));
        }
    }

    private static boolean isTransient(CliException e) {
        if (e instanceof ApiError refused) {
            return refused.status() >= 500 || refused.status() == 429;
        }
        return e.exitCode() == ExitCodes.CONNECTION;
    }

    private void pause(Duration delay) {
        try {
            retry.sleeper().sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(ExitCodes.SOFTWARE, "Interrupted while uploading.", e);
        }
    }

    /** The PUT of bytes {@code offset} to {@code offset + size} of the file; {@code sent} learns of each chunk read. */
    private static HttpRequest request(JsonNode part, InputFile file, long offset, long size, String md5,
            LongConsumer sent) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(part.path("url").asText()))
                .method(part.path("method").asText("PUT"), HttpRequest.BodyPublishers.fromPublisher(
                        HttpRequest.BodyPublishers.ofInputStream(() -> open(file, offset, size, (buffer, off, n) -> sent.accept(n))),
                        size))
                .header("Content-MD5", md5);
        for (Iterator<Map.Entry<String, JsonNode>> it = part.path("headers").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> h = it.next();
            if (!ApiClient.setByClient(h.getKey())) {
                request.header(h.getKey(), h.getValue().asText());
            }
        }
        return request.build();
    }

    /** The base64 MD5 of the part, read from disk. */
    private static String md5(InputFile file, long offset, long size) {
        try {
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            try (InputStream in = open(file, offset, size, md5::update)) {
                in.transferTo(OutputStream.nullOutputStream());
            }
            return Base64.getEncoder().encodeToString(md5.digest());
        } catch (IOException | UncheckedIOException e) {
            throw new CliException(ExitCodes.USAGE, "Cannot read " + file.path() + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has MD5", e);
        }
    }

    /** Bytes {@code offset} to {@code offset + size} of the file, streamed, each chunk shown to {@code listener}. */
    private static InputStream open(InputFile file, long offset, long size, ObservedInputStream.Listener listener) {
        try {
            FileChannel channel = FileChannel.open(file.path(), StandardOpenOption.READ).position(offset);
            return new ObservedInputStream(Channels.newInputStream(channel), size, listener);
        } catch (IOException e) {
            throw new UncheckedIOException("opening " + file.path(), e);
        }
    }

    /** One display updated from several part threads. */
    private static ProgressDisplay synchronizedProgress(ProgressDisplay progress) {
        return new ProgressDisplay() {
            @Override
            public synchronized void step(long n) {
                progress.step(n);
            }

            @Override
            public synchronized void stepTo(long n) {
                progress.stepTo(n);
            }

            @Override
            public void close() {
                // The caller owns the display and closes it once the file is done.
            }
        };
    }
}
