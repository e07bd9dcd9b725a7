package io.conveyor.watchdog;

import java.util.Optional;

/** Asks Step Functions how a job's workflow execution stands ({@code DescribeExecution}). */
public interface ExecutionDescriber {
    /**
     * The execution's status, as DescribeExecution reports it.
     *
     * @param status {@code RUNNING}, {@code SUCCEEDED}, {@code FAILED}, {@code TIMED_OUT}, {@code ABORTED} or
     *               {@code PENDING_REDRIVE}
     * @param error  the error it failed with, or null
     * @param cause  the error's cause, or null
     */
    record ExecutionState(String status, String error, String cause) {}

    /**
     * @param program       the job's program: its state machine ran the execution
     * @param executionName the job's execution name
     * @return empty when no such execution exists (never started, or its history is gone)
     */
    Optional<ExecutionState> describe(String program, String executionName);
}
