package io.conveyor.deployment;

/** The deployment's resources a function may be granted access to. */
public enum Resource {
    JOBS_TABLE,
    SUBJOBS_TABLE,
    COUNTERS_TABLE,
    IDEMPOTENCY_TABLE,
    WAITLIST_TABLE,
    BUCKET,
    /** Start, stop and describe executions of the job workflows. */
    JOB_WORKFLOWS,
    /** Send task success, failure and heartbeat to waiting workflow tasks. */
    WORKFLOW_CALLBACKS,
    EVENT_BUS
}
