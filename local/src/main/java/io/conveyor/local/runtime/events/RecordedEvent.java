package io.conveyor.local.runtime.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;

/**
 * One event put on a bus, as EventBridge would deliver it to a rule's target.
 *
 * @param id         the event id PutEvents returned
 * @param bus        the bus's name
 * @param source     {@code Source}
 * @param detailType {@code DetailType}
 * @param detail     {@code Detail}, parsed
 * @param resources  {@code Resources}
 * @param time       {@code Time}, or when it was put
 * @param account    the account
 * @param region     the region
 */
public record RecordedEvent(String id, String bus, String source, String detailType, JsonNode detail,
        List<String> resources, Instant time, String account, String region) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public RecordedEvent {
        resources = List.copyOf(resources);
    }

    /** The event in EventBridge's envelope ({@code version}, {@code id}, {@code detail-type}, ...) plus its bus. */
    public ObjectNode envelope() {
        ObjectNode o = JSON.createObjectNode();
        o.put("version", "0");
        o.put("id", id);
        o.put("detail-type", detailType);
        o.put("source", source);
        o.put("account", account);
        o.put("time", time.toString());
        o.put("region", region);
        com.fasterxml.jackson.databind.node.ArrayNode list = o.putArray("resources");
        resources.forEach(list::add);
        o.set("detail", detail);
        o.put("event-bus-name", bus);
        return o;
    }
}
