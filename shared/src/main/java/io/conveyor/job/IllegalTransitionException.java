package io.conveyor.job;

/** An event that the job's current status does not allow, for example cancelling a job that already succeeded. */
public final class IllegalTransitionException extends RuntimeException {
    private final JobStatus from;
    private final JobEvent event;

    public IllegalTransitionException(JobStatus from, JobEvent event) {
        super("A job in status " + from + " cannot take event " + event
                + "; allowed events from " + from + ": " + JobLifecycle.eventsFrom(from));
        this.from = from;
        this.event = event;
    }

    public JobStatus from() {
        return from;
    }

    public JobEvent event() {
        return event;
    }
}
