package io.conveyor.local.runtime.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import io.conveyor.asl.http.HttpEndpoint;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * An EventBridge endpoint that records events: {@code PutEvents} over AWS JSON 1.1
 * ({@code X-Amz-Target: AWSEvents.PutEvents}), so an unmodified {@code EventBridgeClient} pointed at it (through
 * {@code AWS_ENDPOINT_URL_EVENTBRIDGE} or {@code aws.endpointUrlEventBridge}) publishes into an {@link EventLog}.
 * Entries are checked as EventBridge checks them (source, detail type and detail present, detail a JSON object,
 * the bus known, at most 10 entries); rules and targets are not evaluated. Binds to 127.0.0.1 only. Requests are
 * not signature-checked.
 */
public final class EventBridgeEndpoint implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TARGET_PREFIX = "AWSEvents.";
    private static final int MAX_ENTRIES = 10;

    private final HttpEndpoint http;
    private final EventLog log;
    private final Set<String> buses;
    private final String account;
    private final String region;
    private final Clock clock;

    private EventBridgeEndpoint(HttpEndpoint http, EventLog log, Set<String> buses, String account, String region,
            Clock clock) {
        this.http = http;
        this.log = log;
        this.buses = Set.copyOf(buses);
        this.account = account;
        this.region = region;
        this.clock = clock;
    }

    /**
     * Starts serving on 127.0.0.1.
     *
     * @param port  the port, 0 for a free one
     * @param buses the buses that exist besides {@code default}
     */
    public static EventBridgeEndpoint start(EventLog log, Set<String> buses, String account, String region, int port,
            Clock clock) throws IOException {
        java.util.Set<String> all = new java.util.HashSet<>(buses);
        all.add("default");
        HttpEndpoint http = HttpEndpoint.bind("127.0.0.1", port, 0, "eventbridge-http");
        EventBridgeEndpoint endpoint = new EventBridgeEndpoint(http, log, all, account, region, clock);
        http.serve(endpoint::handle);
        return endpoint;
    }

    /** Where the endpoint answers, for an SDK client's endpoint override. */
    public URI endpoint() {
        return http.uri();
    }

    private void handle(HttpExchange exchange) throws IOException {
        int status = 200;
        ObjectNode body;
        try (InputStream in = exchange.getRequestBody()) {
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            if (target == null || !target.startsWith(TARGET_PREFIX)) {
                throw new Failure(400, "UnknownOperationException", "Missing or invalid X-Amz-Target header");
            }
            String operation = target.substring(TARGET_PREFIX.length());
            if (!operation.equals("PutEvents")) {
                throw new Failure(400, "UnknownOperationException",
                        "The local EventBridge supports PutEvents only, not " + operation);
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            JsonNode request;
            try {
                request = text.isBlank() ? JSON.createObjectNode() : JSON.readTree(text);
            } catch (IOException e) {
                throw new Failure(400, "SerializationException", "The request body is not JSON: " + e.getMessage());
            }
            body = putEvents(request);
        } catch (Failure f) {
            status = f.status;
            body = JSON.createObjectNode().put("__type", f.type).put("message", f.getMessage());
        } catch (RuntimeException e) {
            status = 500;
            body = JSON.createObjectNode().put("__type", "InternalException").put("message", String.valueOf(e));
        }
        byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
        exchange.getResponseHeaders().set("x-amzn-RequestId", UUID.randomUUID().toString());
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private ObjectNode putEvents(JsonNode request) {
        JsonNode entries = request.get("Entries");
        if (entries == null || !entries.isArray() || entries.isEmpty()) {
            throw new Failure(400, "ValidationException",
                    "1 validation error detected: Value null at 'entries' failed to satisfy constraint: Member must not be null");
        }
        if (entries.size() > MAX_ENTRIES) {
            throw new Failure(400, "ValidationException", "1 validation error detected: Value at 'entries' failed to "
                    + "satisfy constraint: Member must have length less than or equal to " + MAX_ENTRIES);
        }
        ObjectNode response = JSON.createObjectNode();
        ArrayNode results = response.putArray("Entries");
        int failed = 0;
        for (JsonNode entry : entries) {
            ObjectNode result = results.addObject();
            String problem = check(entry, result);
            if (problem != null) {
                failed++;
                continue;
            }
            String id = UUID.randomUUID().toString();
            result.put("EventId", id);
            log.record(new RecordedEvent(id, busName(entry), entry.get("Source").asText(),
                    entry.get("DetailType").asText(), parse(entry.get("Detail").asText()), resources(entry),
                    time(entry), account, region));
        }
        response.put("FailedEntryCount", failed);
        return response;
    }

    /** Fills {@code result} with the entry's error and returns its code, or returns null for a valid entry. */
    private String check(JsonNode entry, ObjectNode result) {
        String code = null;
        String message = null;
        if (!text(entry, "Source") || !text(entry, "DetailType") || !text(entry, "Detail")) {
            code = "InvalidArgument";
            message = "Parameter(s) Source, DetailType, or Detail not specified.";
        } else if (!parse(entry.get("Detail").asText()).isObject()) {
            code = "MalformedDetail";
            message = "Detail is malformed.";
        } else if (!buses.contains(busName(entry))) {
            code = "ResourceNotFoundException";
            message = "Event bus " + busName(entry) + " does not exist.";
        }
        if (code != null) {
            result.put("ErrorCode", code);
            result.put("ErrorMessage", message);
        }
        return code;
    }

    private static boolean text(JsonNode entry, String field) {
        JsonNode v = entry.get(field);
        return v != null && v.isTextual() && !v.asText().isBlank();
    }

    private static JsonNode parse(String detail) {
        try {
            return JSON.readTree(detail);
        } catch (IOException e) {
            return JSON.getNodeFactory().missingNode();
        }
    }

    private static String busName(JsonNode entry) {
        JsonNode bus = entry.get("EventBusName");
        if (bus == null || bus.asText().isBlank()) {
            return "default";
        }
        String name = bus.asText();
        int slash = name.lastIndexOf("event-bus/");
        return slash >= 0 ? name.substring(slash + "event-bus/".length()) : name;
    }

    private static List<String> resources(JsonNode entry) {
        List<String> resources = new ArrayList<>();
        entry.path("Resources").forEach(r -> resources.add(r.asText()));
        return resources;
    }

    /** {@code Time} is epoch seconds on the wire (AWS JSON timestamps); absent, the time of the call. */
    private Instant time(JsonNode entry) {
        JsonNode t = entry.get("Time");
        if (t != null && t.isNumber()) {
            return Instant.ofEpochMilli(Math.round(t.asDouble() * 1000));
        }
        return clock.instant();
    }

    @Override
    public void close() {
        http.close();
    }

    private static final class Failure extends RuntimeException {
        final int status;
        final String type;

        Failure(int status, String type, String message) {
            super(message);
            this.status = status;
            this.type = type;
        }
    }
}
