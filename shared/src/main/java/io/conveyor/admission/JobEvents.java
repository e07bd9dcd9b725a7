package io.conveyor.admission;

import io.conveyor.job.Job;
import io.conveyor.job.JobStatus;
import java.time.Instant;

/** Where {@code JobStatusChanged} events go. */
public interface JobEvents {
    /** The name of the event's detail type. */
    String DETAIL_TYPE = "JobStatusChanged";

    /** Announces that {@code job} moved from {@code from} to its current status at {@code at}. */
    void statusChanged(Job job, JobStatus from, Instant at);
}
