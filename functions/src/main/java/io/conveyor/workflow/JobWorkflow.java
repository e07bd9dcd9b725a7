package io.conveyor.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.conveyor.job.Job;
import io.conveyor.job.JobError;
import io.conveyor.job.JobStatus;
import io.conveyor.job.JobStore;
import io.conveyor.job.Progress;
import io.conveyor.persistence.Json;
import io.conveyor.persistence.Page;
import io.conveyor.program.ProgramDefinition;
import io.conveyor.program.ProgramRegistry;
import io.conveyor.program.ProgramStatisticsStore;
import io.conveyor.programs.InvalidParametersException;
import io.conveyor.programs.Program;
import io.conveyor.programs.ResultRejectedException;
import io.conveyor.programs.SubJobDeclinedException;
import io.conveyor.programs.SubJobInputs;
import io.conveyor.storage.JobObjectLayout;
import io.conveyor.storage.ObjectStore;
import io.conveyor.subjob.SubJob;
import io.conveyor.subjob.SubJobStatus;
import io.conveyor.subjob.SubJobStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * The steps of the job workflow, each what one state of {@code job-workflow.asl.json} asks of its function.
 * Every step may be delivered more than once (Step Functions guarantees at least once): each checks that the
 * job is still running the attempt it was started for, and writes conditionally, so a repeat changes nothing.
 *
 * <p>Thread-safe.
 */
public final class JobWorkflow {
    private static final Logger LOG = LoggerFactory.getLogger(JobWorkflow.class);

    /** What the Split state passes on: where the manifest is, and how many subjobs it lists. */
    public record Split(String bucket, String manifestKey, int subJobs) {}

    /** What the HandleFailure state decides. */
    public record FailureDecision(String decision, long waitSeconds, String error, String cause) {
        static final String REREGISTER = "REREGISTER";
        static final String FAIL = "FAIL";
    }

    private final JobStore jobs;
    private final SubJobStore subJobs;
    private final ObjectStore objects;
    private final ProgramRegistry registry;
    private final ProgramStatisticsStore statistics;
    private final JobEndings endings;
    private final WorkflowMetrics metrics;
    private final ExecutorService readers;
    private final Clock clock;
    private final Programs programs = new Programs();

    public JobWorkflow(JobStore jobs, SubJobStore subJobs, ObjectStore objects, ProgramRegistry registry,
            ProgramStatisticsStore statistics, JobEndings endings, WorkflowMetrics metrics, ExecutorService readers,
            Clock clock) {
        this.jobs = jobs;
        this.subJobs = subJobs;
        this.objects = objects;
        this.registry = registry;
        this.statistics = statistics;
        this.endings = endings;
        this.metrics = metrics;
        this.readers = readers;
        this.clock = clock;
    }

    /** Split: the program divides the job; the manifest goes to the bucket and the subjobs are registered. */
    public Split split(String jobId, int attempt) throws IOException {
        Job job = running(jobId, attempt);
        ProgramDefinition definition = definition(job);
        List<JsonNode> inputs = programs.of(definition).split(new StoredJobInputs(job, objects));
        String manifestKey = JobObjectLayout.manifest(jobId, attempt);
        ArrayNode manifest = Json.MAPPER.createArrayNode();
        List<SubJob> pending = new ArrayList<>();
        for (int index = 0; index < inputs.size(); index++) {
            int size = Json.write(inputs.get(index)).getBytes(StandardCharsets.UTF_8).length;
            if (size > SubJobInputs.MAX_BYTES) {
                throw new IllegalStateException("program " + definition.name() + " described subjob " + index + " in "
                        + size + " bytes; a subjob's input may take at most " + SubJobInputs.MAX_BYTES);
            }
            manifest.addObject().put("index", index).set("input", inputs.get(index));
            pending.add(SubJob.pending(jobId, index, attempt, manifestKey));
        }
        objects.put(manifestKey, Json.write(manifest).getBytes(StandardCharsets.UTF_8), "application/json");
        subJobs.registerAll(jobId, attempt, pending);
        LOG.info("job {} attempt {} split into {} subjobs", jobId, attempt, pending.size());
        return new Split(objects.bucket(), manifestKey, pending.size());
    }

    /**
     * RunSubJob: one worker invocation. Retryable program errors are thrown as they are, for the state's Retry;
     * storage errors become {@link SubJobDeclinedException} (worth retrying); anything else fails the subjob.
     */
    public void runSubJob(String jobId, int attempt, int index, JsonNode input) {
        Job job = running(jobId, attempt);
        ProgramDefinition definition = definition(job);
        if (!subJobs.start(jobId, index, attempt, clock.instant())) {
            return; // a repeated delivery of a subjob that already ended
        }
        JsonNode output;
        try {
            output = programs.of(definition).work(input, new StoredJobInputs(job, objects));
        } catch (SubJobDeclinedException | ResultRejectedException | InvalidParametersException e) {
            throw e;
        } catch (IOException | UncheckedIOException | SdkException e) {
            throw new SubJobDeclinedException("reading or writing job data failed, worth another try: " + e.getMessage());
        }
        String outputKey = JobObjectLayout.subJobOutput(jobId, attempt, index);
        objects.put(outputKey, Json.write(output).getBytes(StandardCharsets.UTF_8), "application/json");
        Instant now = clock.instant();
        subJobs.recordSuccess(jobId, index, attempt, outputKey, now)
                .ifPresent(took -> subJobEnded(definition.name(), took, now, false));
    }

    /** RecordSubJobFailure: a subjob failed after its retries; its error is kept with it and counted. */
    public void recordSubJobFailure(String jobId, int attempt, int index, String error, String cause) {
        Optional<Job> job = jobs.get(jobId);
        if (job.isEmpty()) {
            return;
        }
        Instant now = clock.instant();
        if (subJobs.get(jobId, index).filter(s -> s.jobAttempt() == attempt).isEmpty()) {
            return; // a failure delivered for a subjob of an attempt that was replaced
        }
        subJobs.recordFailure(jobId, index, attempt, new JobError(ErrorNames.code(error), ErrorNames.message(cause)), now)
                .ifPresent(took -> subJobEnded(job.get().program(), took, now, true));
    }

    private void subJobEnded(String program, Duration duration, Instant now, boolean failed) {
        statistics.record(program, duration, failed, now);
        metrics.subJobEnded(program, duration, failed);
    }

    /** ConfirmSubJobs: every subjob has an outcome, and the failures are within the program's tolerance. */
    public Progress confirmSubJobs(String jobId, int attempt) {
        Job job = running(jobId, attempt);
        Progress progress = job.progress();
        if (progress.finished() < progress.total()) {
            throw new IllegalStateException("job " + jobId + " attempt " + attempt + ": only " + progress.finished()
                    + " of " + progress.total() + " subjobs have a recorded outcome");
        }
        ProgramDefinition definition = definition(job);
        if (!definition.tolerates(progress.failed(), progress.total())) {
            throw new ToleranceExceededException(toleranceMessage(progress, definition));
        }
        return progress;
    }

    private static String toleranceMessage(Progress progress, ProgramDefinition definition) {
        if (definition.tolerates(progress.failed(), progress.total())) {
            // The map counted failures that the records do not show: subjobs timed out, then their results arrived.
            return String.format(java.util.Locale.ROOT, "subjobs timed out beyond the %.1f%% program %s tolerates; "
                    + "their late results were kept (%d of %d succeeded, %d failed)", definition.toleratedFailurePercentage(),
                    definition.name(), progress.succeeded(), progress.total(), progress.failed());
        }
        return String.format(java.util.Locale.ROOT, "%d of %d subjobs failed (%.1f%%); program %s tolerates %.1f%%",
                progress.failed(), progress.total(), progress.total() == 0 ? 0.0 : progress.failed() * 100.0 / progress.total(),
                definition.name(), definition.toleratedFailurePercentage());
    }

    /** Aggregate: the program combines the outputs; the result goes to the bucket. */
    public String aggregate(String jobId, int attempt) throws IOException {
        Job job = running(jobId, attempt);
        Program program = programs.of(definition(job));
        JsonNode result = program.aggregate(
                new StoredSubJobOutputs(subJobs, objects, readers, jobId, attempt, job.progress().succeeded()),
                new StoredJobInputs(job, objects));
        String resultKey = JobObjectLayout.result(jobId, attempt);
        objects.put(resultKey, Json.write(result).getBytes(StandardCharsets.UTF_8), "application/json");
        return resultKey;
    }

    /** Finalize: the job succeeded with its result; what follows a job's end follows. */
    public void finalizeJob(String jobId, int attempt, String resultKey) {
        Optional<Job> current = jobs.get(jobId);
        if (current.isEmpty() || current.get().status() != JobStatus.RUNNING || current.get().attempts().size() != attempt) {
            return; // already finalized (a repeated delivery), or cancelled meanwhile
        }
        Job succeeded = change(jobId, j -> j.succeed(resultKey, clock.instant()));
        endings.ended(succeeded, JobStatus.RUNNING);
        metrics.jobSucceeded(succeeded.program());
        LOG.info("job {} succeeded in attempt {}", jobId, attempt);
    }

    /**
     * HandleFailure: a step failed with {@code error} and {@code cause}. If the program's re-registration policy
     * covers the error and attempts remain, the job waits and runs again; otherwise it fails for good.
     */
    public FailureDecision handleFailure(String jobId, String error, String cause) {
        String code = ErrorNames.code(error);
        String message = ErrorNames.message(cause);
        Optional<Job> found = jobs.get(jobId);
        if (found.isEmpty() || found.get().status().isTerminal()) {
            return new FailureDecision(FailureDecision.FAIL, 0, code, message);
        }
        Job job = found.get();
        ProgramDefinition definition = definition(job);
        if (code.equals(ErrorNames.TOLERANCE_EXCEEDED)) {
            message = toleranceMessage(job.progress(), definition);
        }
        JobError why = new JobError(code, message);
        int attempt = job.attempts().size();
        if (job.status() == JobStatus.RUNNING && reregistrable(job, code) && definition.reRegistration().allowsAnotherAfter(attempt)) {
            change(jobId, j -> j.reregister(why, clock.instant()));
            metrics.jobReregistered(job.program());
            long wait = definition.reRegistration().delayAfter(attempt).toSeconds();
            LOG.info("job {} attempt {} failed with {}; re-registered, next attempt in {} s", jobId, attempt, code, wait);
            return new FailureDecision(FailureDecision.REREGISTER, wait, code, message);
        }
        JobStatus from = job.status();
        Job failed = change(jobId, j -> j.fail(why, clock.instant()));
        endings.ended(failed, from);
        metrics.jobFailed(failed.program());
        LOG.info("job {} failed with {}: {}", jobId, code, message);
        return new FailureDecision(FailureDecision.FAIL, 0, code, message);
    }

    /**
     * A job whose subjobs failed beyond tolerance is re-registered only if every recorded failure is curable; with
     * none recorded the breach was made of timeouts whose results came late, which another attempt cures too.
     */
    private boolean reregistrable(Job job, String code) {
        if (!code.equals(ErrorNames.TOLERANCE_EXCEEDED)) {
            return ErrorNames.reregistrable(code);
        }
        Optional<String> token = Optional.empty();
        do {
            Page<SubJob> page = subJobs.list(job.id(), SubJobStore.MAX_PAGE_SIZE, token);
            for (SubJob s : page.items()) {
                if (s.status() == SubJobStatus.FAILED && s.jobAttempt() == job.attempts().size()) {
                    if (s.error() == null || !ErrorNames.reregistrable(s.error().code())) {
                        return false;
                    }
                }
            }
            token = page.nextToken();
        } while (token.isPresent());
        return true;
    }

    /** Resume: the re-registration delay passed; the next attempt starts. */
    public int resume(String jobId) {
        Job resumed = change(jobId, j -> {
            if (j.status() != JobStatus.RETRY_WAITING) {
                throw new JobNotRunningException("job " + jobId + " is " + j.status() + ", not waiting to re-register");
            }
            return j.resume(clock.instant());
        });
        return resumed.attempts().size();
    }

    private Job running(String jobId, int attempt) {
        Job job = jobs.get(jobId).orElseThrow(() -> new JobNotRunningException("job " + jobId + " does not exist"));
        if (job.status() != JobStatus.RUNNING || job.attempts().size() != attempt) {
            throw new JobNotRunningException("job " + jobId + " is " + job.status() + " in attempt "
                    + job.attempts().size() + ", not running attempt " + attempt);
        }
        return job;
    }

    private ProgramDefinition definition(Job job) {
        return registry.find(job.program()).orElseThrow(() -> new IllegalStateException(
                "job " + job.id() + " names program " + job.program() + ", which this deployment does not register"));
    }

    /** Applies {@code move} to the stored job (see {@link JobStore#modify}). */
    private Job change(String jobId, UnaryOperator<Job> move) {
        return jobs.modify(jobId, move).orElseThrow(() -> new JobNotRunningException("job " + jobId + " does not exist"));
    }
}
