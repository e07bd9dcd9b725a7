package io.conveyor.api;

/** Starts and stops a job's workflow execution. Both operations may be repeated safely. */
public interface WorkflowLauncher {

    /**
     * Starts the execution {@code executionName} for {@code jobId}, which depends on {@code dependencies} other jobs,
     * on the workflow of {@code program}. Starting a name that already runs with the same input is not an error and
     * starts nothing new.
     */
    void start(String program, String executionName, String jobId, int dependencies);

    /** Stops the execution if it runs; stopping a finished or unknown execution is not an error. */
    void stop(String program, String executionName, String cause);
}
