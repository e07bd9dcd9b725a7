package io.conveyor.job;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import io.conveyor.usage.Usage;
import java.util.Objects;

/**
 * One run of a job, from admission to its outcome. A job's attempts form its history, numbered from 1.
 *
 * @param number    1 for the first run, then one more for each re-registration or owner retry
 * @param startedAt when the attempt was admitted
 * @param endedAt   when it ended, or {@code null} while it runs
 * @param outcome   how it ended, or {@code null} while it runs
 * @param error     why it did not succeed, or {@code null}
 * @param usage     what the job consumed from the end of the previous attempt (or its creation) to this one's end;
 *                  {@link Usage#NONE} while it runs (the job holds it until then)
 */
public record Attempt(int number, Instant startedAt, Instant endedAt, Outcome outcome, JobError error, Usage usage) {

    /** How an attempt ended. */
    public enum Outcome {
        SUCCEEDED,
        FAILED,
        /** Failed with a retryable error; a later attempt runs after the re-registration delay. */
        REREGISTERED,
        CANCELLED
    }

    public Attempt {
        if (number < 1) {
            throw new IllegalArgumentException("attempt numbers start at 1, was " + number);
        }
        Objects.requireNonNull(startedAt, "startedAt");
        startedAt = startedAt.truncatedTo(ChronoUnit.MILLIS);
        endedAt = endedAt == null ? null : endedAt.truncatedTo(ChronoUnit.MILLIS);
        usage = usage == null ? Usage.NONE : usage;
    }

    static Attempt started(int number, Instant at) {
        return new Attempt(number, at, null, null, null, Usage.NONE);
    }

    boolean isOpen() {
        return endedAt == null;
    }

    Attempt end(Instant at, Outcome how, JobError why, Usage consumed) {
        return new Attempt(number, startedAt, at, how, why, consumed);
    }
}
