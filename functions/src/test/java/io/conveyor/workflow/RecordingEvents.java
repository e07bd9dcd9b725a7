package io.conveyor.workflow;

import io.conveyor.admission.JobEvents;
import io.conveyor.job.Job;
import io.conveyor.job.JobStatus;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The event bus boundary for component tests: every event, in order. */
public final class RecordingEvents implements JobEvents {
    /** One published event. */
    public record Event(String jobId, JobStatus from, JobStatus to, int attempt) {}

    public final List<Event> published = new CopyOnWriteArrayList<>();

    @Override
    public void statusChanged(Job job, JobStatus from, Instant at) {
        published.add(new Event(job.id(), from, job.status(), job.attempts().size()));
    }
}
