package io.conveyor.cli.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.conveyor.cli.CliException;
import io.conveyor.cli.ExitCodes;
import io.conveyor.cli.config.Auth;
import io.conveyor.cli.config.CliSettings;
import io.conveyor.cli.output.ProgressDisplay;
import io.conveyor.cli.upload.InputFile;
import io.conveyor.cli.upload.Uploader;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the client builds requests and reads what servers answer, against a scripted server. */
class ApiClientTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private HttpServer server;
    private final AtomicReference<byte[]> received = new AtomicReference<>();

    /** What the scripted server answers next. */
    private record Answer(int status, Map<String, String> headers, String body) {}

    private final AtomicReference<Answer> next = new AtomicReference<>(new Answer(200, Map.of(), "{}"));

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private URI start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                received.set(in.readAllBytes());
            }
            Answer a = next.get();
            a.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
            byte[] body = a.body().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(a.status(), body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                exchange.getResponseBody().write(body);
            }
            exchange.close();
        });
        server.start();
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private static ApiClient client(URI endpoint, Auth auth) {
        CliSettings settings = new CliSettings(endpoint, "CONVEYOR_ENDPOINT", auth,
                auth == Auth.BEARER ? Optional.of("alice") : Optional.empty(), Optional.empty(), Optional.empty(), "default");
        RequestSigner signer = auth == Auth.BEARER ? RequestSigner.bearer("alice") : RequestSigner.NONE;
        return new ApiClient(settings, signer, ApiClient.newTransport(), "conveyor-cli/test");
    }

    @Test
    void prepare_putsThePathUnderTheStage_encodesTheQuery_andAddsTheToken() {
        ApiClient api = client(URI.create("https://api.example.com/prod"), Auth.BEARER);

        HttpRequest request = api.prepare(ApiClient.Call.get("/jobs").query("program", "word frequency").query("status", null)
                .query("nextToken", "a+b/c=").header("Idempotency-Key", "k1"));

        assertEquals(URI.create("https://api.example.com/prod/jobs?program=word%20frequency&nextToken=a%2Bb%2Fc%3D"),
                request.uri());
        assertEquals(Optional.of("Bearer alice"), request.headers().firstValue("Authorization"));
        assertEquals(Optional.of("k1"), request.headers().firstValue("Idempotency-Key"));
        assertEquals(Optional.of("conveyor-cli/test"), request.headers().firstValue("User-Agent"));
    }

    @Test
    void apiGatewaysMissingAuthenticationToken_withoutSigV4_suggestsTheStageOrSigV4() throws IOException {
        ApiClient api = client(start(), Auth.BEARER);
        next.set(new Answer(403, Map.of("x-amzn-ErrorType", "MissingAuthenticationTokenException"),
                "{\"message\":\"Missing Authentication Token\"}"));

        ApiError e = assertThrows(ApiError.class, () -> api.get("/jobs"));

        assertEquals(ExitCodes.API, e.exitCode());
        assertEquals("MissingAuthenticationTokenException", e.code());
        assertTrue(e.getMessage().contains("stage"), e.getMessage());
        assertTrue(e.getMessage().contains("--auth sigv4"), e.getMessage());
    }

    @Test
    void tooManyQueuedJobs_saysWhenToTryAgain() throws IOException {
        ApiClient api = client(start(), Auth.BEARER);
        next.set(new Answer(429, Map.of("Retry-After", "7"),
                "{\"code\":\"TooManyQueuedJobs\",\"message\":\"You have 50 jobs waiting\"}"));

        ApiError e = assertThrows(ApiError.class, () -> api.post("/jobs", JSON.createObjectNode()));

        assertEquals("You have 50 jobs waiting. Try again in 7 s. (HTTP 429 TooManyQueuedJobs)", e.getMessage());
    }

    @Test
    void gatewayErrorsAndNonJson_areReportedAsTheServerSaidIt() throws IOException {
        ApiClient api = client(start(), Auth.BEARER);

        next.set(new Answer(502, Map.of(), "{\"message\":\"Internal server error\"}"));
        ApiError badGateway = assertThrows(ApiError.class, () -> api.get("/jobs"));
        next.set(new Answer(500, Map.of(), "<html>oops</html>"));
        ApiError html = assertThrows(ApiError.class, () -> api.get("/jobs"));
        next.set(new Answer(200, Map.of(), "<html>a proxy's login page</html>"));
        CliException notJson = assertThrows(CliException.class, () -> api.get("/jobs"));

        assertTrue(badGateway.getMessage().contains("function failed or timed out"), badGateway.getMessage());
        assertEquals("BadGateway", badGateway.code());
        assertEquals("<html>oops</html>", html.apiMessage());
        assertEquals(ExitCodes.API, notJson.exitCode());
        assertTrue(notJson.getMessage().contains("the Conveyor API?"), notJson.getMessage());
    }

    @Test
    void storageRefusal_givesS3sCodeAndMessage() throws IOException {
        URI endpoint = start();
        ApiClient api = client(endpoint, Auth.BEARER);
        URI url = endpoint.resolve("/bucket/key?X-Amz-Signature=x");
        next.set(new Answer(403, Map.of(), "<?xml version=\"1.0\"?><Error><Code>AccessDenied</Code>"
                + "<Message>Request has expired</Message></Error>"));

        ApiError e = assertThrows(ApiError.class, () -> api.presigned(HttpRequest.newBuilder(url).GET().build(),
                java.net.http.HttpResponse.BodyHandlers.ofByteArray(), "the storage (download)"));

        assertEquals("AccessDenied", e.code());
        assertTrue(e.getMessage().startsWith("the storage (download) refused: Request has expired."), e.getMessage());
        assertTrue(e.getMessage().contains("expired; run the command again"), e.getMessage());
    }

    @Test
    void upload_streamsTheFileWithTheListedHeaders_andCatchesAFileThatChanged(@TempDir Path dir) throws IOException {
        ApiClient api = client(start(), Auth.BEARER);
        Path file = Files.writeString(dir.resolve("in.csv"), "a,b\n1,2\n");
        InputFile declared = InputFile.inspect(file, size -> ProgressDisplay.NONE);
        JsonNode upload = JSON.createObjectNode().put("name", "in.csv").put("method", "PUT")
                .put("url", "http://127.0.0.1:" + server.getAddress().getPort() + "/bucket/in.csv")
                .set("headers", JSON.createObjectNode().put("Content-Type", "text/csv").put("Content-Length", "8")
                        .put("Host", "ignored"));

        new Uploader(api).upload(upload, declared, size -> ProgressDisplay.NONE);
        assertEquals("a,b\n1,2\n", new String(received.get(), StandardCharsets.UTF_8));
        assertEquals("text/csv", declared.contentType());

        Files.writeString(file, "a,b\n3,4\n");
        CliException changed = assertThrows(CliException.class,
                () -> new Uploader(api).upload(upload, declared, size -> ProgressDisplay.NONE));
        assertTrue(changed.getMessage().contains("changed while it was being uploaded"), changed.getMessage());

        Files.writeString(file, "a,b\n1,2\n3,4\n");
        InputFile grown = InputFile.inspect(file, size -> ProgressDisplay.NONE);
        CliException size = assertThrows(CliException.class, () -> new Uploader(api).upload(upload, grown, s -> ProgressDisplay.NONE));
        assertTrue(size.getMessage().contains("expects 8 bytes"), size.getMessage());
    }
}
