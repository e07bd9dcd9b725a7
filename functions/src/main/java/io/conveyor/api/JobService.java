package io.conveyor.api;

import io.conveyor.admission.JobEndings;
import io.conveyor.config.Settings;
import io.conveyor.idempotency.IdempotencyRecord;
import io.conveyor.idempotency.IdempotencyStore;
import io.conveyor.job.IllegalTransitionException;
import io.conveyor.job.Job;
import io.conveyor.job.JobStatus;
import io.conveyor.job.JobStore;
import io.conveyor.job.UsageTails;
import io.conveyor.persistence.ConcurrentUpdateException;
import io.conveyor.persistence.Page;
import io.conveyor.program.ProgramDefinition;
import io.conveyor.program.ProgramRegistry;
import io.conveyor.programs.DeclaredInput;
import io.conveyor.storage.JobObjectLayout;
import io.conveyor.usage.UsageMeter;
import io.conveyor.storage.ObjectStore;
import io.conveyor.storage.PresignedRequest;
import io.conveyor.subjob.SubJob;
import io.conveyor.subjob.SubJobStore;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the job API does, free of HTTP: each method takes the caller and returns domain values, or throws an
 * {@link ApiException} after undoing anything it wrote.
 *
 * <p>Thread-safe.
 */
public final class JobService {
    private static final Logger LOG = LoggerFactory.getLogger(JobService.class);
    /** How long an unfinished create holds its idempotency key before another request may take it over. */
    static final Duration IDEMPOTENCY_CLAIM_TIMEOUT = Duration.ofSeconds(30);
    /** How long a finished create keeps answering repeats of its idempotency key. */
    static final Duration IDEMPOTENCY_KEY_LIFETIME = Duration.ofHours(24);
    /** How long a repeat waits for the first request with its key to finish. */
    private static final Duration IDEMPOTENCY_WAIT = Duration.ofSeconds(5);
    private static final Duration MIN_RETENTION = Duration.ofHours(1);
    /** Longer than reading a 5 GiB input back for its SHA-256 takes, so a live check never loses its claim. */
    private static final Duration SUBMIT_CLAIM_TIMEOUT = Duration.ofMinutes(2);
    /** How many times (of {@link #pause()}) a racing submit looks again for the outcome of the one checking inputs. */
    private static final int SUBMIT_WAIT_TRIES = 100;

    /** A job just created (or found again by its idempotency key), with where to upload its inputs. */
    public record Created(Job job, List<InputUploads.Upload> uploads, boolean replayed) {}

    private final JobStore jobs;
    private final SubJobStore subJobs;
    private final IdempotencyStore idempotency;
    private final JobEndings endings;
    private final ObjectStore objects;
    private final ProgramRegistry programs;
    private final WorkflowLauncher workflows;
    private final Settings settings;
    private final InputUploads inputUploads;
    private final Clock clock;
    private final Supplier<String> newJobId;
    private final PageTokenSigner pageTokens;

    public JobService(JobStore jobs, SubJobStore subJobs, IdempotencyStore idempotency, JobEndings endings,
            ObjectStore objects, ProgramRegistry programs, WorkflowLauncher workflows, Settings settings, Clock clock,
            Supplier<String> newJobId, PageTokenSigner pageTokens) {
        this.jobs = jobs;
        this.subJobs = subJobs;
        this.idempotency = idempotency;
        this.endings = endings;
        this.objects = objects;
        this.programs = programs;
        this.workflows = workflows;
        this.settings = settings;
        this.inputUploads = new InputUploads(objects, settings, clock);
        this.clock = clock;
        this.newJobId = newJobId;
        this.pageTokens = pageTokens;
    }

    /**
     * What the invocations working on {@code job} consumed after their last write of it, to show beside it: one
     * eventually consistent read of half a unit.
     */
    UsageTails usageTails(Job job) {
        return jobs.usageTails().read(job.id());
    }

    /** As {@link #usageTails(Job)} for a page of jobs: one BatchGetItem, half a read unit per job. */
    Map<String, UsageTails> usageTails(List<Job> page) {
        return jobs.usageTails().read(page.stream().map(Job::id).toList());
    }

    /**
     * Creates a job. With an idempotency key, a repeat of the same request returns the same job, and a different
     * request with the same key is refused.
     *
     * @param requestHash a digest of the request, compared between requests that share a key
     */
    public Created create(Caller caller, CreateJobRequest request, Optional<String> idempotencyKey, String requestHash) {
        ProgramDefinition program = programs.find(request.program()).orElseThrow(() -> new ApiException(400,
                "UnknownProgram", "Unknown program '" + request.program() + "'; registered programs: "
                        + programs.all().stream().map(ProgramDefinition::name).toList() + "."));
        if (program.parameters() != null) {
            List<String> problems = program.parameters().problems(request.parameters());
            if (!problems.isEmpty()) {
                throw new ApiException(400, "InvalidParameters", String.join(" ", problems) + " GET /programs/"
                        + program.name() + " describes the parameters it takes.");
            }
        }
        Duration retention = request.retention().orElse(program.defaultRetention());
        if (retention.compareTo(MIN_RETENTION) < 0 || retention.compareTo(settings.maxRetention()) > 0) {
            throw ApiException.badRequest("'retention' must be between " + MIN_RETENTION + " and " + settings.maxRetention()
                    + "; got " + retention + ".");
        }
        Instant now = clock.instant();
        for (String dependency : request.dependsOn()) {
            Optional<Job> found = findOwned(caller, dependency).filter(j -> !j.isExpired(now));
            if (found.isEmpty()) {
                throw ApiException.badRequest("'dependsOn' names job " + dependency
                        + ", which does not exist for this caller; a job can only depend on the caller's existing jobs.");
            }
        }

        String jobId = newJobId.get();
        IdempotencyRecord claim = null;
        if (idempotencyKey.isPresent()) {
            IdempotencyStore.Claim outcome = idempotency.claim(caller.id(), idempotencyKey.get(), requestHash, jobId, now,
                    IDEMPOTENCY_CLAIM_TIMEOUT);
            if (outcome instanceof IdempotencyStore.Claim.Existing existing) {
                return replay(caller, request, existing.record(), requestHash);
            }
            claim = ((IdempotencyStore.Claim.Claimed) outcome).record();
        }
        Job created;
        try {
            refuseWhenQueueIsFull(caller);
            created = storeNewJob(caller, request, jobId, idempotencyKey.orElse(null), retention, now);
        } catch (RuntimeException e) {
            // Nothing was kept: the key is free for the retry.
            if (claim != null) {
                idempotency.release(claim);
            }
            throw e;
        }
        if (claim != null) {
            idempotency.complete(claim, now.plus(IDEMPOTENCY_KEY_LIFETIME));
        }
        // From here the job exists: a failure leaves it for a repeat of this request (same key) to finish.
        Job job = request.submit() ? submit(created).job() : created;
        return new Created(job, uploads(job), false);
    }

    /** The job record first, then the inline files; if a file cannot be stored, both are undone. */
    private Job storeNewJob(Caller caller, CreateJobRequest request, String jobId, String idempotencyKey,
            Duration retention, Instant now) {
        List<DeclaredInput> inputs = new ArrayList<>(request.uploads());
        // The owner's uploads go straight to S3 through presigned URLs, past every meter: counted as they will be made.
        request.uploads().forEach(input -> UsageMeter.record(inputUploads.uploadUsage(input)));
        request.inlineFiles().forEach(f -> inputs.add(
                new DeclaredInput(f.name(), f.content().length, f.contentType(), sha256(f.content()))));
        Job job = jobs.create(Job.create(jobId, caller.id(), request.program(), request.parameters(), inputs,
                request.dependsOn(), idempotencyKey, retention, now));
        try {
            for (CreateJobRequest.InlineFile file : request.inlineFiles()) {
                objects.put(JobObjectLayout.input(jobId, file.name()), file.content(), file.contentType());
            }
        } catch (RuntimeException e) {
            objects.deletePrefix(JobObjectLayout.jobPrefix(jobId));
            jobs.deleteIfUnchanged(job);
            throw new ApiException(503, "StorageUnavailable",
                    "The input files could not be stored; nothing was kept. Send the request again.");
        }
        return job;
    }

    private Created replay(Caller caller, CreateJobRequest request, IdempotencyRecord record, String requestHash) {
        if (!record.sameRequestAs(requestHash)) {
            throw new ApiException(409, "IdempotencyKeyReused", "This Idempotency-Key was already used with a different "
                    + "request body (for job " + record.jobId() + "); use a new key for a different job.");
        }
        Instant deadline = clock.instant().plus(IDEMPOTENCY_WAIT);
        Optional<Job> job = jobs.findForOwner(record.jobId(), caller.id());
        while (job.isEmpty() && !record.completed() && clock.instant().isBefore(deadline)) {
            pause();
            record = idempotency.find(caller.id(), record.key()).orElse(record);
            job = jobs.findForOwner(record.jobId(), caller.id());
        }
        if (job.isEmpty()) {
            throw new ApiException(409, "RequestInProgress", "A request with this Idempotency-Key is still being "
                    + "processed; send it again in a few seconds.", Map.of("Retry-After", "2"));
        }
        Job found = job.get();
        // The first request may have stored the job and failed before its workflow started: finish that now.
        if (request.submit() && (found.status() == JobStatus.CREATED || found.status() == JobStatus.QUEUED)) {
            found = submit(caller, found.id()).job();
        }
        return new Created(found, uploads(found), true);
    }

    private static void pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(503, "Interrupted", "The request was interrupted; send it again.");
        }
    }

    private void refuseWhenQueueIsFull(Caller caller) {
        int queued = jobs.countForOwner(caller.id(), JobStatus.QUEUED);
        if (queued >= settings.maxQueuedJobsPerUser()) {
            throw new ApiException(429, "TooManyQueuedJobs", "You have " + queued + " jobs waiting to run, the most "
                    + "allowed; wait for some to start or cancel some, then try again.", Map.of("Retry-After", "30"));
        }
    }

    /**
     * Where to upload the inputs of a job still awaiting them (see {@link InputUploads}); none once it is submitted.
     */
    List<InputUploads.Upload> uploads(Job job) {
        return job.status() == JobStatus.CREATED ? inputUploads.pending(job) : List.of();
    }

    /**
     * Submits a job whose inputs are all uploaded: it is queued and its workflow started. Repeating it starts
     * nothing new.
     */
    public Submission submit(Caller caller, String jobId) {
        return submit(owned(caller, jobId));
    }

    /**
     * The caller's job after a submit, and whether this very request queued it: of requests that race to submit one
     * job, exactly one did (the conditional write decides), and only that one is answered 202 and counted.
     */
    public record Submission(Job job, boolean submittedNow) {}

    /** As {@link #submit(Caller, String)}, from the caller's job as just read or created. */
    private Submission submit(Job read) {
        Job job = read;
        boolean submittedNow = false;
        for (int tries = 0; job.status() == JobStatus.CREATED; tries++) {
            Optional<IdempotencyRecord> claim = claimSubmit(job);
            if (claim.isEmpty()) {
                // Another request is checking the inputs: wait for its outcome rather than read them all again.
                if (tries == SUBMIT_WAIT_TRIES) {
                    throw new ApiException(409, "RequestInProgress", "Another request is submitting job " + job.id()
                            + " and still checking its inputs; send this one again in a few seconds.",
                            Map.of("Retry-After", "2"));
                }
                pause();
                job = reread(job);
                continue;
            }
            try {
                // The request that held the claim before may have submitted the job since it was read.
                job = reread(job);
                if (job.status() != JobStatus.CREATED) {
                    break;
                }
                verifyInputs(job);
                boolean[] queuedByThis = new boolean[1];
                job = change(job, j -> {
                    // Runs again on a fresh read when another request wrote meanwhile: the last run decides.
                    queuedByThis[0] = j.status() == JobStatus.CREATED;
                    return queuedByThis[0] ? j.submit(clock.instant()) : j;
                });
                submittedNow = queuedByThis[0];
            } finally {
                idempotency.release(claim.get());
            }
        }
        if (job.status().isTerminal()) {
            throw new ApiException(409, "JobAlreadyFinished", "Job " + job.id() + " is " + job.status()
                    + "; to run it again use POST /jobs/" + job.id() + "/retry.");
        }
        if (job.status() == JobStatus.QUEUED) {
            // Starting is idempotent per execution name: a repeat also repairs a start that failed last time.
            startWorkflow(job);
        }
        return new Submission(job, submittedNow);
    }

    /**
     * Claims the check of {@code job}'s inputs for this request, so that of requests racing to submit it only one
     * reads its inputs back (a full read of each input with a declared SHA-256). The claim lives in the idempotency
     * table under a key no client can send (client keys have no spaces) and lapses on its own if this request dies.
     *
     * @return the claim to release when done; empty when another request holds it
     */
    private Optional<IdempotencyRecord> claimSubmit(Job job) {
        IdempotencyStore.Claim claim = idempotency.claim(job.owner(), "submit " + job.id(), "submit", job.id(),
                clock.instant(), SUBMIT_CLAIM_TIMEOUT);
        return claim instanceof IdempotencyStore.Claim.Claimed claimed ? Optional.of(claimed.record()) : Optional.empty();
    }

    private void startWorkflow(Job job) {
        try {
            workflows.start(job.program(), job.executionName(), job.id(), job.dependsOn().size());
        } catch (RuntimeException e) {
            throw new ApiException(503, "WorkflowUnavailable", "Job " + job.id() + " is queued but its workflow could "
                    + "not be started; send the same request again to start it.");
        }
    }

    /** Refuses to run a job whose inputs are not all in the bucket as declared (what it is {@code for}). */
    private void verifyInputs(Job job) {
        List<String> problems = inputUploads.problems(job);
        if (problems.isEmpty()) {
            return;
        }
        String what = String.join("; ", problems);
        if (job.status() == JobStatus.CREATED) {
            throw new ApiException(409, "InputsNotReady", "Job " + job.id() + " cannot be submitted yet: " + what
                    + ". Upload them (GET /jobs/" + job.id() + " lists fresh upload URLs, for missing parts only), "
                    + "then submit again.");
        }
        throw new ApiException(409, "InputsNotReady", "Job " + job.id() + " cannot be retried: " + what
                + ". Its inputs can no longer be uploaded; create a new job with them.");
    }

    /** The caller's job. */
    public Job get(Caller caller, String jobId) {
        return owned(caller, jobId);
    }

    /** One page of the caller's jobs, newest first. */
    public Page<Job> list(Caller caller, Optional<JobStatus> status, Optional<String> program, int limit,
            Optional<String> pageToken) {
        return signed(jobs.listForOwner(caller.id(), status, program, limit, pageToken.map(pageTokens::verify)));
    }

    /** One page of the caller's job's subjobs, in index order. */
    public Page<SubJob> subJobs(Caller caller, String jobId, int limit, Optional<String> pageToken) {
        Job job = owned(caller, jobId);
        Page<SubJob> page = signed(subJobs.list(jobId, limit, pageToken.map(pageTokens::verify)));
        if (!job.status().isTerminal()) {
            return page;
        }
        return new Page<>(page.items().stream().map(SubJob::asOfEndedJob).toList(), page.nextToken());
    }

    private <T> Page<T> signed(Page<T> page) {
        return new Page<>(page.items(), page.nextToken().map(pageTokens::sign));
    }

    /** A presigned download of the result of the caller's job, once it succeeded. */
    public PresignedRequest result(Caller caller, String jobId) {
        Job job = owned(caller, jobId);
        if (job.status() != JobStatus.SUCCEEDED || job.resultKey() == null) {
            throw new ApiException(409, "ResultNotReady", "Job " + jobId + " is " + job.status()
                    + "; a result is available only once it has SUCCEEDED.");
        }
        return objects.presignGet(job.resultKey(), settings.presignedUrlTtl(), jobId + "-result.json");
    }

    /**
     * Cancels the caller's job, whatever step it is in: its execution is stopped, its quota slot released (and the
     * next waiting job admitted), and the jobs that depend on it fail.
     */
    public Job cancel(Caller caller, String jobId) {
        JobStatus[] from = new JobStatus[1];
        Job cancelled = change(caller, jobId, j -> {
            if (j.status().isTerminal()) {
                throw new ApiException(409, "JobAlreadyFinished", "Job " + jobId + " is already " + j.status()
                        + " and cannot be cancelled.");
            }
            from[0] = j.status();
            return j.cancel(clock.instant());
        });
        if (cancelled.executionName() != null) {
            workflows.stop(cancelled.program(), cancelled.executionName(), "Cancelled by its owner");
        }
        if (from[0] == JobStatus.CREATED) {
            abandonUploads(cancelled);
        }
        endings.ended(cancelled, from[0]);
        return cancelled;
    }

    /**
     * Aborts the open multipart uploads of a job cancelled before it was submitted. The cancel stands if this fails:
     * the cleaner aborts what is left when the job expires, and the bucket's lifecycle rule after a day.
     */
    private void abandonUploads(Job job) {
        try {
            inputUploads.abandon(job.id());
        } catch (RuntimeException e) {
            LOG.warn("Could not abort the multipart uploads of cancelled job {}; the cleaner will", job.id(), e);
        }
    }

    /** Runs the caller's failed or cancelled job again as a new attempt on the same inputs. */
    public Job retry(Caller caller, String jobId) {
        refuseWhenQueueIsFull(caller);
        Job read = owned(caller, jobId);
        if (read.status() == JobStatus.FAILED || read.status() == JobStatus.CANCELLED) {
            // As submit checks them: a job cancelled before its uploads, or whose input was overwritten since.
            verifyInputs(read);
        }
        Job queued = change(read, j -> {
            if (j.status() != JobStatus.FAILED && j.status() != JobStatus.CANCELLED) {
                throw new ApiException(409, "JobNotRetryable", "Job " + jobId + " is " + j.status()
                        + "; only FAILED or CANCELLED jobs can be retried.");
            }
            return j.retry(clock.instant());
        });
        startWorkflow(queued);
        return queued;
    }

    /** Applies {@code move} to the caller's job and stores the result (see {@link JobStore#modify}). */
    private Job change(Caller caller, String jobId, UnaryOperator<Job> move) {
        return change(owned(caller, jobId), move);
    }

    /**
     * Applies {@code move} to the job starting from {@code read}, the caller's job as just read (see
     * {@link JobStore#modify(Job, UnaryOperator)}: no second read unless someone wrote meanwhile).
     */
    private Job change(Job read, UnaryOperator<Job> move) {
        try {
            return jobs.modify(read, current -> {
                try {
                    return move.apply(current);
                } catch (IllegalTransitionException e) {
                    throw new ApiException(409, "InvalidJobState", "Job " + read.id() + " is " + e.from()
                            + " and cannot take that action now.");
                }
            }).orElseThrow(() -> ApiException.jobNotFound(read.id()));
        } catch (ConcurrentUpdateException e) {
            throw new ApiException(503, "JobBusy", "Job " + read.id() + " is changing too quickly to update; try again.");
        }
    }

    private Job reread(Job job) {
        return jobs.findForOwner(job.id(), job.owner()).orElseThrow(() -> ApiException.jobNotFound(job.id()));
    }

    /** The caller's job, or 404 exactly as for a job that does not exist; 410 once it has expired. */
    private Job owned(Caller caller, String jobId) {
        Job job = findOwned(caller, jobId).orElseThrow(() -> ApiException.jobNotFound(jobId));
        if (job.isExpired(clock.instant())) {
            throw new ApiException(410, "JobExpired", "Job " + jobId + " expired at " + job.expiresAt()
                    + " and is being deleted.");
        }
        return job;
    }

    private Optional<Job> findOwned(Caller caller, String jobId) {
        if (!JobObjectLayout.isValidJobId(jobId)) {
            return Optional.empty();
        }
        return jobs.findForOwner(jobId, caller.id());
    }

    private static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
