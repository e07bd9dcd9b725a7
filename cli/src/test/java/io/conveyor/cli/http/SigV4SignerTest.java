package io.conveyor.cli.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.sun.net.httpserver.HttpServer;
import io.conveyor.cli.CliException;
import io.conveyor.cli.ExitCodes;
import io.conveyor.cli.config.Auth;
import io.conveyor.cli.config.CliSettings;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * The CLI's SigV4 signing, checked by an independent implementation of the specification ({@link SigV4Reference})
 * that is itself anchored on AWS's published example: on a fixed clock and credentials, and over the wire, where
 * what the JDK's HTTP client actually sends (its own Host header, the query as encoded) is what is verified.
 */
class SigV4SignerTest {
    /** AWS's documentation example ("Examples of the complete Signature Version 4 signing process"). */
    private static final String ACCESS_KEY = "AKIDEXAMPLE";
    private static final String SECRET_KEY = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    private static final StaticCredentialsProvider EXAMPLE =
            StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY));
    private static final Clock AUG_30_2015 = Clock.fixed(Instant.parse("2015-08-30T12:36:00Z"), ZoneOffset.UTC);
    private static final String EXAMPLE_CONTENT_TYPE = "application/x-www-form-urlencoded; charset=utf-8";

    private HttpServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void reference_reproducesAwsPublishedSignature() {
        var request = new SigV4Reference.Received("GET", "/", "Action=ListUsers&Version=2010-05-08", Map.of(
                "content-type", List.of(EXAMPLE_CONTENT_TYPE), "host", List.of("iam.amazonaws.com"),
                "x-amz-date", List.of("20150830T123600Z")), new byte[0]);

        assertEquals("5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7", SigV4Reference.signature(request,
                List.of("content-type", "host", "x-amz-date"), SECRET_KEY, "20150830T123600Z", "us-east-1", "iam"));
    }

    @Test
    void sign_awsPublishedExample_onAFixedClock_verifies() {
        SigV4Signer signer = new SigV4Signer(EXAMPLE, "iam", "us-east-1", AUG_30_2015);

        Map<String, String> added = signer.sign("GET", URI.create("https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08"),
                Map.of("Content-Type", EXAMPLE_CONTENT_TYPE), new byte[0]);

        assertEquals("20150830T123600Z", added.get("X-Amz-Date"));
        assertTrue(added.get("Authorization").startsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/"
                + "aws4_request, SignedHeaders=content-type;host;"), added.toString());
        Map<String, List<String>> headers = new HashMap<>();
        headers.put("content-type", List.of(EXAMPLE_CONTENT_TYPE));
        headers.put("host", List.of("iam.amazonaws.com"));
        added.forEach((name, value) -> headers.put(name.toLowerCase(Locale.ROOT), List.of(value)));
        assertNull(SigV4Reference.verify(new SigV4Reference.Received("GET", "/", "Action=ListUsers&Version=2010-05-08",
                headers, new byte[0]), SECRET_KEY, "iam", "us-east-1"));
    }

    @Test
    void sign_forTheApi_usesExecuteApiAndTheRegion_andLeavesHostToTheHttpClient() {
        SigV4Signer signer = new SigV4Signer(EXAMPLE, "eu-west-1", AUG_30_2015);

        Map<String, String> added = signer.sign("POST", URI.create("https://abc123.execute-api.eu-west-1.amazonaws.com/prod/jobs"),
                Map.of("Content-Type", "application/json"), "{\"program\":\"primes\"}".getBytes(StandardCharsets.UTF_8));

        assertTrue(added.get("Authorization").startsWith(
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/eu-west-1/execute-api/aws4_request"), added.toString());
        assertFalse(added.keySet().stream().anyMatch(h -> h.equalsIgnoreCase("Host")), "the JDK client sets Host: " + added);
        assertFalse(added.containsKey("Content-Type"), "only the headers the signer adds: " + added);
    }

    @Test
    void sign_withSessionCredentials_signsTheSecurityToken() {
        var session = StaticCredentialsProvider.create(AwsSessionCredentials.create(ACCESS_KEY, SECRET_KEY, "session-token-1"));

        Map<String, String> added = new SigV4Signer(session, "us-east-1", AUG_30_2015).sign("GET",
                URI.create("https://abc123.execute-api.us-east-1.amazonaws.com/prod/jobs"), Map.of(), new byte[0]);

        assertEquals("session-token-1", added.get("X-Amz-Security-Token"));
        assertTrue(added.get("Authorization").contains("x-amz-security-token"), added.toString());
    }

    @Test
    void noCredentials_isAUsageError_thatSaysHowToConfigureThem() {
        AwsCredentialsProvider none = () -> {
            throw SdkClientException.create("Unable to load credentials from any of "
                    + "the providers in the chain AwsCredentialsProviderChain(...) : [SystemPropertyCredentialsProvider(): ...]");
        };
        SigV4Signer signer = new SigV4Signer(none, "us-east-1", AUG_30_2015);

        CliException e = assertThrows(CliException.class, () -> signer.sign("GET",
                URI.create("https://abc123.execute-api.us-east-1.amazonaws.com/prod/jobs"), Map.of(), new byte[0]));

        assertEquals(ExitCodes.USAGE, e.exitCode());
        assertTrue(e.getMessage().contains("found none"), e.getMessage());
        assertTrue(e.getMessage().contains("aws configure"), e.getMessage());
        assertTrue(e.getMessage().length() < 400, "short: " + e.getMessage());
        assertEquals("the SSO profile has no valid token (run aws sso login).", SigV4Signer.reason(
                SdkClientException.create("... ProfileCredentialsProvider(...): Unable to load SSO token")));
    }

    @Test
    void overTheWire_getWithQueryAndPostWithBody_areAcceptedByAVerifyingServer() throws IOException {
        List<String> problems = startVerifyingServer(SECRET_KEY);
        ApiClient api = client(EXAMPLE);

        api.send(ApiClient.Call.get("/jobs").query("limit", 5).query("status", "RUNNING").query("program", "word frequency"));
        api.post("/jobs", JsonNodeFactory.instance.objectNode().put("program", "primes"));
        api.delete("/jobs/j-123");

        assertEquals(List.of(), problems);
    }

    @Test
    void overTheWire_wrongCredentials_areRefused_withSigV4Advice() throws IOException {
        startVerifyingServer("another-secret");
        ApiClient api = client(EXAMPLE);

        ApiError e = assertThrows(ApiError.class, () -> api.get("/jobs"));

        assertEquals(ExitCodes.API, e.exitCode());
        assertEquals(403, e.status());
        assertTrue(e.getMessage().contains("signing region (eu-west-1"), e.getMessage());
        assertTrue(e.getMessage().contains("execute-api:Invoke"), e.getMessage());
    }

    private ApiClient client(StaticCredentialsProvider credentials) {
        URI endpoint = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/prod");
        CliSettings settings = new CliSettings(endpoint, "--endpoint", Auth.SIGV4, Optional.empty(), Optional.of("eu-west-1"),
                Optional.empty(), "default");
        return new ApiClient(settings, new SigV4Signer(credentials, "eu-west-1", Clock.systemUTC()),
                ApiClient.newTransport(), "conveyor-cli/test");
    }

    /** A server that answers 200 to correctly signed requests and 403 (as API Gateway) to others. */
    private List<String> startVerifyingServer(String secretKey) throws IOException {
        List<String> problems = new CopyOnWriteArrayList<>();
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            Map<String, List<String>> headers = new HashMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), new ArrayList<>(values)));
            URI uri = exchange.getRequestURI();
            String problem = SigV4Reference.verify(new SigV4Reference.Received(exchange.getRequestMethod(), uri.getRawPath(),
                    uri.getRawQuery(), headers, body), secretKey, "execute-api", "eu-west-1");
            byte[] answer;
            if (problem == null) {
                answer = "{}".getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, answer.length);
            } else {
                problems.add(exchange.getRequestMethod() + " " + uri + ": " + problem);
                answer = "{\"message\":\"The request signature we calculated does not match the signature you provided.\"}"
                        .getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("x-amzn-ErrorType", "InvalidSignatureException");
                exchange.sendResponseHeaders(403, answer.length);
            }
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
        return problems;
    }
}
