package io.conveyor.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.conveyor.persistence.StoredJson;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.sfn.SfnClient;

/**
 * What {@link AwsHttpService} puts on the wire, next to what the SDK's generated clients send for the same calls,
 * both received by one recording server: the same operation, path and body, and a SigV4 signature that verifies
 * for the request as it arrived (recomputed from the received method, path, signed headers and body). The
 * generated client's request goes through the same check, which shows the check itself is right.
 */
class AwsHttpServiceWireTest {
    private static final Region REGION = Region.EU_WEST_1;
    private static final StaticCredentialsProvider CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDWIRETEST", "wire-test-secret"));
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");

    private static HttpServer server;
    private static URI endpoint;
    private static final SdkHttpClient HTTP = UrlConnectionHttpClient.create();
    private static final List<Received> RECEIVED = new ArrayList<>();
    /** The status and body the server answers with next. */
    private static volatile int status;
    private static volatile String answer;
    private static volatile Map<String, String> answerHeaders;

    record Received(String method, String rawPath, Map<String, List<String>> headers, byte[] body) {
        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).map(e -> e.getValue().get(0))
                    .findFirst().orElse(null);
        }

        JsonNode json() throws IOException {
            return StoredJson.MAPPER.readTree(body);
        }
    }

    @BeforeAll
    static void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", AwsHttpServiceWireTest::record);
        server.start();
        endpoint = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @AfterAll
    static void stop() {
        server.stop(0);
    }

    @BeforeEach
    void answerOk() {
        RECEIVED.clear();
        status = 200;
        answer = "{}";
        answerHeaders = Map.of();
    }

    private static void record(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        synchronized (RECEIVED) {
            RECEIVED.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                    new TreeMap<>(exchange.getRequestHeaders()), body));
        }
        byte[] out = answer.getBytes(StandardCharsets.UTF_8);
        answerHeaders.forEach(exchange.getResponseHeaders()::set);
        exchange.sendResponseHeaders(status, out.length == 0 ? -1 : out.length);
        exchange.getResponseBody().write(out);
        exchange.close();
    }

    private static AwsHttpService service(AwsHttpService.Service service) {
        return new AwsHttpService(service, REGION, CREDENTIALS, HTTP, AwsRetryStrategy.doNotRetry()).withEndpoint(endpoint);
    }

    @Test
    void lambdaInvoke_matchesTheLambdaClients_forANameWithAnAlias_andIsSignedForLambda() throws IOException {
        String event = "{\"contract\":\"conveyor.program/1\"}";
        try (LambdaClient lambda = LambdaClient.builder().endpointOverride(endpoint).region(REGION).credentialsProvider(CREDENTIALS)
                .httpClient(HTTP).build()) {
            lambda.invoke(r -> r.functionName("word-count:live").payload(SdkBytes.fromUtf8String(event)));
        }
        service(AwsHttpService.Service.LAMBDA).post("/2015-03-31/functions/word-count%3Alive/invocations",
                Map.of("X-Amz-Invocation-Type", "RequestResponse", "Content-Type", "application/json"),
                event.getBytes(StandardCharsets.UTF_8));

        Received sdk = RECEIVED.get(0);
        Received ours = RECEIVED.get(1);
        assertEquals(sdk.method(), ours.method());
        assertEquals(sdk.rawPath(), ours.rawPath());
        assertEquals(event, new String(ours.body(), StandardCharsets.UTF_8));
        assertSignatureVerifies(sdk, "lambda");
        assertSignatureVerifies(ours, "lambda");
    }

    @Test
    void eventBridgePutEvents_matchesTheEventBridgeClients() throws IOException {
        Instant at = Instant.parse("2026-03-04T05:06:07.891Z");
        try (EventBridgeClient events = EventBridgeClient.builder().endpointOverride(endpoint).region(REGION)
                .credentialsProvider(CREDENTIALS).httpClient(HTTP).build()) {
            events.putEvents(r -> r.entries(PutEventsRequestEntry.builder().eventBusName("conveyor-jobs").source("io.conveyor")
                    .detailType("JobStatusChanged").time(at).resources("job-1").detail("{\"jobId\":\"job-1\"}").build()));
        }
        var request = StoredJson.MAPPER.createObjectNode();
        var entry = request.putArray("Entries").addObject().put("EventBusName", "conveyor-jobs").put("Source", "io.conveyor")
                .put("DetailType", "JobStatusChanged").put("Time", java.math.BigDecimal.valueOf(at.toEpochMilli(), 3))
                .put("Detail", "{\"jobId\":\"job-1\"}");
        entry.putArray("Resources").add("job-1");
        service(AwsHttpService.Service.EVENT_BRIDGE).callJson("AWSEvents.PutEvents", "1.1", request);

        Received sdk = RECEIVED.get(0);
        Received ours = RECEIVED.get(1);
        assertEquals(sdk.rawPath(), ours.rawPath());
        assertEquals(sdk.header("X-Amz-Target"), ours.header("X-Amz-Target"));
        assertEquals(sdk.header("Content-Type"), ours.header("Content-Type"));
        assertEquals(sdk.json(), ours.json());
        assertSignatureVerifies(sdk, "events");
        assertSignatureVerifies(ours, "events");
    }

    @Test
    void stepFunctionsSendTaskSuccess_matchesTheSfnClients() throws IOException {
        try (SfnClient sfn = SfnClient.builder().endpointOverride(endpoint).region(REGION).credentialsProvider(CREDENTIALS)
                .httpClient(HTTP).build()) {
            sfn.sendTaskSuccess(r -> r.taskToken("token-1").output("{\"admitted\":true}"));
        }
        service(AwsHttpService.Service.STEP_FUNCTIONS).callJson("AWSStepFunctions.SendTaskSuccess", "1.0",
                StoredJson.MAPPER.createObjectNode().put("taskToken", "token-1").put("output", "{\"admitted\":true}"));

        Received sdk = RECEIVED.get(0);
        Received ours = RECEIVED.get(1);
        assertEquals(sdk.header("X-Amz-Target"), ours.header("X-Amz-Target"));
        assertEquals(sdk.header("Content-Type"), ours.header("Content-Type"));
        assertEquals(sdk.json(), ours.json());
        assertSignatureVerifies(sdk, "states");
        assertSignatureVerifies(ours, "states");
    }

    @Test
    void errorAnswers_becomeAwsServiceExceptions_withTheCodeAndMessage_asTheGeneratedClientsRead() {
        status = 400;
        answer = "{\"__type\":\"com.amazonaws.swf.service.v2.model#TaskTimedOut\",\"message\":\"Task Timed Out\"}";
        AwsServiceException timedOut = assertThrows(AwsServiceException.class, () -> service(AwsHttpService.Service.STEP_FUNCTIONS)
                .callJson("AWSStepFunctions.SendTaskSuccess", "1.0", StoredJson.MAPPER.createObjectNode()));
        assertEquals("TaskTimedOut", timedOut.awsErrorDetails().errorCode());
        assertEquals("Task Timed Out", timedOut.awsErrorDetails().errorMessage());
        assertEquals(400, timedOut.statusCode());

        status = 429;
        answer = "{\"Type\":\"User\",\"message\":\"Rate exceeded\"}";
        answerHeaders = Map.of("x-amzn-ErrorType", "TooManyRequestsException:http://internal.amazon.com/coral/");
        AwsServiceException throttled = assertThrows(AwsServiceException.class, () -> service(AwsHttpService.Service.LAMBDA)
                .post("/2015-03-31/functions/f/invocations", Map.of(), new byte[0]));
        assertEquals("TooManyRequestsException", throttled.awsErrorDetails().errorCode());
        assertTrue(throttled.isThrottlingException());
    }

    @Test
    void throttlingIsRetried_byTheRetryStrategy_beforeItIsThrown() {
        status = 503;
        answer = "{\"message\":\"Slow down\"}";
        answerHeaders = Map.of("x-amzn-ErrorType", "ServiceUnavailableException");
        AwsHttpService retried = new AwsHttpService(AwsHttpService.Service.LAMBDA, REGION, CREDENTIALS, HTTP,
                AwsRetryStrategy.standardRetryStrategy().toBuilder().maxAttempts(3).build()).withEndpoint(endpoint);
        assertThrows(AwsServiceException.class, () -> retried.post("/2015-03-31/functions/f/invocations", Map.of(), new byte[0]));
        assertEquals(3, RECEIVED.size(), "attempts");
    }

    /**
     * Signs the request again as it arrived, at the time it claims, with the same credentials: the signature must be
     * the one it carries, as AWS recomputes it.
     */
    private static void assertSignatureVerifies(Received received, String service) {
        String authorization = received.header("Authorization");
        assertNotNull(authorization, "signed");
        String credentialScope = authorization.replaceAll(".*Credential=[^/]+/(\\d{8}/[^,]+),.*", "$1");
        assertTrue(credentialScope.endsWith("/" + REGION.id() + "/" + service + "/aws4_request"), credentialScope);
        String signedHeaders = authorization.replaceAll(".*SignedHeaders=([^,]+),.*", "$1");
        SdkHttpRequest.Builder request = SdkHttpRequest.builder().method(SdkHttpMethod.fromValue(received.method()))
                .uri(URI.create(endpoint + received.rawPath()));
        for (String name : signedHeaders.split(";")) {
            request.putHeader(name, received.header(name));
        }
        Instant at = ZonedDateTime.parse(received.header("X-Amz-Date"), AMZ_DATE.withZone(ZoneOffset.UTC)).toInstant();
        var resigned = AwsV4HttpSigner.create().sign(r -> r.request(request.build())
                .payload(ContentStreamProvider.fromByteArray(received.body()))
                .identity(CREDENTIALS.resolveCredentials())
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, service)
                .putProperty(AwsV4HttpSigner.REGION_NAME, REGION.id())
                .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(at, ZoneOffset.UTC)));
        assertEquals(authorization, resigned.request().firstMatchingHeader("Authorization").orElseThrow());
    }
}
