package io.conveyor.local.runtime.apigateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import io.conveyor.asl.http.HttpEndpoint;
import io.conveyor.asl.task.LambdaInvoker.LambdaServiceException;
import io.conveyor.deployment.GatewayResponses;
import io.conveyor.deployment.RouteTable;
import io.conveyor.local.runtime.dashboard.DashboardFiles;
import io.conveyor.local.runtime.lambda.InProcessLambda;
import io.conveyor.local.runtime.lambda.Invocation;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * API Gateway's REST API with Lambda proxy integrations, over HTTP on 127.0.0.1: each request is matched to a
 * route, authenticated, turned into the proxy event (see {@link ProxyEvents}), given to its function in-process,
 * and the function's proxy response becomes the HTTP response.
 *
 * <p>Answers as the deployed API does where API Gateway answers itself, in the shape of the stack's gateway
 * responses ({@link GatewayResponses}): no route for the method and path: 403 {@code MISSING_AUTHENTICATION_TOKEN};
 * no valid token: 401 {@code UNAUTHORIZED}; a function error, timeout or malformed proxy response: 502; a body above
 * 10 MB: 413 {@code REQUEST_TOO_LARGE}.
 *
 * <p>Paths under {@value #LOCAL_PREFIX} are the local runtime's own (see {@link LocalEndpoints}), for an
 * authenticated caller as every route. Paths under {@value DashboardFiles#PATH} are the web dashboard's static files
 * ({@link DashboardFiles}), on the API's origin so that the page's API calls need no CORS.
 */
public final class ApiGateway implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ApiGateway.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The prefix of the local runtime's own endpoints on the API's port. */
    public static final String LOCAL_PREFIX = "/_local/";
    /** API Gateway's payload limit. */
    static final int MAX_BODY_BYTES = 10 * 1024 * 1024;

    /** The local runtime's own endpoints, served next to the API. */
    public interface LocalEndpoints {
        /**
         * Answers a request under {@value #LOCAL_PREFIX}.
         *
         * @param caller the authenticated user
         * @return the status and JSON body
         */
        Response handle(String method, String path, Map<String, List<String>> query, String caller);
    }

    /** A JSON response of a local endpoint. */
    public record Response(int status, JsonNode body) {}

    private final HttpEndpoint http;
    private final RouteTable routes;
    private final LocalAuthorizer authorizer;
    private final ProxyEvents events;
    private final InProcessLambda lambda;
    private final LocalEndpoints local;
    private final DashboardFiles dashboard;
    private final Clock clock;

    private ApiGateway(HttpEndpoint http, RouteTable routes, LocalAuthorizer authorizer,
            ProxyEvents events, InProcessLambda lambda, LocalEndpoints local, DashboardFiles dashboard, Clock clock) {
        this.http = http;
        this.routes = routes;
        this.authorizer = authorizer;
        this.events = events;
        this.lambda = lambda;
        this.local = local;
        this.dashboard = dashboard;
        this.clock = clock;
    }

    /**
     * Starts serving on 127.0.0.1.
     *
     * @param port 0 for a free port
     */
    public static ApiGateway start(int port, RouteTable routes, LocalAuthorizer authorizer, ProxyEvents events,
            InProcessLambda lambda, LocalEndpoints local, DashboardFiles dashboard, Clock clock) throws IOException {
        HttpEndpoint http = HttpEndpoint.bind("127.0.0.1", port, 64, "apigateway-http");
        ApiGateway gateway = new ApiGateway(http, routes, authorizer, events, lambda, local, dashboard, clock);
        http.serve(gateway::handle);
        return gateway;
    }

    /** The API's base URL, {@code http://127.0.0.1:PORT}. */
    public URI endpoint() {
        return http.uri();
    }

    public int port() {
        return http.port();
    }

    private void handle(HttpExchange exchange) throws IOException {
        long start = System.nanoTime();
        String requestId = UUID.randomUUID().toString();
        Reply reply;
        try (InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
            reply = answer(exchange, body, requestId);
        } catch (RuntimeException e) {
            LOG.error("API request {} failed in the gateway", requestId, e);
            reply = Reply.error(GatewayResponses.Type.DEFAULT_5XX, 500);
        }
        reply.headers.putIfAbsent("Content-Type", List.of("application/json"));
        reply.headers.put("x-amzn-RequestId", List.of(requestId));
        reply.headers.put("x-amz-apigw-id", List.of(requestId.substring(0, 8) + "="));
        reply.headers.forEach((name, values) -> exchange.getResponseHeaders().put(name, values));
        byte[] bytes = reply.body == null ? new byte[0] : reply.body;
        boolean noBody = bytes.length == 0 || exchange.getRequestMethod().equalsIgnoreCase("HEAD");
        exchange.sendResponseHeaders(reply.status, noBody ? -1 : bytes.length);
        if (!noBody) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        } else {
            exchange.close();
        }
        LOG.debug("{} {} -> {} in {} ms", exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                reply.status, (System.nanoTime() - start) / 1_000_000);
    }

    private Reply answer(HttpExchange exchange, byte[] body, String requestId) {
        String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
        URI uri = exchange.getRequestURI();
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        boolean local = path.startsWith(LOCAL_PREFIX) || path.equals(LOCAL_PREFIX.substring(0, LOCAL_PREFIX.length() - 1));
        if (body.length > MAX_BODY_BYTES) {
            return Reply.error(GatewayResponses.Type.REQUEST_TOO_LARGE);
        }
        if (DashboardFiles.handles(path)) {
            DashboardFiles.Answer file = dashboard.serve(method, path);
            return new Reply(file.status(), new LinkedHashMap<>(file.headers()), file.body());
        }
        var match = routes.match(method, path);
        if (match.isEmpty() && !local) {
            return Reply.error(GatewayResponses.Type.MISSING_AUTHENTICATION_TOKEN);
        }
        ProxyRequest request = new ProxyRequest(method, path, uri.getRawQuery(), headers(exchange),
                body.length == 0 ? null : body, exchange.getRemoteAddress());
        var claims = authorizer.claims(request.header("Authorization"), clock.instant());
        if (claims.isEmpty()) {
            return Reply.error(GatewayResponses.Type.UNAUTHORIZED);
        }
        if (local) {
            Response r = this.local.handle(method, path, ProxyEvents.query(uri.getRawQuery()), claims.get().get("sub"));
            return new Reply(r.status(), new LinkedHashMap<>(), r.body().toString().getBytes(StandardCharsets.UTF_8));
        }
        ObjectNode event = events.event(request, match.get(), claims.get(), requestId, clock.instant());
        Invocation invocation;
        try {
            invocation = lambda.invocation(match.get().route().function(), event.toString());
        } catch (LambdaServiceException e) {
            // API Gateway answers a throttled (or otherwise refused) Lambda integration with a 500; no stack trace:
            // under throttling there is one per request.
            LOG.warn("{} {}: the integration could not invoke {}: {} {}", method, path, match.get().route().function(),
                    e.errorCode(), e.getMessage());
            return Reply.error(GatewayResponses.Type.DEFAULT_5XX, 500);
        } catch (RuntimeException e) {
            LOG.error("{} {}: the integration could not invoke {}", method, path, match.get().route().function(), e);
            return Reply.error(GatewayResponses.Type.DEFAULT_5XX, 500);
        }
        if (invocation.failed()) {
            LOG.warn("{} {}: {} failed: {}", method, path, invocation.function(), invocation.payload());
            return Reply.error(GatewayResponses.Type.DEFAULT_5XX);
        }
        return proxyResponse(method, path, invocation.payload());
    }

    /** The function's proxy response as HTTP; a malformed one is a 502, as API Gateway answers it. */
    private static Reply proxyResponse(String method, String path, String payload) {
        try {
            JsonNode r = JSON.readTree(payload);
            JsonNode status = r.get("statusCode");
            if (r == null || !r.isObject() || status == null || !status.canConvertToInt()) {
                throw new IllegalArgumentException("no statusCode");
            }
            Map<String, List<String>> headers = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = r.path("multiValueHeaders").fields(); it.hasNext(); ) {
                var h = it.next();
                List<String> values = new ArrayList<>();
                h.getValue().forEach(v -> values.add(v.asText()));
                headers.put(h.getKey(), values);
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = r.path("headers").fields(); it.hasNext(); ) {
                var h = it.next();
                if (!h.getValue().isNull()) {
                    headers.put(h.getKey(), List.of(h.getValue().asText()));
                }
            }
            JsonNode body = r.get("body");
            byte[] bytes = null;
            if (body != null && !body.isNull()) {
                bytes = r.path("isBase64Encoded").asBoolean(false) ? Base64.getDecoder().decode(body.asText())
                        : body.asText().getBytes(StandardCharsets.UTF_8);
            }
            return new Reply(status.asInt(), headers, bytes);
        } catch (IOException | IllegalArgumentException e) {
            LOG.warn("{} {}: malformed Lambda proxy response: {}", method, path, payload);
            return Reply.error(GatewayResponses.Type.DEFAULT_5XX);
        }
    }

    /** Request headers, each name in canonical case ({@code Idempotency-Key}): the JDK's server loses the client's. */
    private static Map<String, List<String>> headers(HttpExchange exchange) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> headers.put(canonical(name), List.copyOf(values)));
        return headers;
    }

    static String canonical(String name) {
        StringBuilder out = new StringBuilder(name.length());
        boolean upper = true;
        for (char c : name.toCharArray()) {
            out.append(upper ? Character.toUpperCase(c) : Character.toLowerCase(c));
            upper = c == '-';
        }
        return out.toString();
    }

    @Override
    public void close() {
        http.close();
    }

    private record Reply(int status, Map<String, List<String>> headers, byte[] body) {
        static Reply error(GatewayResponses.Type type) {
            return error(type, type.status());
        }

        static Reply error(GatewayResponses.Type type, int status) {
            Map<String, List<String>> headers = new LinkedHashMap<>();
            if (type.errorType() != null) {
                headers.put("x-amzn-ErrorType", List.of(type.errorType()));
            }
            return new Reply(status, headers, GatewayResponses.body(type).getBytes(StandardCharsets.UTF_8));
        }
    }
}
