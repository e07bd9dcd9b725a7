package io.conveyor.admission;

import io.conveyor.job.Job;
import io.conveyor.job.JobStatus;
import java.time.Clock;

/**
 * What follows when a job reaches a terminal status, whoever moved it there (the workflow, or its owner
 * cancelling): its quota slot is released and the next waiting jobs admitted, the jobs that depend on it are
 * woken (and fail if it did not succeed), and {@code JobStatusChanged} is published. Every step may be repeated.
 */
public final class JobEndings {
    private final ActiveJobCounters counters;
    private final WaitlistStore waitlist;
    private final Admissions admissions;
    private final DependencyGate dependencies;
    private final JobEvents events;
    private final Clock clock;

    public JobEndings(ActiveJobCounters counters, WaitlistStore waitlist, Admissions admissions,
            DependencyGate dependencies, JobEvents events, Clock clock) {
        this.counters = counters;
        this.waitlist = waitlist;
        this.admissions = admissions;
        this.dependencies = dependencies;
        this.events = events;
        this.clock = clock;
    }

    /** {@code job}, now terminal, was {@code from} before. */
    public void ended(Job job, JobStatus from) {
        if (!job.status().isTerminal()) {
            throw new IllegalArgumentException("job " + job.id() + " is " + job.status() + ", not terminal");
        }
        if (from != JobStatus.RUNNING) {
            // A running job left the admission lane when it was admitted (a stale place in line, which a repeated
            // Admit could leave, is dropped by the next pass that meets it); a queued one may still wait there.
            waitlist.removeJob(WaitlistStore.ADMISSION, job.id());
        }
        if (counters.release(job.id(), job.owner(), job.program())) {
            admissions.admitWaiting();
        }
        dependencies.jobEnded(job);
        events.statusChanged(job, from, clock.instant());
    }
}
