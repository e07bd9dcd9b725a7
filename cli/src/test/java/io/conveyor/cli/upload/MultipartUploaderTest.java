package io.conveyor.cli.upload;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.conveyor.cli.CliException;
import io.conveyor.cli.config.Auth;
import io.conveyor.cli.config.CliSettings;
import io.conveyor.cli.http.ApiClient;
import io.conveyor.cli.http.ApiError;
import io.conveyor.cli.http.RequestSigner;
import io.conveyor.cli.output.ProgressDisplay;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Parts sent to a scripted storage server on 127.0.0.1: what arrives, retries, refusals and expired URLs. */
class MultipartUploaderTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int PART = 64 * 1024;
    private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");

    private HttpServer server;
    /** The bodies the server kept, by part number. */
    private final Map<Integer, byte[]> stored = new ConcurrentHashMap<>();
    /** How each request was answered, in order: the part number and the status (0 for a dropped connection). */
    private final List<String> log = new CopyOnWriteArrayList<>();
    /** Failures to answer a part with before accepting it: a status, or 0 to drop the connection. */
    private final Map<Integer, List<Integer>> failures = new ConcurrentHashMap<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger mostInFlight = new AtomicInteger();
    private final List<Long> sleeps = new CopyOnWriteArrayList<>();
    private byte[] content;
    private InputFile file;

    @TempDir
    Path dir;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.createContext("/", exchange -> {
            int part = Integer.parseInt(exchange.getRequestURI().getQuery().replaceAll(".*partNumber=(\\d+).*", "$1"));
            mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            try (InputStream in = exchange.getRequestBody()) {
                byte[] body = in.readAllBytes();
                List<Integer> planned = failures.getOrDefault(part, new ArrayList<>());
                int status = planned.isEmpty() ? 200 : planned.remove(0);
                String md5 = Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(body));
                if (status == 200 && !md5.equals(exchange.getRequestHeaders().getFirst("Content-MD5"))) {
                    status = 400;
                }
                log.add(part + ":" + status);
                if (status == 0) {
                    exchange.close(); // no answer at all: the client sees the connection end
                    return;
                }
                if (status == 200) {
                    stored.put(part, body);
                }
                String error = switch (status) {
                    case 400 -> "<Code>BadDigest</Code><Message>Bad Request</Message>";
                    case 403 -> "<Code>AccessDenied</Code><Message>Request has expired</Message>";
                    default -> "<Code>InternalError</Code><Message>We encountered an internal error</Message>";
                };
                byte[] answer = status == 200 ? new byte[0] : ("<Error>" + error + "</Error>").getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(status, answer.length == 0 ? -1 : answer.length);
                if (answer.length > 0) {
                    exchange.getResponseBody().write(answer);
                }
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            } finally {
                inFlight.decrementAndGet();
                exchange.close();
            }
        });
        server.start();
        content = new byte[PART * 5 + 100];
        for (int i = 0; i < content.length; i++) {
            content[i] = (byte) (i * 13);
        }
        Path path = Files.write(dir.resolve("data.bin"), content);
        file = InputFile.inspect(path, size -> ProgressDisplay.NONE);
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private MultipartUploader uploader(Instant now) {
        CliSettings settings = new CliSettings(URI.create("http://127.0.0.1:1"), "--endpoint", Auth.NONE, Optional.empty(),
                Optional.empty(), Optional.empty(), "default");
        ApiClient api = new ApiClient(settings, RequestSigner.NONE, ApiClient.newTransport(), "conveyor-cli/test");
        return new MultipartUploader(api, new MultipartUploader.Retry(3, Duration.ofMillis(400), Duration.ofSeconds(1),
                sleeps::add), Clock.fixed(now, ZoneOffset.UTC));
    }

    /** The API's upload entry for the file: every part missing, the listed ones presigned (here, plain URLs). */
    private ObjectNode upload(List<Integer> missing, List<Integer> listed) {
        ObjectNode upload = JSON.createObjectNode().put("name", "data.bin").put("expiresAt", NOW.plusSeconds(900).toString());
        ObjectNode multipart = upload.putObject("multipart").put("partSize", PART).put("partCount", 6);
        missing.forEach(multipart.putArray("missingParts")::add);
        ArrayNode parts = multipart.putArray("parts");
        for (int n : listed) {
            parts.addObject().put("partNumber", n).put("size", n == 6 ? 100 : PART).put("method", "PUT")
                    .put("url", "http://127.0.0.1:" + server.getAddress().getPort() + "/bucket/data.bin?partNumber=" + n
                            + "&uploadId=u1")
                    .set("headers", JSON.createObjectNode().put("content-length", n == 6 ? "100" : String.valueOf(PART)));
        }
        return upload;
    }

    private byte[] part(int n) {
        return Arrays.copyOfRange(content, (n - 1) * PART, Math.min(content.length, n * PART));
    }

    /** Counts what the bar is told, as the terminal would show it. */
    private static final class Bar implements ProgressDisplay {
        final AtomicLong at = new AtomicLong();

        @Override
        public void step(long n) {
            at.addAndGet(n);
        }

        @Override
        public void stepTo(long n) {
            at.set(n);
        }

        @Override
        public void close() {}
    }

    @Test
    void everyPart_arrivesWithItsBytesAndContentMd5_aFewAtATime() {
        Bar bar = new Bar();
        List<Integer> all = List.of(1, 2, 3, 4, 5, 6);

        assertTrue(uploader(NOW).upload(upload(all, all), file, bar));

        for (int n : all) {
            assertArrayEquals(part(n), stored.get(n), "part " + n);
        }
        assertEquals(content.length, bar.at.get());
        assertTrue(mostInFlight.get() <= MultipartUploader.PARALLEL_PARTS, "at most 4 parts at once: " + mostInFlight);
        assertTrue(sleeps.isEmpty());
    }

    @Test
    void transientFailures_areRetriedWithBackoff_andTheBarCountsOnlyWhatWasKept() {
        failures.put(2, new ArrayList<>(List.of(503, 0)));
        failures.put(5, new ArrayList<>(List.of(500)));
        Bar bar = new Bar();

        assertTrue(uploader(NOW).upload(upload(List.of(2, 5), List.of(2, 5)), file, bar));

        assertEquals(List.of("2:503", "2:0", "2:200"), log.stream().filter(l -> l.startsWith("2:")).toList());
        assertEquals(List.of("5:500", "5:200"), log.stream().filter(l -> l.startsWith("5:")).toList());
        assertArrayEquals(part(2), stored.get(2));
        assertArrayEquals(part(5), stored.get(5));
        assertEquals(3, sleeps.size(), sleeps.toString());
        assertTrue(sleeps.stream().allMatch(ms -> ms >= 0 && ms <= 1000), "full jitter under the caps: " + sleeps);
        assertEquals(content.length, bar.at.get(), "parts 1, 3, 4 and 6 were there before; 2 and 5 once each");
    }

    @Test
    void aPartStillFailingAfterItsAttempts_endsTheUploadWithTheStoragesAnswer() {
        failures.put(3, new ArrayList<>(List.of(503, 503, 503)));

        ApiError e = assertThrows(ApiError.class, () -> uploader(NOW).upload(upload(List.of(3), List.of(3)), file, new Bar()));

        assertEquals(503, e.status());
        assertEquals(3, log.size(), "three attempts: " + log);
    }

    @Test
    void aRefusal_isNotRetried() {
        failures.put(1, new ArrayList<>(List.of(400)));

        ApiError e = assertThrows(ApiError.class, () -> uploader(NOW).upload(upload(List.of(1), List.of(1)), file, new Bar()));

        assertEquals(400, e.status());
        assertTrue(e.getMessage().contains("do not match the Content-MD5 sent with them"), e.getMessage());
        assertEquals(List.of("1:400"), log);
        assertTrue(sleeps.isEmpty());
    }

    @Test
    void partsNotListed_orWhoseUrlExpired_areLeftForTheNextRound() {
        assertFalse(uploader(NOW).upload(upload(List.of(1, 2, 3), List.of(1, 2)), file, new Bar()), "part 3 had no URL");
        assertEquals(2, stored.size());

        failures.put(3, new ArrayList<>(List.of(403)));
        Instant afterExpiry = NOW.plusSeconds(901);
        assertFalse(uploader(afterExpiry).upload(upload(List.of(3), List.of(3)), file, new Bar()), "expired: ask again");
        assertFalse(stored.containsKey(3));

        failures.put(3, new ArrayList<>(List.of(403)));
        ApiError refused = assertThrows(ApiError.class,
                () -> uploader(NOW).upload(upload(List.of(3), List.of(3)), file, new Bar()));
        assertEquals(403, refused.status(), "a 403 before the URL's expiry is a refusal");
    }

    @Test
    void aFileChangedSinceItWasHashed_isReported() throws IOException {
        Files.setLastModifiedTime(file.path(), FileTime.from(file.modified().toInstant().plusSeconds(5)));

        CliException e = assertThrows(CliException.class,
                () -> uploader(NOW).upload(upload(List.of(1), List.of(1)), file, new Bar()));

        assertTrue(e.getMessage().contains("changed while it was being uploaded"), e.getMessage());
    }
}
