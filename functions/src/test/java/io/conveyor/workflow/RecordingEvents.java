package io.conveyor.workflow;

import io.conveyor.admission.JobEvents;
import io.conveyor.job.Job;
import io.conveyor.job.JobStatus;
import io.conveyor.worker.WorkQueue;
import io.conveyor.worker.WorkerEvents;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The event bus boundary for component tests: every event, in order. */
public final class RecordingEvents implements JobEvents, WorkerEvents {
    /** One published event. */
    public record Event(String jobId, JobStatus from, JobStatus to, int attempt) {}

    /** One published worker event: {@link WorkerEvents#REGISTERED} or {@link WorkerEvents#DIED}. */
    public record WorkerEvent(String type, String workerId, String owner, Instant at) {}

    public final List<Event> published = new CopyOnWriteArrayList<>();
    public final List<WorkerEvent> workers = new CopyOnWriteArrayList<>();

    @Override
    public void statusChanged(Job job, JobStatus from, Instant at) {
        published.add(new Event(job.id(), from, job.status(), job.attempts().size()));
    }

    @Override
    public void registered(WorkQueue.Worker worker, Instant at) {
        workers.add(new WorkerEvent(REGISTERED, worker.id(), worker.owner(), at));
    }

    @Override
    public void died(WorkQueue.Worker worker, Instant at) {
        workers.add(new WorkerEvent(DIED, worker.id(), worker.owner(), at));
    }
}
