package io.conveyor.local.runtime.lambda;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import io.conveyor.asl.http.HttpEndpoint;
import io.conveyor.asl.task.LambdaInvoker.LambdaServiceException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lambda's Invoke operation over its REST API ({@code POST /2015-03-31/functions/{name}/invocations}), served by
 * {@link InProcessLambda}, so an unmodified {@code LambdaClient} pointed at it (through {@code AWS_ENDPOINT_URL_LAMBDA}
 * or {@code aws.endpointUrlLambda}) invokes the local functions, as a program's functions are invoked on AWS:
 *
 * <ul>
 *   <li>{@code X-Amz-Invocation-Type}: {@code RequestResponse} (the default) answers 200 with the payload;
 *       {@code Event} answers 202 and runs the function afterwards; {@code DryRun} answers 204;
 *   <li>a function error is a 200 with {@code X-Amz-Function-Error: Unhandled} and Lambda's error document;
 *   <li>service errors carry {@code x-amzn-ErrorType} and {@code {"Type": "User", "Message": ...}}, as Lambda's:
 *       an unknown function is 404 {@code ResourceNotFoundException}, a payload over 6 MB 413
 *       {@code RequestTooLargeException}, a throttled invocation ({@link ConcurrencyLimits}) 429
 *       {@code TooManyRequestsException} with Lambda's {@code Reason}, which the SDK's retry strategy retries.
 * </ul>
 *
 * The function may be a name, {@code name:qualifier} or an ARN; every local function has one version, so any
 * qualifier ({@code Qualifier} or in the name) runs it. Binds 127.0.0.1 only; requests are not signature-checked.
 */
public final class LambdaInvokeEndpoint implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LambdaInvokeEndpoint.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern INVOKE = Pattern.compile("/2015-03-31/functions/([^/]+)/invocations/?");
    /** Lambda's limit on a synchronous invocation's request payload. */
    static final int MAX_PAYLOAD_BYTES = 6 * 1024 * 1024;

    private final HttpEndpoint http;
    private final InProcessLambda lambda;

    private LambdaInvokeEndpoint(HttpEndpoint http, InProcessLambda lambda) {
        this.http = http;
        this.lambda = lambda;
    }

    /** Starts serving on 127.0.0.1, on {@code port} (0 for a free one). */
    public static LambdaInvokeEndpoint start(InProcessLambda lambda, int port) throws IOException {
        HttpEndpoint http = HttpEndpoint.bind("127.0.0.1", port, 0, "lambda-http");
        LambdaInvokeEndpoint endpoint = new LambdaInvokeEndpoint(http, lambda);
        http.serve(endpoint::handle);
        return endpoint;
    }

    /** Where the endpoint answers, for an SDK client's endpoint override. */
    public URI endpoint() {
        return http.uri();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            Matcher invoke = INVOKE.matcher(exchange.getRequestURI().getRawPath());
            if (!exchange.getRequestMethod().equals("POST") || !invoke.matches()) {
                serviceError(exchange, 400, "InvalidRequestContentException", "The local Lambda endpoint serves Invoke only: "
                        + "POST /2015-03-31/functions/{name}/invocations, not " + exchange.getRequestMethod() + " "
                        + exchange.getRequestURI().getRawPath());
                return;
            }
            String function = URLDecoder.decode(invoke.group(1), StandardCharsets.UTF_8);
            byte[] payload = in.readNBytes(MAX_PAYLOAD_BYTES + 1);
            if (payload.length > MAX_PAYLOAD_BYTES) {
                serviceError(exchange, 413, "RequestTooLargeException",
                        "Request must be smaller than " + MAX_PAYLOAD_BYTES + " bytes for the InvokeFunction operation");
                return;
            }
            String event = payload.length == 0 ? "{}" : new String(payload, StandardCharsets.UTF_8);
            String type = exchange.getRequestHeaders().getFirst("X-Amz-Invocation-Type");
            if (!lambda.deployed(function)) {
                serviceError(exchange, 404, "ResourceNotFoundException", "Function not found: " + function);
                return;
            }
            if ("DryRun".equals(type)) {
                respond(exchange, 204, null, null, new byte[0]);
            } else if ("Event".equals(type)) {
                http.executor().execute(() -> lambda.invocation(function, event));
                respond(exchange, 202, UUID.randomUUID().toString(), null, new byte[0]);
            } else {
                Invocation result = lambda.invocation(function, event);
                respond(exchange, 200, result.requestId(), result.functionError(),
                        result.payload().getBytes(StandardCharsets.UTF_8));
            }
        } catch (LambdaServiceException e) {
            switch (e.errorCode()) {
                case "ResourceNotFoundException" -> serviceError(exchange, 404, e.errorCode(), e.getMessage());
                case "TooManyRequestsException" -> throttled(exchange, lambda.limits().reasonFor(invokedFunction(exchange)));
                default -> serviceError(exchange, 500, e.errorCode(), e.getMessage());
            }
        } catch (RuntimeException e) {
            LOG.warn("the local Lambda endpoint failed", e);
            serviceError(exchange, 500, "ServiceException", String.valueOf(e));
        } finally {
            exchange.close();
        }
    }

    private static void respond(HttpExchange exchange, int status, String requestId, String functionError, byte[] body)
            throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.getResponseHeaders().set("X-Amz-Executed-Version", "$LATEST");
        exchange.getResponseHeaders().set("x-amzn-RequestId", requestId == null ? UUID.randomUUID().toString() : requestId);
        if (functionError != null) {
            exchange.getResponseHeaders().set("X-Amz-Function-Error", functionError);
        }
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    /** The name of the function the request invokes (a throttled request always names one). */
    private static String invokedFunction(HttpExchange exchange) {
        Matcher invoke = INVOKE.matcher(exchange.getRequestURI().getRawPath());
        return invoke.matches()
                ? InProcessLambda.functionName(URLDecoder.decode(invoke.group(1), StandardCharsets.UTF_8)) : "";
    }

    /** Lambda's answer to a throttled invocation: 429, {@code {"Reason": ..., "Type": "User", "message": "Rate Exceeded."}}. */
    private static void throttled(HttpExchange exchange, String reason) throws IOException {
        send(exchange, 429, "TooManyRequestsException", JSON.createObjectNode().put("Reason", reason).put("Type", "User")
                .put("message", ConcurrencyLimits.THROTTLED).toString().getBytes(StandardCharsets.UTF_8));
    }

    private static void serviceError(HttpExchange exchange, int status, String type, String message) throws IOException {
        send(exchange, status, type, JSON.createObjectNode().put("Type", status >= 500 ? "Service" : "User")
                .put("Message", message).toString().getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.getResponseHeaders().set("x-amzn-ErrorType", type);
        exchange.getResponseHeaders().set("x-amzn-RequestId", UUID.randomUUID().toString());
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        http.close();
    }
}
