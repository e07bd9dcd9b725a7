package io.conveyor.workflow.aws;

import io.conveyor.admission.JobEvents;
import io.conveyor.aws.AwsHttpService;
import io.conveyor.job.Job;
import io.conveyor.job.JobStatus;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** Publishes {@code JobStatusChanged} to the job event bus through EventBridge, best effort ({@link EventBusPublisher}). */
public final class EventBridgeJobEvents implements JobEvents {
    private final EventBusPublisher bus;

    /** @param events the EventBridge service ({@code AwsClients.eventBridge()}) */
    public EventBridgeJobEvents(AwsHttpService events, String busName) {
        this.bus = new EventBusPublisher(events, busName);
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
        bus.publish(DETAIL_TYPE, job.id(), detail, at);
    }
}
