package io.conveyor.deployment;

import io.conveyor.persistence.TableSpec;
import java.util.Arrays;

/**
 * The deployment's resources a function may be granted access to, each with the environment variable that
 * carries its physical name (or ARN) to the functions.
 */
public enum Resource {
    JOBS_TABLE("CONVEYOR_JOBS_TABLE"),
    SUBJOBS_TABLE("CONVEYOR_SUBJOBS_TABLE"),
    COUNTERS_TABLE("CONVEYOR_COUNTERS_TABLE"),
    IDEMPOTENCY_TABLE("CONVEYOR_IDEMPOTENCY_TABLE"),
    WAITLIST_TABLE("CONVEYOR_WAITLIST_TABLE"),
    /**
     * Read every user's jobs at once: a Scan of the jobs table, for the administrators' usage report only (named by
     * {@link #JOBS_TABLE}'s setting).
     */
    EVERY_USERS_JOBS(null),
    /**
     * Add to the jobs' usage items ({@code UsageTailStore}): UpdateItem on the jobs table, only on the keys of those
     * items, for a measured step that otherwise only reads jobs (named by {@link #JOBS_TABLE}'s setting).
     */
    JOB_USAGE_TAILS(null),
    /** The subjobs waiting for external workers, and the registered workers. */
    WORK_QUEUE_TABLE("CONVEYOR_WORK_QUEUE_TABLE"),
    BUCKET("CONVEYOR_BUCKET"),
    /** Start and stop executions of the job workflows; named by the ARN prefix of the state machines. */
    JOB_WORKFLOWS("CONVEYOR_WORKFLOW_ARN_PREFIX"),
    /** Send task success, failure and heartbeat to waiting workflow tasks. */
    WORKFLOW_CALLBACKS(null),
    EVENT_BUS("CONVEYOR_EVENT_BUS"),
    /** Invoke the Lambda functions the registered programs name as their splitter (no name: they are in the programs). */
    SPLITTER_FUNCTIONS(null),
    /** Invoke the Lambda functions the registered programs name as their worker. */
    WORKER_FUNCTIONS(null),
    /** Invoke the Lambda functions the registered programs name as their aggregator. */
    AGGREGATOR_FUNCTIONS(null);

    private final String settingName;

    Resource(String settingName) {
        this.settingName = settingName;
    }

    /** The resource {@code table} is in the deployment: the one whose environment variable names it. */
    public static Resource of(TableSpec table) {
        return Arrays.stream(values())
                .filter(r -> table.settingName().equals(r.settingName()))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("table " + table.logicalName() + " is named by "
                        + table.settingName() + ", which no " + Resource.class.getName() + " carries"));
    }

    /** The environment variable that names this resource, or {@code null} if it has no name of its own. */
    public String settingName() {
        return settingName;
    }
}
