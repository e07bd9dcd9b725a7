package io.conveyor.job;

import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The job lifecycle as data: one table of {@code (from, event) -> to}. Everything that changes a job's
 * status asks this table first, so the allowed moves live in exactly one place.
 */
public final class JobLifecycle {

    /** One row of the table. */
    public record Transition(JobStatus from, JobEvent event, JobStatus to) {
        @Override
        public String toString() {
            return from + " --" + event + "--> " + to;
        }
    }

    private static final Map<JobStatus, Map<JobEvent, JobStatus>> TABLE = new EnumMap<>(JobStatus.class);

    static {
        allow(JobStatus.CREATED, JobEvent.SUBMIT, JobStatus.QUEUED);
        allow(JobStatus.CREATED, JobEvent.CANCEL, JobStatus.CANCELLED);

        allow(JobStatus.QUEUED, JobEvent.ADMIT, JobStatus.RUNNING);
        // A dependency that fails, is cancelled or expires fails its dependents before they are admitted.
        allow(JobStatus.QUEUED, JobEvent.FAIL, JobStatus.FAILED);
        allow(JobStatus.QUEUED, JobEvent.CANCEL, JobStatus.CANCELLED);

        allow(JobStatus.RUNNING, JobEvent.SUCCEED, JobStatus.SUCCEEDED);
        allow(JobStatus.RUNNING, JobEvent.FAIL, JobStatus.FAILED);
        allow(JobStatus.RUNNING, JobEvent.REREGISTER, JobStatus.RETRY_WAITING);
        allow(JobStatus.RUNNING, JobEvent.CANCEL, JobStatus.CANCELLED);

        allow(JobStatus.RETRY_WAITING, JobEvent.RESUME, JobStatus.RUNNING);
        // The next attempt could not start (its workflow failed while waiting to re-register).
        allow(JobStatus.RETRY_WAITING, JobEvent.FAIL, JobStatus.FAILED);
        allow(JobStatus.RETRY_WAITING, JobEvent.CANCEL, JobStatus.CANCELLED);

        allow(JobStatus.FAILED, JobEvent.RETRY, JobStatus.QUEUED);
        allow(JobStatus.CANCELLED, JobEvent.RETRY, JobStatus.QUEUED);
    }

    private JobLifecycle() {}

    private static void allow(JobStatus from, JobEvent event, JobStatus to) {
        TABLE.computeIfAbsent(from, s -> new EnumMap<>(JobEvent.class)).put(event, to);
    }

    /**
     * The status a job in {@code from} moves to on {@code event}.
     *
     * @throws IllegalTransitionException when the table has no such row
     */
    public static JobStatus next(JobStatus from, JobEvent event) {
        JobStatus to = TABLE.getOrDefault(from, Map.of()).get(event);
        if (to == null) {
            throw new IllegalTransitionException(from, event);
        }
        return to;
    }

    /** The events allowed from {@code from}, in {@link JobEvent} order; empty for a status with no way out. */
    public static Set<JobEvent> eventsFrom(JobStatus from) {
        return Collections.unmodifiableSet(TABLE.getOrDefault(from, Map.of()).keySet());
    }

    /** Every declared transition, in {@link JobStatus} then {@link JobEvent} order. */
    public static Set<Transition> transitions() {
        Set<Transition> all = new LinkedHashSet<>();
        TABLE.forEach((from, row) -> row.forEach((event, to) -> all.add(new Transition(from, event, to))));
        return Collections.unmodifiableSet(all);
    }
}
