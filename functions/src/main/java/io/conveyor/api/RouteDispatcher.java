package io.conveyor.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.conveyor.deployment.Catalogue;
import io.conveyor.deployment.FunctionSpec;
import io.conveyor.deployment.RouteSpec;
import io.conveyor.deployment.RouteTable;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * What every function behind the REST API does with a request, whatever its routes: finds the route among those the
 * catalogue gives the function, authenticates the caller, calls the route's endpoint and turns what comes back, or
 * what is thrown, into a JSON response. Errors a client can cause answer 4xx with {@code {code, message}}; anything
 * else answers 500 with the request id only, the details going to the log.
 *
 * <p>Thread-safe.
 */
final class RouteDispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(RouteDispatcher.class);
    /** Lambda accepts at most 6 MB of request; refusing earlier keeps the message clear. */
    static final int MAX_BODY_BYTES = 5 * 1024 * 1024;
    /** Any route answers 401 to a request without an authenticated caller, and 500 when it fails on our side. */
    private static final Set<Integer> ANY_ROUTE = Set.of(401, 500);

    private final ApiMetrics metrics;
    private final Function<APIGatewayProxyRequestEvent, Optional<Caller>> callers;
    private final RouteTable routes;
    private final Map<RouteSpec, Api.Endpoint> endpoints;

    /**
     * @param function  the function whose routes are served; {@code endpoints} must bind exactly the catalogue's routes
     *                  to it
     * @param callers   who calls, from a request ({@link Caller#finder})
     */
    RouteDispatcher(FunctionSpec function, List<Map.Entry<RouteSpec, Api.Endpoint>> endpoints, ApiMetrics metrics,
            Function<APIGatewayProxyRequestEvent, Optional<Caller>> callers) {
        this.metrics = metrics;
        this.callers = callers;
        this.endpoints = Map.ofEntries(endpoints.toArray(Map.Entry[]::new));
        List<RouteSpec> served = routesOf(function);
        if (!this.endpoints.keySet().equals(Set.copyOf(served))) {
            throw new IllegalStateException("function " + function.name() + " binds a handler to " + this.endpoints.keySet()
                    + " but the catalogue routes " + served + " to it");
        }
        this.routes = new RouteTable(served);
    }

    /** The catalogue's routes {@code function} serves. */
    static List<RouteSpec> routesOf(FunctionSpec function) {
        return Catalogue.ROUTES.stream().filter(r -> r.function().equals(function.name())).toList();
    }

    /**
     * Every status {@code route} may answer: its successes (the catalogue's), its refusals, and {@link #ANY_ROUTE}'s;
     * the OpenAPI document must list exactly these.
     */
    Set<Integer> statuses(RouteSpec route) {
        Set<Integer> statuses = new TreeSet<>(route.successStatuses());
        statuses.addAll(endpoints.get(route).refusals());
        statuses.addAll(ANY_ROUTE);
        return statuses;
    }

    /** Answers one API Gateway proxy request. */
    public APIGatewayProxyResponseEvent handle(APIGatewayProxyRequestEvent event, String requestId) {
        try {
            APIGatewayProxyResponseEvent response = respond(dispatch(event), requestId);
            LOG.info("answered {} {}: {}", event.getHttpMethod(), event.getPath(), response.getStatusCode());
            return response;
        } catch (ApiException e) {
            metrics.clientError(e.code());
            LOG.info("refused {} {}: {} {}", event.getHttpMethod(), event.getPath(), e.status(), e.code());
            return respond(new ApiResponse(e.status(), new Api.ErrorBody(e.code(), e.getMessage()), e.headers()), requestId);
        } catch (RuntimeException e) {
            metrics.serverError();
            LOG.error("failed {} {}", event.getHttpMethod(), event.getPath(), e);
            return respond(ApiResponse.of(500, new Api.ErrorBody("InternalError",
                    "The request failed on our side and changed nothing that it could not finish. Request id: " + requestId + ".")),
                    requestId);
        } finally {
            MDC.remove("jobId");
            MDC.remove("workerId");
        }
    }

    private ApiResponse dispatch(APIGatewayProxyRequestEvent event) {
        String method = Optional.ofNullable(event.getHttpMethod()).orElse("").toUpperCase(Locale.ROOT);
        String path = Optional.ofNullable(event.getPath()).orElse("/");
        RouteTable.Match match = routes.match(method, path).orElseThrow(() -> routes.methodsAt(path).isEmpty()
                ? new ApiException(404, "RouteNotFound", "There is no route " + path + "; see the API's OpenAPI document.")
                : new ApiException(405, "MethodNotAllowed", method + " is not supported on " + path + "; "
                        + routes.methodsAt(path) + " are."));
        Caller caller = callers.apply(event).orElseThrow(() -> new ApiException(401, "Unauthenticated",
                "The request carries no authenticated caller; sign it (IAM) or send a valid token."));
        Map<String, String> parameters = match.pathParameters();
        Optional.ofNullable(parameters.get("id")).ifPresent(id -> MDC.put("jobId", id));
        Optional.ofNullable(parameters.get("workerId")).ifPresent(id -> MDC.put("workerId", id));
        return endpoints.get(match.route()).handler().handle(caller, new ApiRequest(parameters,
                lowerKeys(event.getQueryStringParameters(), false), lowerKeys(event.getHeaders(), true), body(event)));
    }

    private static String body(APIGatewayProxyRequestEvent event) {
        String body = event.getBody();
        if (body == null) {
            return null;
        }
        if (Boolean.TRUE.equals(event.getIsBase64Encoded())) {
            body = utf8(Base64.getMimeDecoder().decode(body));
        }
        if (body.length() > MAX_BODY_BYTES) {
            throw new ApiException(413, "BodyTooLarge", "The request body is larger than " + MAX_BODY_BYTES
                    + " bytes; upload large inputs through 'inputs' and the presigned URLs instead of inline 'files'.");
        }
        return body;
    }

    /** Strictly: read with replacement characters instead, the body would be another request than the one sent. */
    private static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw ApiException.badRequest("The body is not UTF-8 text; send JSON encoded as UTF-8 (file contents that "
                    + "are not text go in 'contentBase64').");
        }
    }

    private static Map<String, String> lowerKeys(Map<String, String> map, boolean lower) {
        Map<String, String> copy = new HashMap<>();
        if (map != null) {
            map.forEach((k, v) -> copy.put(lower ? k.toLowerCase(Locale.ROOT) : k, v));
        }
        return copy;
    }

    private APIGatewayProxyResponseEvent respond(ApiResponse response, String requestId) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("X-Request-Id", requestId);
        headers.putAll(response.headers());
        String body;
        try {
            body = response.body() == null ? null : Api.JSON.writeValueAsString(response.body());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a response body could not be written as JSON", e);
        }
        return new APIGatewayProxyResponseEvent().withStatusCode(response.status()).withHeaders(headers).withBody(body);
    }
}
