package io.conveyor.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.conveyor.deployment.Catalogue;
import io.conveyor.deployment.RouteSpec;
import io.conveyor.storage.PresignedRequest;
import io.conveyor.worker.WorkQueue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The worker protocol's routes: each reads its request, calls {@link WorkerService} and shapes the answer. */
final class WorkerRoutes {
    private final WorkerService workers;
    private final ObjectMapper json;

    WorkerRoutes(WorkerService workers, ObjectMapper json) {
        this.workers = workers;
        this.json = json;
    }

    /** Each route of the protocol, with the refusals it may answer besides those of every route. */
    List<Map.Entry<RouteSpec, Api.Endpoint>> endpoints() {
        return List.of(
                Api.bind(Catalogue.LIST_WORKERS, this::list),
                Api.bind(Catalogue.REGISTER_WORKER, this::register, 400, 403),
                Api.bind(Catalogue.DEREGISTER_WORKER, this::deregister, 404),
                Api.bind(Catalogue.POLL_SUBJOB, this::poll, 400, 404, 410),
                Api.bind(Catalogue.HEARTBEAT_SUBJOB, this::heartbeat, 404, 409, 410, 503),
                Api.bind(Catalogue.UPLOAD_SUBJOB_OUTPUT, this::outputUpload, 400, 404, 409, 410, 503),
                Api.bind(Catalogue.COMPLETE_SUBJOB, this::complete, 400, 404, 409, 410, 413, 503),
                Api.bind(Catalogue.FAIL_SUBJOB, this::fail, 400, 404, 409, 410, 503),
                Api.bind(Catalogue.DECLINE_SUBJOB, this::decline, 400, 404, 409, 410, 503));
    }

    /** A registered worker as the API shows it. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record WorkerView(String workerId, String name, List<String> programs, List<String> capabilities,
            long leaseSeconds, String deadline, List<String> worksFor) {
        static WorkerView of(WorkQueue.Worker w) {
            return new WorkerView(w.id(), w.name(), w.programs(), w.capabilities(), w.lease().toSeconds(),
                    w.deadline().toString(), w.worksFor());
        }
    }

    /** A worker with its health and holdings, as {@code GET /workers} shows it. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record WorkerStatusView(String workerId, String name, List<String> programs, List<String> capabilities,
            List<String> worksFor, String health, String lastCallAt, String deadline, String registeredAt,
            List<HeldView> holds) {
        static WorkerStatusView of(WorkerService.WorkerStatus s) {
            WorkQueue.Worker w = s.worker();
            return new WorkerStatusView(w.id(), w.name(), w.programs(), w.capabilities(), w.worksFor(),
                    s.alive() ? "ALIVE" : "DEAD", s.lastCallAt().toString(), w.deadline().toString(),
                    w.registeredAt().toString(),
                    s.held().stream().map(o -> new HeldView(o.jobId(), o.attempt(), o.index())).toList());
        }
    }

    /** A subjob a worker holds. */
    public record HeldView(String jobId, int attempt, int index) {}

    private ApiResponse list(Caller caller, ApiRequest request) {
        return ApiResponse.of(200, Map.of("workers", workers.list(caller).stream().map(WorkerStatusView::of).toList()));
    }

    private ApiResponse register(Caller caller, ApiRequest request) {
        JsonNode body = object(request, "{\"programs\": [\"render\"], \"capabilities\": [\"gpu\"], \"leaseSeconds\": 60, "
                + "\"name\": \"gpu-box-1\"}");
        JsonNode lease = body.path("leaseSeconds");
        if (!lease.isMissingNode() && !lease.canConvertToInt()) {
            throw ApiException.badRequest("'leaseSeconds' must be a whole number of seconds.");
        }
        WorkQueue.Worker worker = workers.register(caller, strings(body, "programs"), strings(body, "capabilities"),
                Duration.ofSeconds(lease.asInt(60)), optionalText(body, "name"),
                body.has("worksFor") ? Optional.of(strings(body, "worksFor")) : Optional.empty());
        return new ApiResponse(201, WorkerView.of(worker), Map.of("Location", "/workers/" + worker.id()));
    }

    private ApiResponse deregister(Caller caller, ApiRequest request) {
        workers.deregister(caller, request.path("workerId"));
        return ApiResponse.of(200, Map.of("workerId", request.path("workerId"), "deregistered", true));
    }

    private ApiResponse poll(Caller caller, ApiRequest request) {
        String text = request.query("waitSeconds").orElse(Long.toString(WorkerService.MAX_POLL_WAIT.toSeconds()));
        long wait;
        try {
            wait = Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("'waitSeconds' must be a whole number from 0 to "
                    + WorkerService.MAX_POLL_WAIT.toSeconds() + "; got '" + text + "'.");
        }
        Optional<WorkerService.Assignment> assignment = workers.poll(caller, request.path("workerId"), Duration.ofSeconds(wait));
        return assignment.map(a -> ApiResponse.of(200, a)).orElseGet(() -> new ApiResponse(204, null, Map.of()));
    }

    private ApiResponse heartbeat(Caller caller, ApiRequest request) {
        workers.heartbeat(caller, request.path("workerId"), request.path("taskId"));
        return held(request);
    }

    /** Where to PUT a large output. */
    public record UploadView(String method, String url, Map<String, String> headers, String expiresAt) {}

    private ApiResponse outputUpload(Caller caller, ApiRequest request) {
        JsonNode size = object(request, "{\"size\": 1048576}").path("size");
        if (!size.canConvertToLong()) {
            throw ApiException.badRequest("'size' must be the output's size in bytes.");
        }
        PresignedRequest put = workers.outputUpload(caller, request.path("workerId"), request.path("taskId"), size.asLong());
        return ApiResponse.of(200, new UploadView(put.method(), put.url().toString(), put.headers(), put.expiresAt().toString()));
    }

    private ApiResponse complete(Caller caller, ApiRequest request) {
        JsonNode body = object(request, "{\"output\": {...}} or {\"outputUploaded\": true}");
        boolean uploaded = body.path("outputUploaded").asBoolean(false);
        if (uploaded == body.has("output")) {
            throw ApiException.badRequest("Send the output inline as {\"output\": <JSON>}, or {\"outputUploaded\": true} "
                    + "once it is uploaded; exactly one of the two.");
        }
        workers.complete(caller, request.path("workerId"), request.path("taskId"), uploaded ? null : body.get("output"),
                Duration.ofMillis(Math.max(0, body.path("durationMillis").asLong(0))));
        return held(request);
    }

    private ApiResponse fail(Caller caller, ApiRequest request) {
        JsonNode body = object(request, "{\"message\": \"why\", \"retryable\": false}");
        workers.fail(caller, request.path("workerId"), request.path("taskId"), message(body, "message"),
                body.path("retryable").asBoolean(false));
        return held(request);
    }

    private ApiResponse decline(Caller caller, ApiRequest request) {
        JsonNode body = request.body() == null || request.body().isBlank() ? json.createObjectNode()
                : object(request, "{\"reason\": \"why\"}");
        workers.decline(caller, request.path("workerId"), request.path("taskId"),
                body.hasNonNull("reason") ? message(body, "reason") : "no reason given");
        return held(request);
    }

    private static ApiResponse held(ApiRequest request) {
        return ApiResponse.of(200, Map.of("workerId", request.path("workerId"), "taskId", request.path("taskId")));
    }

    private JsonNode object(ApiRequest request, String example) {
        if (request.body() == null || request.body().isBlank()) {
            throw ApiException.badRequest("The body is empty; send a JSON object such as " + example + ".");
        }
        JsonNode body = JsonBody.parse(json, request.body());
        if (!body.isObject()) {
            throw ApiException.badRequest("The body must be a JSON object such as " + example + ".");
        }
        return body;
    }

    private static List<String> strings(JsonNode body, String field) {
        JsonNode list = body.path(field);
        if (list.isMissingNode()) {
            return List.of();
        }
        List<String> strings = new ArrayList<>();
        if (list.isArray()) {
            list.forEach(e -> strings.add(e.isTextual() ? e.asText() : null));
        }
        if (!list.isArray() || strings.contains(null)) {
            throw ApiException.badRequest("'" + field + "' must be a list of strings.");
        }
        return strings;
    }

    private static String optionalText(JsonNode body, String field) {
        JsonNode value = body.path(field);
        if (value.isMissingNode() || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw ApiException.badRequest("'" + field + "' must be a string.");
        }
        return value.asText();
    }

    private static String message(JsonNode body, String field) {
        JsonNode value = body.path(field);
        if (!value.isTextual() || value.asText().isBlank()) {
            throw ApiException.badRequest("'" + field + "' must be a non-empty string saying why.");
        }
        String text = value.asText();
        return text.length() > 4000 ? text.substring(0, 4000) + "..." : text;
    }
}
