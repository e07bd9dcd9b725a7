package io.conveyor.job;

/** What can happen to a job, named as commands. {@link JobLifecycle} holds the table of their effects. */
public enum JobEvent {
    /** The owner submits a job whose inputs are all present. */
    SUBMIT,
    /** The workflow grants a quota slot and every dependency has succeeded: an attempt starts. */
    ADMIT,
    /** The aggregator wrote the result. */
    SUCCEED,
    /** The job failed for good: a permanent error, no attempts left, or a failed dependency. */
    FAIL,
    /** The attempt failed with an error the program's re-registration policy covers and attempts remain. */
    REREGISTER,
    /** The re-registration delay passed: the next attempt starts. */
    RESUME,
    /** The owner stops the job. */
    CANCEL,
    /** The owner runs a failed or cancelled job again on the same inputs. */
    RETRY
}
