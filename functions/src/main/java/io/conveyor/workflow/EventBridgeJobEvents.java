package io.conveyor.workflow;

import io.conveyor.deployment.Catalogue;
import io.conveyor.job.Job;
import io.conveyor.job.JobStatus;
import io.conveyor.persistence.Json;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;

/**
 * Publishes {@code JobStatusChanged} to the job event bus through EventBridge. Publishing is best effort: the
 * job's status in DynamoDB is the truth, and a lost event must not fail the job, so failures are logged.
 */
public final class EventBridgeJobEvents implements JobEvents {
    private static final Logger LOG = LoggerFactory.getLogger(EventBridgeJobEvents.class);

    private final EventBridgeClient events;
    private final String busName;

    public EventBridgeJobEvents(EventBridgeClient events, String busName) {
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
        try {
            PutEventsResponse response = events.putEvents(r -> r.entries(e -> e
                    .eventBusName(busName)
                    .source(Catalogue.EVENT_SOURCE)
                    .detailType(DETAIL_TYPE)
                    .time(at)
                    .resources(job.id())
                    .detail(Json.write(detail))));
            if (response.failedEntryCount() != null && response.failedEntryCount() > 0) {
                LOG.warn("event bus refused JobStatusChanged for job {}: {}", job.id(), response.entries());
            }
        } catch (RuntimeException e) {
            LOG.warn("could not publish JobStatusChanged for job {}", job.id(), e);
        }
    }
}
