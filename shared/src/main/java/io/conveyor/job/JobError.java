package io.conveyor.job;

import java.util.Objects;

/**
 * Why a job, an attempt or a subjob failed.
 *
 * @param code    a stable, machine-readable name, for example {@code SubJob.Declined} or {@code States.Timeout}
 * @param message what happened, for people
 */
public record JobError(String code, String message) {
    public JobError {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
    }
}
