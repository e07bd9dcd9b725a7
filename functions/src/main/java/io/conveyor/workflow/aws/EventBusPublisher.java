package io.conveyor.workflow.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conveyor.aws.AwsHttpService;
import io.conveyor.deployment.Catalogue;
import io.conveyor.persistence.StoredJson;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts one event on the deployment's event bus. Publishing is best effort: DynamoDB holds the truth, and a lost event
 * must not fail what it announces, so failures are logged.
 *
 * <p>The call is EventBridge's PutEvents in its JSON protocol, through {@link AwsHttpService}: the SDK's EventBridge
 * client would add 1.7 MB of model classes to the functions' jar for this one operation.
 */
final class EventBusPublisher {
    private static final Logger LOG = LoggerFactory.getLogger(EventBusPublisher.class);

    private final AwsHttpService events;
    private final String busName;

    /** @param events the EventBridge service ({@code AwsClients.eventBridge()}) */
    EventBusPublisher(AwsHttpService events, String busName) {
        this.events = events;
        this.busName = busName;
    }

    /**
     * Publishes an event of {@code detailType} about {@code resource} (a job's or a worker's id).
     *
     * @param detail the event's detail; it names its {@code owner}, whom the local event listing shows it to
     */
    void publish(String detailType, String resource, Map<String, Object> detail, Instant at) {
        ObjectNode request = StoredJson.MAPPER.createObjectNode();
        ObjectNode entry = request.putArray("Entries").addObject()
                .put("EventBusName", busName)
                .put("Source", Catalogue.EVENT_SOURCE)
                .put("DetailType", detailType)
                // AWS JSON timestamps are epoch seconds; milliseconds as the fraction, as the SDK writes them.
                .put("Time", BigDecimal.valueOf(at.toEpochMilli(), 3))
                .put("Detail", StoredJson.write(detail));
        entry.putArray("Resources").add(resource);
        try {
            JsonNode response = events.callJson("AWSEvents.PutEvents", "1.1", request);
            if (response.path("FailedEntryCount").asInt() > 0) {
                LOG.warn("event bus refused {} for {}: {}", detailType, resource, response.path("Entries"));
            }
        } catch (RuntimeException e) {
            LOG.warn("could not publish {} for {}", detailType, resource, e);
        }
    }
}
