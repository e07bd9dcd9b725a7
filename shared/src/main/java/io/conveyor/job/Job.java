package io.conveyor.job;

import io.conveyor.programs.DeclaredInput;
import io.conveyor.usage.Usage;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A job as its owner submitted it and as far as it has got. Immutable: each lifecycle method checks the
 * move against {@link JobLifecycle} and returns the job as it is after the move, which a store then writes
 * conditionally on {@link #version()}.
 *
 * @param id         unique, chosen at creation; also the name of its workflow executions
 * @param owner      the caller who created it; nobody else may see it
 * @param program    the name of the program that runs it
 * @param parameters the program's parameters, as given
 * @param inputs     the input files, in the order declared
 * @param dependsOn  ids of jobs (of the same owner) that must succeed before this one is admitted
 * @param idempotencyKey the {@code Idempotency-Key} it was created with, or {@code null}; deleted with the job
 * @param executionName the name of the workflow execution of its latest submission, or {@code null} before
 * @param status     where it is in its lifecycle
 * @param progress   subjob counters of the current attempt
 * @param usage      what the job consumed since its last attempt ended (or since it was created): it goes to the
 *                   attempt that ends next
 * @param attempts   its runs, oldest first
 * @param resultKey  the object key of its result once it succeeded, else {@code null}
 * @param error      why it last failed, else {@code null}
 * @param createdAt  when it was created
 * @param updatedAt  when it last changed
 * @param retention  how long it is kept once terminal
 * @param expiresAt  when it may be deleted: its retention after it was created (until it is submitted) or after it
 *                   became terminal; {@code null} while it is queued or running
 * @param version    incremented by every write; the store's optimistic lock
 */
public record Job(
        String id,
        String owner,
        String program,
        Map<String, String> parameters,
        List<DeclaredInput> inputs,
        List<String> dependsOn,
        String idempotencyKey,
        String executionName,
        JobStatus status,
        Progress progress,
        Usage usage,
        List<Attempt> attempts,
        String resultKey,
        JobError error,
        Instant createdAt,
        Instant updatedAt,
        Duration retention,
        Instant expiresAt,
        long version) {

    public Job {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(program, "program");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
        Objects.requireNonNull(retention, "retention");
        parameters = Map.copyOf(parameters);
        inputs = List.copyOf(inputs);
        dependsOn = List.copyOf(dependsOn);
        attempts = List.copyOf(attempts);
        progress = progress == null ? Progress.NONE : progress;
        usage = usage == null ? Usage.NONE : usage;
        // Stored to the millisecond (and expiry to the second, TTL's unit): keep the record equal to its copy.
        createdAt = createdAt.truncatedTo(ChronoUnit.MILLIS);
        updatedAt = updatedAt.truncatedTo(ChronoUnit.MILLIS);
        expiresAt = expiresAt == null ? null : roundUpToSecond(expiresAt);
    }

    /** Rounded up, so that rounding never makes a job expire before its retention has passed. */
    private static Instant roundUpToSecond(Instant t) {
        Instant down = t.truncatedTo(ChronoUnit.SECONDS);
        return down.equals(t) ? t : down.plusSeconds(1);
    }

    /**
     * The id of the job an execution of the job workflow runs: execution names are {@code <job id>-<number>}.
     *
     * @throws IllegalArgumentException for a name not of that form
     */
    public static String idOfExecution(String executionName) {
        int separator = executionName.lastIndexOf('-');
        if (separator <= 0 || separator == executionName.length() - 1
                || !executionName.substring(separator + 1).chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException("execution " + executionName + " is not named <job id>-<number>");
        }
        return executionName.substring(0, separator);
    }

    /** A new job in {@link JobStatus#CREATED}, awaiting its uploads; version 0 means "never stored". */
    public static Job create(
            String id,
            String owner,
            String program,
            Map<String, String> parameters,
            List<DeclaredInput> inputs,
            List<String> dependsOn,
            String idempotencyKey,
            Duration retention,
            Instant now) {
        // A job its owner never submits must not stay forever: it expires after its retention, unless submitted.
        return new Job(id, owner, program, parameters, inputs, dependsOn, idempotencyKey, null, JobStatus.CREATED,
                Progress.NONE, Usage.NONE,
                List.of(), null, null, now, now, retention, now.plus(retention), 0);
    }

    public Optional<JobError> lastError() {
        return Optional.ofNullable(error);
    }

    /** Whether the job's retention has passed at {@code now} (it is terminal, or was never submitted): it counts as gone. */
    public boolean isExpired(Instant now) {
        return expiresAt != null && !now.isBefore(expiresAt);
    }

    /** The owner submitted it: every input is present. */
    public Job submit(Instant now) {
        return move(JobEvent.SUBMIT, now).keepUntilTerminal().newExecution().build();
    }

    /** Admitted: a new attempt starts with fresh progress. */
    public Job admit(Instant now) {
        return move(JobEvent.ADMIT, now).startAttempt(now).build();
    }

    /** The aggregator wrote the result under {@code resultKey}. */
    public Job succeed(String resultKey, Instant now) {
        Objects.requireNonNull(resultKey, "resultKey");
        return move(JobEvent.SUCCEED, now)
                .endAttempt(now, Attempt.Outcome.SUCCEEDED, null)
                .result(resultKey)
                .error(null)
                .expireAfterRetention(now)
                .build();
    }

    /** Failed for good with {@code why}. */
    public Job fail(JobError why, Instant now) {
        return attemptFailed(JobEvent.FAIL, Attempt.Outcome.FAILED, why, now).expireAfterRetention(now).build();
    }

    /** The attempt failed with a retryable error and attempts remain: wait, then {@link #resume}. */
    public Job reregister(JobError why, Instant now) {
        return attemptFailed(JobEvent.REREGISTER, Attempt.Outcome.REREGISTERED, why, now).build();
    }

    /** A move on the attempt's failure: the attempt ends on {@code why}, which becomes the job's last error. */
    private Change attemptFailed(JobEvent event, Attempt.Outcome how, JobError why, Instant now) {
        Objects.requireNonNull(why, "why");
        return move(event, now).endAttempt(now, how, why).error(why);
    }

    /** The re-registration delay passed: the next attempt starts. */
    public Job resume(Instant now) {
        return move(JobEvent.RESUME, now).startAttempt(now).build();
    }

    /** The owner stopped it; a running attempt ends as cancelled. */
    public Job cancel(Instant now) {
        return move(JobEvent.CANCEL, now)
                .endAttempt(now, Attempt.Outcome.CANCELLED, null)
                .expireAfterRetention(now)
                .build();
    }

    /**
     * The owner runs a failed or cancelled job again on the same inputs, while it is still kept.
     *
     * @throws IllegalStateException when its retention has passed
     */
    public Job retry(Instant now) {
        if (isExpired(now)) {
            throw new IllegalStateException("Job " + id + " expired at " + expiresAt + " and can no longer be retried");
        }
        return move(JobEvent.RETRY, now).error(null).keepUntilTerminal().newExecution().clearProgress().build();
    }

    /** What the job consumed in all, attempt by attempt and since the last. */
    public Usage totalUsage() {
        Usage total = usage;
        for (Attempt a : attempts) {
            total = total.plus(a.usage());
        }
        return total;
    }

    /**
     * How long the job's objects stay in the bucket, as its storage cost is estimated: from its creation to its expiry,
     * when the cleaner deletes them; while it is queued or running, to its retention from {@code now}.
     */
    public Duration objectsKept(Instant now) {
        Instant until = expiresAt != null ? expiresAt : now.plus(retention);
        return until.isAfter(createdAt) ? Duration.between(createdAt, until) : Duration.ZERO;
    }

    /**
     * The attempt the job's open {@link #usage} goes to: the open attempt, or the next one when none is open. A job that
     * ends without another attempt (cancelled while queued) keeps it, in its total only.
     */
    int openUsageAttempt() {
        int last = attempts.size();
        return last > 0 && attempts.get(last - 1).isOpen() ? last : last + 1;
    }

    /** This job having consumed {@code more} besides; a store adds what the writing invocation measured. */
    Job withUsageAdded(Usage more) {
        if (more.isNone()) {
            return this;
        }
        return new Job(id, owner, program, parameters, inputs, dependsOn, idempotencyKey, executionName, status,
                progress, usage.plus(more), attempts, resultKey, error, createdAt, updatedAt, retention, expiresAt, version);
    }

    /** This job as stored at {@code newVersion}; only a store assigns versions. */
    Job withVersion(long newVersion) {
        return new Job(id, owner, program, parameters, inputs, dependsOn, idempotencyKey, executionName, status,
                progress, usage, attempts,
                resultKey, error,
                createdAt, updatedAt, retention, expiresAt, newVersion);
    }

    private Change move(JobEvent event, Instant now) {
        return new Change(this, JobLifecycle.next(status, event), now);
    }

    /** The fields a lifecycle move may change, gathered before one new record is built. */
    private static final class Change {
        private final Job from;
        private final JobStatus status;
        private final Instant now;
        private final List<Attempt> attempts;
        private Progress progress;
        private Usage usage;
        private String resultKey;
        private JobError error;
        private Instant expiresAt;
        private String executionName;

        Change(Job from, JobStatus status, Instant now) {
            this.from = from;
            this.status = status;
            this.now = now;
            this.attempts = new ArrayList<>(from.attempts);
            this.progress = from.progress;
            // JobEndings publishes JobStatusChanged once for every move to a terminal status, after this write.
            this.usage = status.isTerminal() && !from.status.isTerminal() ? from.usage.plus(Usage.events(1)) : from.usage;
            this.resultKey = from.resultKey;
            this.error = from.error;
            this.expiresAt = from.expiresAt;
            this.executionName = from.executionName;
        }

        /**
         * Each submission runs in an execution of its own, numbered from 1: Step Functions keeps the name of an
         * ended execution, so reusing it would start nothing.
         */
        Change newExecution() {
            int previous = executionName == null ? 0
                    : Integer.parseInt(executionName.substring(executionName.lastIndexOf('-') + 1));
            executionName = from.id + "-" + (previous + 1);
            // The execution's first state, the HasDependencies choice, is a transition no function of ours runs.
            usage = usage.plus(Usage.transitions(1));
            return this;
        }

        Change startAttempt(Instant at) {
            attempts.add(Attempt.started(attempts.size() + 1, at));
            resultKey = null;
            return clearProgress();
        }

        /**
         * Ends the open attempt. Nothing of it runs any more: a subjob still counted as running (its worker's outcome
         * comes after a cancel, and is not recorded) stops being counted.
         */
        Change endAttempt(Instant at, Attempt.Outcome how, JobError why) {
            int last = attempts.size() - 1;
            if (last >= 0 && attempts.get(last).isOpen()) {
                // What the job consumed until now belongs to the attempt that ends (its admission and waiting too).
                attempts.set(last, attempts.get(last).end(at, how, why, usage));
                usage = Usage.NONE;
            }
            progress = new Progress(progress.total(), 0, progress.succeeded(), progress.failed());
            return this;
        }

        /** The counters belong to one attempt; a job waiting for its next one has none yet. */
        Change clearProgress() {
            progress = Progress.NONE;
            return this;
        }

        Change result(String key) {
            resultKey = key;
            return this;
        }

        Change error(JobError why) {
            error = why;
            return this;
        }

        Change expireAfterRetention(Instant at) {
            expiresAt = at.plus(from.retention);
            return this;
        }

        Change keepUntilTerminal() {
            expiresAt = null;
            return this;
        }

        Job build() {
            return new Job(from.id, from.owner, from.program, from.parameters, from.inputs, from.dependsOn,
                    from.idempotencyKey, executionName, status,
                    progress, usage, attempts, resultKey, error, from.createdAt, now, from.retention, expiresAt,
                    from.version);
        }
    }
}
