package io.conveyor.local.runtime.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.conveyor.deployment.FunctionSpec;
import io.conveyor.scenarios.Await;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;
import software.amazon.awssdk.services.lambda.model.TooManyRequestsException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

/** Lambda's Invoke API over HTTP, served by in-process functions: as Lambda answers it, and as the SDK reads it. */
class LambdaInvokeEndpointTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final InProcessLambda LAMBDA = new InProcessLambda();
    private static LambdaInvokeEndpoint endpoint;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        LAMBDA.deploy(new FunctionSpec("Context", TestHandlers.ContextHandler.class.getName(), 512, Duration.ofSeconds(5),
                List.of()), "arn:aws:lambda:us-east-1:000000000000:function:Context", Map.of());
        LAMBDA.deploy(new FunctionSpec("Failing", TestHandlers.FailingHandler.class.getName(), 512, Duration.ofSeconds(5),
                List.of()), "arn:aws:lambda:us-east-1:000000000000:function:Failing", Map.of());
        endpoint = LambdaInvokeEndpoint.start(LAMBDA, 0);
    }

    @AfterAll
    static void stop() {
        endpoint.close();
        LAMBDA.close();
    }

    @Test
    void requestResponse_answersThePayload_andAFunctionErrorAsLambdaDoes() throws Exception {
        HttpResponse<String> ok = invoke("Context", null, "{\"who\":\"x\"}");
        assertEquals(200, ok.statusCode());
        assertEquals("$LATEST", ok.headers().firstValue("X-Amz-Executed-Version").orElseThrow());
        assertFalse(ok.headers().firstValue("X-Amz-Function-Error").isPresent());
        assertTrue(JSON.readTree(ok.body()).isObject(), ok.body());

        // By ARN with an alias, URL-encoded as the SDK sends it: every local function has one version.
        HttpResponse<String> failed = invoke("arn:aws:lambda:us-east-1:000000000000:function:Failing:live", null,
                "{\"what\":\"bad\"}");
        assertEquals(200, failed.statusCode());
        assertEquals("Unhandled", failed.headers().firstValue("X-Amz-Function-Error").orElseThrow());
        JsonNode error = JSON.readTree(failed.body());
        assertEquals("java.lang.IllegalStateException", error.path("errorType").asText());
        assertEquals("the input was bad", error.path("errorMessage").asText());
    }

    @Test
    void serviceErrors_carryTheirTypeAndMessage() throws Exception {
        HttpResponse<String> missing = invoke("Nope", null, "{}");
        assertEquals(404, missing.statusCode());
        assertEquals("ResourceNotFoundException", missing.headers().firstValue("x-amzn-ErrorType").orElseThrow());
        assertEquals("{\"Type\":\"User\",\"Message\":\"Function not found: Nope\"}", missing.body());

        HttpResponse<String> tooLarge = invoke("Context", null, "x".repeat(LambdaInvokeEndpoint.MAX_PAYLOAD_BYTES + 1));
        assertEquals(413, tooLarge.statusCode());
        assertEquals("RequestTooLargeException", tooLarge.headers().firstValue("x-amzn-ErrorType").orElseThrow());

        HttpResponse<String> other = http.send(HttpRequest.newBuilder(endpoint.endpoint().resolve("/2015-03-31/functions"))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(400, other.statusCode());
        assertTrue(other.body().contains("serves Invoke only"), other.body());
    }

    @Test
    void dryRunChecksOnly_andEventRunsAfterAnswering() throws Exception {
        int before = LAMBDA.function("Context").orElseThrow().invocations();
        assertEquals(204, invoke("Context", "DryRun", "{}").statusCode());
        assertEquals(before, LAMBDA.function("Context").orElseThrow().invocations(), "a dry run invokes nothing");
        assertEquals(404, invoke("Nope", "DryRun", "{}").statusCode());

        assertEquals(202, invoke("Context", "Event", "{}").statusCode());
        Await.until("the Event invocation to run", Duration.ofSeconds(10),
                () -> LAMBDA.function("Context").orElseThrow().invocations() > before);
    }

    @Test
    void anUnmodifiedLambdaClient_readsTheAnswersAndErrors() {
        try (LambdaClient client = LambdaClient.builder().endpointOverride(endpoint.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b")))
                .httpClient(UrlConnectionHttpClient.create()).build()) {
            InvokeResponse failed = client.invoke(r -> r.functionName("Failing").qualifier("live")
                    .payload(SdkBytes.fromUtf8String("{\"what\":\"sdk\"}")));
            assertEquals("Unhandled", failed.functionError());
            assertEquals(200, failed.statusCode());
            assertTrue(failed.payload().asUtf8String().contains("the input was sdk"));

            ResourceNotFoundException missing = assertThrows(ResourceNotFoundException.class,
                    () -> client.invoke(r -> r.functionName("arn:aws:lambda:us-east-1:000000000000:function:Nope")));
            assertEquals(404, missing.statusCode());
            assertEquals("Function not found: arn:aws:lambda:us-east-1:000000000000:function:Nope",
                    missing.awsErrorDetails().errorMessage());
        }
    }

    @Test
    void aThrottledInvocation_is429TooManyRequests_withLambdasReason_andTheSdkSeesItsException() throws Exception {
        TestHandlers.GatedHandler.GATE = new CountDownLatch(1);
        int entered = TestHandlers.GatedHandler.ENTERED.get();
        LAMBDA.deploy(new FunctionSpec("OneAtATime", TestHandlers.GatedHandler.class.getName(), 512,
                Duration.ofSeconds(30), List.of()).withReservedConcurrency(1),
                "arn:aws:lambda:us-east-1:000000000000:function:OneAtATime", Map.of());
        CompletableFuture<HttpResponse<String>> first = CompletableFuture.supplyAsync(() -> {
            try {
                return invoke("OneAtATime", null, "{}");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Await.until("the first invocation to run", Duration.ofSeconds(10),
                () -> TestHandlers.GatedHandler.ENTERED.get() > entered ? true : null);
        try {
            HttpResponse<String> throttled = invoke("OneAtATime", null, "{}");
            assertEquals(429, throttled.statusCode());
            assertEquals("TooManyRequestsException", throttled.headers().firstValue("x-amzn-ErrorType").orElseThrow());
            JsonNode body = JSON.readTree(throttled.body());
            assertEquals(ConcurrencyLimits.RESERVED_LIMIT, body.path("Reason").asText());
            assertEquals("Rate Exceeded.", body.path("message").asText());

            try (LambdaClient client = LambdaClient.builder().endpointOverride(endpoint.endpoint()).region(Region.US_EAST_1)
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b")))
                    .overrideConfiguration(c -> c.retryStrategy(r -> r.maxAttempts(1)))
                    .httpClient(UrlConnectionHttpClient.create()).build()) {
                TooManyRequestsException sdk = assertThrows(TooManyRequestsException.class,
                        () -> client.invoke(r -> r.functionName("OneAtATime")));
                assertEquals(429, sdk.statusCode());
                assertEquals(ConcurrencyLimits.RESERVED_LIMIT, sdk.reasonAsString());
            }
        } finally {
            TestHandlers.GatedHandler.GATE.countDown();
        }
        assertEquals(200, first.get(10, java.util.concurrent.TimeUnit.SECONDS).statusCode());
    }

    private HttpResponse<String> invoke(String function, String type, String payload) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint.endpoint().resolve("/2015-03-31/functions/"
                + URLEncoder.encode(function, StandardCharsets.UTF_8) + "/invocations"))
                .POST(HttpRequest.BodyPublishers.ofString(payload));
        if (type != null) {
            request.header("X-Amz-Invocation-Type", type);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
