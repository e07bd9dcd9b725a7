package io.conveyor.asl.engine;

/** AWS's execution statuses. */
public enum ExecutionStatus { RUNNING, SUCCEEDED, FAILED, TIMED_OUT, ABORTED, PENDING_REDRIVE }
