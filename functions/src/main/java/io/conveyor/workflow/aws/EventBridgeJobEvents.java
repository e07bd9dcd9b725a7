package io.conveyor.workflow.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conveyor.admission.JobEvents;
import io.conveyor.aws.AwsHttpService;
import io.conveyor.deployment.Catalogue;
import io.conveyor.job.Job;
import io.conveyor.job.JobStatus;
import io.conveyor.persistence.StoredJson;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes {@code JobStatusChanged} to the job event bus through EventBridge. Publishing is best effort: the
 * job's status in DynamoDB is the truth, and a lost event must not fail the job, so failures are logged.
 *
 * <p>The call is EventBridge's PutEvents in its JSON protocol, through {@link AwsHttpService}: the SDK's EventBridge
 * client would add 1.7 MB of model classes to the functions' jar for this one operation.
 */
public final class EventBridgeJobEvents implements JobEvents {
    private static final Logger LOG = LoggerFactory.getLogger(EventBridgeJobEvents.class);

    private final AwsHttpService events;
    private final String busName;

    /** @param events the EventBridge service ({@code AwsClients.eventBridge()}) */
    public EventBridgeJobEvents(AwsHttpService events, String busName) {
        this.events = events;
        this.busName = busName;
    }

    @Override
    public void statusChanged(Job job, JobStatus from, Instant at) {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("jobId", job.id());
        detail.put("owner", job.owner());
        detail.put("program", job.program());
        detail.put("oldStatus", from.name());
        detail.put("newStatus", job.status().name());
        detail.put("attempt", job.attempts().size());
        detail.put("time", at.toString());
        job.lastError().ifPresent(e -> detail.put("error", Map.of("code", e.code(), "message", e.message())));
        ObjectNode request = StoredJson.MAPPER.createObjectNode();
        ObjectNode entry = request.putArray("Entries").addObject()
                .put("EventBusName", busName)
                .put("Source", Catalogue.EVENT_SOURCE)
                .put("DetailType", DETAIL_TYPE)
                // AWS JSON timestamps are epoch seconds; milliseconds as the fraction, as the SDK writes them.
                .put("Time", BigDecimal.valueOf(at.toEpochMilli(), 3))
                .put("Detail", StoredJson.write(detail));
        entry.putArray("Resources").add(job.id());
        try {
            JsonNode response = events.callJson("AWSEvents.PutEvents", "1.1", request);
            if (response.path("FailedEntryCount").asInt() > 0) {
                LOG.warn("event bus refused JobStatusChanged for job {}: {}", job.id(), response.path("Entries"));
            }
        } catch (RuntimeException e) {
            LOG.warn("could not publish JobStatusChanged for job {}", job.id(), e);
        }
    }
}
