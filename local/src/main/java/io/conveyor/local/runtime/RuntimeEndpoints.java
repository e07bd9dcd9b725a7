package io.conveyor.local.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conveyor.deployment.GatewayResponses;
import io.conveyor.local.runtime.apigateway.ApiGateway;
import io.conveyor.local.runtime.events.RecordedEvent;
import io.conveyor.local.runtime.lambda.CommandFunction;
import io.conveyor.local.runtime.lambda.Invocation;
import io.conveyor.local.runtime.lambda.LocalFunction;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The local runtime's own endpoints under {@value ApiGateway#LOCAL_PREFIX}, for the caller the gateway
 * authenticated. By default they show a caller only what the API would: the events of their own jobs, the health
 * of the runtime and its functions. With {@code --dev-open} they also hand out what reaches every user's data: the
 * emulators' endpoints and credentials, every event on the bus, and firing the schedules (the cleaner expires
 * everyone's jobs).
 */
final class RuntimeEndpoints implements ApiGateway.LocalEndpoints {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String USAGE = "The local endpoints are GET /_local/health, GET /_local/events"
            + "[?source=&detail-type=&bus=], GET /_local/functions and POST /_local/schedules/{rule} (--dev-open only)";

    private final LocalRuntime runtime;
    private final boolean devOpen;

    RuntimeEndpoints(LocalRuntime runtime, boolean devOpen) {
        this.runtime = runtime;
        this.devOpen = devOpen;
    }

    @Override
    public ApiGateway.Response handle(String method, String path, Map<String, List<String>> query, String caller) {
        String p = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        if (method.equals("GET") && p.equals("/_local/health")) {
            return new ApiGateway.Response(200, health());
        }
        if (method.equals("GET") && p.equals("/_local/events")) {
            return new ApiGateway.Response(200, events(query, caller));
        }
        if (method.equals("GET") && p.equals("/_local/functions")) {
            return new ApiGateway.Response(200, functions());
        }
        if (method.equals("POST") && p.startsWith("/_local/schedules/")) {
            if (!devOpen) {
                return error(GatewayResponses.Type.ACCESS_DENIED.status(), "AccessDenied", "Firing a schedule runs "
                        + "the cleaner for every user's jobs: start the runtime with --dev-open to allow it.");
            }
            return fire(p.substring("/_local/schedules/".length()));
        }
        return error(404, "NotFound", USAGE);
    }

    private ObjectNode health() {
        ObjectNode body = JSON.createObjectNode().put("status", "ok").put("devOpen", devOpen);
        ObjectNode services = body.putObject("endpoints");
        services.put("api", runtime.apiEndpoint().toString());
        if (devOpen) {
            LocalDeployment.Endpoints e = runtime.endpoints();
            services.put("dynamodb", e.dynamoDb().toString());
            services.put("s3", e.s3().toString());
            services.put("stepfunctions", e.stepFunctions().toString());
            services.put("eventbridge", e.eventBridge().toString());
            services.put("lambda", e.lambda().toString());
            body.putObject("credentials").put("accessKeyId", LocalRuntime.ACCESS_KEY)
                    .put("secretAccessKey", LocalRuntime.SECRET_KEY);
        }
        ArrayNode machines = body.putArray("stateMachines");
        runtime.stateMachines().forEach(machines::add);
        return body;
    }

    /** The recorded events that match the query: the caller's own jobs' events, or every event with --dev-open. */
    private ObjectNode events(Map<String, List<String>> query, String caller) {
        Predicate<RecordedEvent> filter = e -> matches(query, "source", e.source())
                && matches(query, "detail-type", e.detailType()) && matches(query, "bus", e.bus())
                && (devOpen || caller.equals(e.detail().path("owner").asText(null)));
        ObjectNode body = JSON.createObjectNode();
        ArrayNode list = body.putArray("events");
        runtime.events().matching(filter).forEach(e -> list.add(e.envelope()));
        return body;
    }

    private static boolean matches(Map<String, List<String>> query, String name, String value) {
        List<String> wanted = query.get(name);
        return wanted == null || wanted.contains(value);
    }

    private ObjectNode functions() {
        ObjectNode body = JSON.createObjectNode();
        ArrayNode list = body.putArray("functions");
        for (LocalFunction f : runtime.lambda().functions()) {
            ObjectNode function = list.addObject().put("name", f.name()).put("arn", f.arn())
                    .put("handler", f.spec().handler())
                    .put("memoryMb", f.spec().memoryMb()).put("timeoutSeconds", f.spec().timeout().toSeconds())
                    .put("handlerPresent", f.handlerPresent()).put("invocations", f.invocations())
                    .put("coldStarts", f.coldStarts()).put("throttles", runtime.lambda().throttles(f.name()))
                    .put("running", runtime.lambda().limits().running(f.name()));
            f.spec().reservedConcurrency().ifPresent(reserved -> function.put("reservedConcurrency", reserved));
        }
        for (CommandFunction c : runtime.lambda().commands()) {
            list.addObject().put("name", c.name()).put("arn", runtime.deployment().functionArn(c.name()))
                    .put("command", String.join(" ", c.command())).put("timeoutSeconds", c.timeout().toSeconds());
        }
        return body;
    }

    private ApiGateway.Response fire(String rule) {
        try {
            Invocation run = runtime.scheduler().fire(rule);
            ObjectNode body = JSON.createObjectNode().put("rule", rule).put("requestId", run.requestId())
                    .put("failed", run.failed());
            try {
                body.set("result", JSON.readTree(run.payload()));
            } catch (IOException e) {
                body.put("result", run.payload());
            }
            return new ApiGateway.Response(200, body);
        } catch (IllegalArgumentException e) {
            return error(404, "NotFound", e.getMessage());
        }
    }

    private static ApiGateway.Response error(int status, String code, String message) {
        JsonNode body = JSON.createObjectNode().put("code", code).put("message", message);
        return new ApiGateway.Response(status, body);
    }
}
