package io.conveyor.workflow.aws;

import io.conveyor.aws.AwsHttpService;
import io.conveyor.worker.WorkQueue;
import io.conveyor.worker.WorkerEvents;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Publishes {@code WorkerRegistered} and {@code WorkerDied} to the job event bus through EventBridge, best effort
 * ({@link EventBusPublisher}), shaped as {@code JobStatusChanged}: the source, the owner and the time in the detail,
 * the worker's id as the resource.
 */
public final class EventBridgeWorkerEvents implements WorkerEvents {
    private final EventBusPublisher bus;

    /** @param events the EventBridge service ({@code AwsClients.eventBridge()}) */
    public EventBridgeWorkerEvents(AwsHttpService events, String busName) {
        this.bus = new EventBusPublisher(events, busName);
    }

    @Override
    public void registered(WorkQueue.Worker worker, Instant at) {
        bus.publish(REGISTERED, worker.id(), detail(worker, at), at);
    }

    @Override
    public void died(WorkQueue.Worker worker, Instant at) {
        bus.publish(DIED, worker.id(), detail(worker, at), at);
    }

    private static Map<String, Object> detail(WorkQueue.Worker worker, Instant at) {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("workerId", worker.id());
        detail.put("owner", worker.owner());
        if (worker.name() != null) {
            detail.put("name", worker.name());
        }
        detail.put("programs", worker.programs());
        detail.put("capabilities", worker.capabilities());
        detail.put("deadline", worker.deadline().toString());
        detail.put("time", at.toString());
        return detail;
    }
}
