package io.conveyor.local.runtime.apigateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.conveyor.api.Caller;
import io.conveyor.apiclient.JobApiClient;
import io.conveyor.deployment.FunctionSpec;
import io.conveyor.deployment.GatewayResponses;
import io.conveyor.deployment.RouteSpec;
import io.conveyor.deployment.RouteTable;
import io.conveyor.local.runtime.dashboard.DashboardFiles;
import io.conveyor.local.runtime.lambda.InProcessLambda;
import io.conveyor.local.runtime.lambda.TestHandlers;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The gateway in front of in-process test functions: routing, local authentication, the proxy event, answers. */
class ApiGatewayTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static InProcessLambda lambda;
    private static ApiGateway gateway;

    /** Reads the event as the real API handler does (the events library's type) and returns what it saw. */
    public static final class TypedHandler
            implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {
        @Override
        public APIGatewayProxyResponseEvent handleRequest(APIGatewayProxyRequestEvent event, Context context) {
            String body = "{\"caller\":\"" + Caller.of(event).map(Caller::id).orElse("") + "\",\"id\":\""
                    + (event.getPathParameters() == null ? "" : event.getPathParameters().get("id")) + "\",\"q\":\""
                    + event.getQueryStringParameters().get("q")
                    + "\",\"requestId\":\"" + event.getRequestContext().getRequestId() + "\"}";
            return new APIGatewayProxyResponseEvent().withStatusCode(207).withHeaders(Map.of("Content-Type", "application/json"))
                    .withBody(body);
        }
    }

    /** A route whose operation name and statuses this gateway does not read. */
    private static RouteSpec route(String method, String path, String function) {
        return new RouteSpec(method.toLowerCase() + path, method, path, function, java.util.Set.of(200));
    }

    @BeforeAll
    static void start() throws Exception {
        lambda = new InProcessLambda();
        deploy("Echo", TestHandlers.EchoEventHandler.class);
        deploy("Typed", TypedHandler.class);
        deploy("Failing", TestHandlers.FailingHandler.class);
        deploy("Malformed", TestHandlers.MalformedProxyHandler.class);
        RouteTable routes = new RouteTable(List.of(
                route("POST", "/things", "Echo"),
                route("GET", "/things/{id}", "Echo"),
                route("GET", "/things/special", "Typed"),
                route("GET", "/typed/{id}", "Typed"),
                route("GET", "/failing", "Failing"),
                route("GET", "/malformed", "Malformed")));
        gateway = ApiGateway.start(0, routes, new LocalAuthorizer("us-east-1"), new ProxyEvents("api1", "local", "000000000000"),
                lambda, (method, path, query, caller) -> new ApiGateway.Response(200,
                        JSON.createObjectNode().put("local", path).put("caller", caller)),
                new DashboardFiles(ApiGatewayTest.class.getClassLoader(), URI.create("http://127.0.0.1:9000")), Clock.systemUTC());
    }

    private static void deploy(String name, Class<?> handler) {
        lambda.deploy(new FunctionSpec(name, handler.getName(), 512, Duration.ofSeconds(5), List.of()),
                "arn:aws:lambda:us-east-1:000000000000:function:" + name, Map.of());
    }

    @AfterAll
    static void stop() {
        gateway.close();
        lambda.close();
    }

    private static JobApiClient as(String user) {
        return new JobApiClient(gateway.endpoint(), user);
    }

    @Test
    void request_becomesTheRestApisProxyEvent() {
        JobApiClient.Response r = as("alice").post("/things?tag=a&tag=b&x=1%202", "{\"n\":1}",
                Map.of("Idempotency-Key", "k-1"));

        assertEquals(200, r.status(), r.text());
        JsonNode event = r.json();
        assertEquals("/things", event.path("resource").asText());
        assertEquals("/things", event.path("path").asText());
        assertEquals("POST", event.path("httpMethod").asText());
        assertEquals("{\"n\":1}", event.path("body").asText());
        assertEquals(false, event.path("isBase64Encoded").asBoolean());
        assertEquals("k-1", event.path("headers").path("Idempotency-Key").asText());
        assertEquals("k-1", event.path("multiValueHeaders").path("Idempotency-Key").get(0).asText());
        assertEquals("b", event.path("queryStringParameters").path("tag").asText(), "the last value, as API Gateway gives");
        assertEquals("[\"a\",\"b\"]", event.path("multiValueQueryStringParameters").path("tag").toString());
        assertEquals("1 2", event.path("queryStringParameters").path("x").asText());
        assertTrue(event.path("pathParameters").isNull());
        assertTrue(event.path("stageVariables").isNull());
        JsonNode context = event.path("requestContext");
        assertEquals(r.header("x-amzn-RequestId"), context.path("requestId").asText());
        assertEquals("local", context.path("stage").asText());
        assertEquals("/local/things", context.path("path").asText());
        assertEquals("/things", context.path("resourcePath").asText());
        assertEquals("POST", context.path("httpMethod").asText());
        assertEquals("000000000000", context.path("accountId").asText());
        assertEquals("api1", context.path("apiId").asText());
        assertEquals("127.0.0.1", context.path("identity").path("sourceIp").asText());
        assertTrue(context.path("requestTimeEpoch").asLong() > 0);
        assertEquals("alice", context.path("authorizer").path("claims").path("sub").asText());
        assertEquals("alice", context.path("authorizer").path("claims").path("cognito:username").asText());
    }

    @Test
    void request_withoutQueryOrBody_hasNullsWhereApiGatewaySendsNulls() {
        JsonNode event = as("alice").get("/things/abc%20d").json();

        assertEquals("/things/{id}", event.path("resource").asText());
        assertEquals("abc d", event.path("pathParameters").path("id").asText());
        assertTrue(event.path("queryStringParameters").isNull());
        assertTrue(event.path("multiValueQueryStringParameters").isNull());
        assertTrue(event.path("body").isNull());
    }

    @Test
    void response_carriesTheFunctionsStatusHeadersAndBody() {
        JobApiClient.Response r = as("alice").get("/things/1");

        assertEquals(200, r.status());
        assertEquals("yes", r.header("X-Echo"));
        assertEquals(List.of("a=1", "b=2"), r.headers().get("set-cookie"));
    }

    @Test
    void typedHandler_readsTheEventWithTheEventsLibrary_andSeesTheLocalUserAsCaller() {
        JobApiClient.Response r = as("dave@example.com").get("/typed/42?q=x");

        assertEquals(207, r.status(), r.text());
        assertEquals("dave@example.com", r.json().path("caller").asText());
        assertEquals("42", r.json().path("id").asText());
        assertEquals("x", r.json().path("q").asText());
        assertEquals(r.header("x-amzn-RequestId"), r.json().path("requestId").asText());
    }

    @Test
    void literalSegment_winsOverAParameter() {
        assertEquals(207, as("alice").get("/things/special?q=1").status());
    }

    @Test
    void noToken_orNotABearerToken_is401AsApiGatewayAnswers() {
        for (JobApiClient.Response r : List.of(as(null).get("/things/1"),
                as(null).send("GET", gateway.endpoint().resolve("/things/1"), Map.of("Authorization", "Basic YTpi"), null),
                as(null).send("GET", gateway.endpoint().resolve("/things/1"), Map.of("Authorization", "Bearer "), null),
                as(null).send("GET", gateway.endpoint().resolve("/things/1"), Map.of("Authorization", "Bearer two words"), null))) {
            assertEquals(401, r.status());
            assertEquals(GatewayResponses.body(GatewayResponses.Type.UNAUTHORIZED), r.text());
            assertEquals("{\"code\":\"UNAUTHORIZED\",\"message\":\"Unauthorized\"}", r.text(), "the stack's shape");
            assertEquals("UnauthorizedException", r.header("x-amzn-ErrorType"));
        }
    }

    @Test
    void unknownRouteOrMethod_is403MissingAuthenticationToken_evenWhenAuthenticated() {
        for (JobApiClient.Response r : List.of(as("alice").get("/nothing"), as(null).get("/nothing"),
                as("alice").delete("/things"), as("alice").get("/things/1/more"))) {
            assertEquals(403, r.status());
            assertEquals("{\"code\":\"MISSING_AUTHENTICATION_TOKEN\",\"message\":\"Missing Authentication Token\"}", r.text());
            assertEquals("MissingAuthenticationTokenException", r.header("x-amzn-ErrorType"));
        }
    }

    @Test
    void functionError_orMalformedProxyResponse_is502() {
        for (String path : List.of("/failing", "/malformed")) {
            JobApiClient.Response r = as("alice").get(path);
            assertEquals(502, r.status(), path);
            assertEquals("{\"code\":\"DEFAULT_5XX\",\"message\":\"Internal server error\"}", r.text());
        }
    }

    @Test
    void localPaths_goToTheRuntime_forTheAuthenticatedCaller() {
        JobApiClient.Response r = as("alice").get("/_local/events");

        assertEquals(200, r.status());
        assertEquals("/_local/events", r.json().path("local").asText());
        assertEquals("alice", r.json().path("caller").asText());
    }

    @Test
    void localPaths_withoutAToken_are401AsEveryRoute() {
        JobApiClient.Response r = as(null).get("/_local/health");

        assertEquals(401, r.status());
        assertEquals("UNAUTHORIZED", r.json().path("code").asText());
    }

    @Test
    void aBodyAboveTenMegabytes_is413InTheStacksShape() {
        JobApiClient.Response r = as("alice").post("/things", "x".repeat(ApiGateway.MAX_BODY_BYTES + 1));

        assertEquals(413, r.status());
        assertEquals("{\"code\":\"REQUEST_TOO_LARGE\",\"message\":\"Request Too Long\"}", r.text());
    }

    @Test
    void canonicalHeaderNames() {
        assertEquals("Idempotency-Key", ApiGateway.canonical("idempotency-key"));
        assertEquals("X-Amz-Date", ApiGateway.canonical("X-amz-date"));
    }
}
