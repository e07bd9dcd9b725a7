package io.conveyor.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.conveyor.admission.JobEndings;
import io.conveyor.aws.AwsHttpService;
import io.conveyor.deployment.Catalogue;
import io.conveyor.deployment.WorkflowErrors;
import io.conveyor.job.Job;
import io.conveyor.job.JobError;
import io.conveyor.job.JobStatus;
import io.conveyor.job.JobStore;
import io.conveyor.job.Progress;
import io.conveyor.persistence.StoredJson;
import io.conveyor.persistence.Page;
import io.conveyor.program.ProgramCostStore;
import io.conveyor.program.ProgramDefinition;
import io.conveyor.program.ProgramFunction;
import io.conveyor.program.ProgramOperation;
import io.conveyor.program.ProgramRegistry;
import io.conveyor.program.ProgramStatisticsStore;
import io.conveyor.programs.Program;
import io.conveyor.programs.ResultRejectedException;
import io.conveyor.programs.SubJobDeclinedException;
import io.conveyor.programs.SubJobInputs;
import io.conveyor.storage.JobObjectLayout;
import io.conveyor.storage.ObjectStore;
import io.conveyor.subjob.SubJob;
import io.conveyor.subjob.SubJobHolds;
import io.conveyor.subjob.SubJobOutcome;
import io.conveyor.subjob.SubJobRunner;
import io.conveyor.subjob.SubJobStatus;
import io.conveyor.subjob.SubJobStore;
import io.conveyor.usage.Cost;
import io.conveyor.usage.PriceTable;
import io.conveyor.usage.Usage;
import io.conveyor.usage.UsageMeter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
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
public final class WorkflowSteps {
    private static final Logger LOG = LoggerFactory.getLogger(WorkflowSteps.class);

    /**
     * What the Split state passes on: where the manifest is, how many subjobs it lists, how many of them one
     * RunSubJob invocation runs, and that invocation's time limit.
     */
    public record Split(String bucket, String manifestKey, int subJobs, int subJobsPerBatch, long batchTimeoutSeconds) {}

    /** One subjob of a RunSubJob batch, as the manifest lists it. */
    public record BatchItem(int index, JsonNode input) {}

    /**
     * Batches aim at this many per concurrent slot: enough that a large job pays the per-invocation overhead (a
     * job read, a query, two transactions and a statistics update) once per batch rather than per subjob, few
     * enough that a small job still spreads over every slot.
     */
    private static final int BATCHES_PER_SLOT = 4;
    /** Outcomes are written at least this often, so a batch cut short by its time limit keeps what it finished. */
    private static final int OUTCOMES_PER_WRITE = 25;
    private static final Duration OUTCOME_WRITE_INTERVAL = Duration.ofSeconds(2);

    /** The error of a job whose workflow was stopped by something other than its owner's cancellation. */
    static final String WORKFLOW_STOPPED = "Workflow.Stopped";

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
    private final ProgramResolver programs;
    private final PriceTable prices;
    private final ProgramCostStore costs;
    /** How a delivery waits for subjobs another invocation holds: sleeping, but for tests that watch it wait. */
    private volatile Pause pause = WorkflowSteps::sleep;
    /** The subjobs held by the batches this instance runs now, renewed together by one timer (started with the first). */
    private final Set<SubJobHold> holds = ConcurrentHashMap.newKeySet();
    private volatile ScheduledExecutorService renewals;
    /**
     * Running jobs whose batches this instance ran lately, by job id and attempt. What a batch needs of its job
     * (program, parameters, inputs) never changes within an attempt, and whether the attempt still runs is checked
     * by the subjobs' start, so the job is read once per instance rather than once per batch.
     */
    private final Map<String, Job> runningJobs = Collections.synchronizedMap(
            new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Job> eldest) {
                    return size() > 64;
                }
            });

    /**
     * @param lambda the service that invokes programs written as Lambda functions, built at its first use
     * @param prices what a job's usage is priced at, for the metrics and the program's cost statistics
     * @param costs  the programs' cost statistics, which each job that ends adds to
     */
    public WorkflowSteps(JobStore jobs, SubJobStore subJobs, ObjectStore objects, ProgramRegistry registry,
            ProgramStatisticsStore statistics, JobEndings endings, WorkflowMetrics metrics, ExecutorService readers,
            Clock clock, Supplier<AwsHttpService> lambda, PriceTable prices, ProgramCostStore costs) {
        this.prices = prices;
        this.costs = costs;
        this.jobs = jobs;
        this.subJobs = subJobs;
        this.objects = objects;
        this.registry = registry;
        this.statistics = statistics;
        this.endings = endings;
        this.metrics = metrics;
        this.readers = readers;
        this.clock = clock;
        this.programs = new ProgramResolver(objects, lambda);
    }

    /** Split: the program divides the job; the manifest goes to the bucket and the subjobs are registered. */
    public Split split(String jobId, int attempt) throws IOException {
        Job job = running(jobId, attempt);
        ProgramDefinition definition = definition(job);
        List<JsonNode> inputs = programs.of(definition).split(new StoredJobInputs(job, objects));
        String manifestKey = JobObjectLayout.manifest(jobId, attempt);
        ArrayNode manifest = StoredJson.MAPPER.createArrayNode();
        List<SubJob> pending = new ArrayList<>();
        for (int index = 0; index < inputs.size(); index++) {
            int size = StoredJson.write(inputs.get(index)).getBytes(StandardCharsets.UTF_8).length;
            if (size > SubJobInputs.MAX_BYTES) {
                throw new IllegalStateException("program " + definition.name() + " described subjob " + index + " in "
                        + size + " bytes; a subjob's input may take at most " + SubJobInputs.MAX_BYTES);
            }
            manifest.addObject().put("index", index).set("input", inputs.get(index));
            pending.add(SubJob.pending(jobId, index, attempt, manifestKey));
        }
        objects.put(manifestKey, StoredJson.write(manifest).getBytes(StandardCharsets.UTF_8), "application/json");
        // An external worker claims one subjob at a time: each waits in the work queue on a task token of its own.
        int perBatch = definition.hasExternalWorker() ? 1 : subJobsPerBatch(definition, pending.size());
        // Each of the map's child executions, one per batch, first enters the WhereSubJobsRun choice: counted with the
        // write that registers the subjobs.
        UsageMeter.record(Usage.transitions((pending.size() + perBatch - 1) / perBatch));
        subJobs.registerAll(jobId, attempt, pending);
        LOG.info("job {} attempt {} split into {} subjobs, up to {} per worker invocation", jobId, attempt,
                pending.size(), perBatch);
        return new Split(objects.bucket(), manifestKey, pending.size(), perBatch,
                perBatch * definition.subJobTimeout().toSeconds());
    }

    /**
     * How many subjobs one RunSubJob invocation runs: about {@value #BATCHES_PER_SLOT} batches per concurrency
     * slot, but never so many that their time limits together pass the function's.
     */
    static int subJobsPerBatch(ProgramDefinition definition, int subJobs) {
        long fitInFunction = Math.max(1, Catalogue.RUN_SUBJOB.timeout().toSeconds() / definition.subJobTimeout().toSeconds());
        long spread = -Math.floorDiv(-subJobs, (long) definition.maxConcurrency() * BATCHES_PER_SLOT);
        return (int) Math.max(1, Math.min(spread, fitInFunction));
    }

    /**
     * RunSubJob: one worker invocation over a batch of subjobs, run one after another. Subjobs that already have an
     * outcome (a repeated delivery, or the retry of a batch that partly succeeded) are skipped. A subjob's retryable
     * program error (and a storage error, which becomes {@link SubJobDeclinedException}) is thrown once the others
     * have run and their outcomes are written, so the state's Retry runs again only what did not finish; any other
     * error fails that subjob for good, with the code users see.
     *
     * <p>Subjobs another invocation holds ({@link SubJobStore#startAll}) are not run again: when the batch's task
     * times out, Step Functions retries it while the invocation it gave up on may still be running them, and on a
     * slow machine (or with a slow program) that would run one subjob's work twice at once. This delivery waits for
     * that invocation instead, as long as Step Functions waits for this one (the batch's time limit): it ends when
     * their outcomes are recorded, and runs any the other lets go of without one.
     */
    public void runSubJobs(String jobId, int attempt, List<BatchItem> batch) {
        Job job = runningJobs.computeIfAbsent(jobId + "#" + attempt, key -> running(jobId, attempt));
        ProgramDefinition definition = definition(job);
        Program program = programs.of(definition);
        Map<Integer, JsonNode> inputs = new HashMap<>();
        batch.forEach(item -> inputs.put(item.index(), item.input()));
        Instant waitUntil = clock.instant().plus(definition.subJobTimeout().multipliedBy(batch.size()));
        List<Integer> wanted = batch.stream().map(BatchItem::index).toList();
        try (SubJobHold hold = new SubJobHold(subJobs, jobId, attempt, clock)) {
            holds.add(hold);
            renewingHolds();
            try {
                Set<Integer> ranHere = new HashSet<>();
                List<Integer> takeable = wanted;
                while (true) {
                    if (!takeable.isEmpty()) {
                        List<Integer> started = hold.start(takeable, runner(definition));
                        ranHere.addAll(started);
                        run(job, attempt, program, inputs, started, hold);
                    }
                    List<Integer> heldElsewhere = wanted.stream().filter(index -> !ranHere.contains(index)).toList();
                    // A read, not an attempt to start: a subjob still held would only fail the start's conditional write.
                    SubJobHolds.Unfinished left = subJobs.holds().unfinished(jobId, attempt, heldElsewhere, clock.instant());
                    if (left.indices().isEmpty()) {
                        return;
                    }
                    running(jobId, attempt); // throws once the job no longer runs this attempt
                    takeable = left.free();
                    if (!takeable.isEmpty()) {
                        continue; // let go of meanwhile: taken at once
                    }
                    if (!clock.instant().isBefore(waitUntil)) {
                        throw new SubJobDeclinedException("subjobs " + left.indices() + " of job " + jobId + " are still "
                                + "running in an earlier invocation of this batch, which this repeated delivery waited for "
                                + "until the batch's time limit; worth another try once it ends");
                    }
                    pause.pause(HELD_SUBJOB_POLL);
                }
            } finally {
                holds.remove(hold);
            }
        }
    }

    /** Renews the holds of the batches this instance runs now ({@link SubJobHold#renew}); a timer calls it. */
    void renewHolds() {
        for (SubJobHold hold : holds) {
            try {
                hold.renew();
            } catch (RuntimeException e) {
                // The next renewal tries again, within the lease.
                LOG.warn("could not renew a hold of subjobs", e);
            }
        }
    }

    /** Starts the timer that renews the holds, once per instance, with the first batch it runs. */
    private void renewingHolds() {
        if (renewals == null) {
            synchronized (holds) {
                if (renewals == null) {
                    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
                        Thread t = new Thread(r, "conveyor-subjob-holds");
                        t.setDaemon(true);
                        return t;
                    });
                    long every = SubJobHold.RENEW_EVERY.toMillis();
                    timer.scheduleWithFixedDelay(this::renewHolds, every, every, TimeUnit.MILLISECONDS);
                    renewals = timer;
                }
            }
        }
    }

    /** How often a delivery looks again at subjobs another invocation holds. */
    static final Duration HELD_SUBJOB_POLL = Duration.ofSeconds(1);

    /** How a delivery waits between looks at subjobs another invocation holds. */
    interface Pause {
        void pause(Duration duration);
    }

    /** Waits with {@code pause} instead of sleeping: tests see that a delivery waits, and when. */
    void pauseWith(Pause pause) {
        this.pause = pause;
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SubJobDeclinedException("interrupted while waiting for subjobs another invocation holds");
        }
    }

    /**
     * Runs the subjobs this invocation started, in order, writing their outcomes; those it leaves without one stay in
     * {@code hold} until the invocation lets go of them as it ends.
     */
    private void run(Job job, int attempt, Program program, Map<Integer, JsonNode> inputs, List<Integer> started,
            SubJobHold hold) {
        StoredJobInputs jobInputs = new StoredJobInputs(job, objects);
        List<SubJobOutcome> outcomes = new ArrayList<>();
        Instant lastWrite = clock.instant();
        RuntimeException retryable = null;
        // The subjob shown running: the first started, then the one after each write (the write passes the turn on).
        int running = started.isEmpty() ? -1 : started.get(0);
        for (int position = 0; position < started.size(); position++) {
            int index = started.get(position);
            Instant began = clock.instant();
            try {
                String output = StoredJson.write(work(program, index, inputs.get(index), jobInputs));
                Duration took = Duration.between(began, clock.instant());
                if (SubJobOutcome.fitsWithSubJob(output)) {
                    // A small output rides in the outcome's own write: no object to put now and read back later.
                    outcomes.add(SubJobOutcome.succeededWithOutput(index, output, took));
                } else {
                    String outputKey = JobObjectLayout.subJobOutput(job.id(), attempt, index);
                    objects.put(outputKey, output.getBytes(StandardCharsets.UTF_8), "application/json");
                    outcomes.add(SubJobOutcome.succeededWithOutputAt(index, outputKey, took));
                }
            } catch (SubJobDeclinedException | ResultRejectedException e) {
                retryable = retryable == null ? asRetried(e) : retryable;
            } catch (RuntimeException e) {
                JobError why = new JobError(ErrorNames.code(e.getClass().getName()), ErrorNames.message(e.getMessage()));
                outcomes.add(SubJobOutcome.failed(index, why, Duration.between(began, clock.instant())));
            }
            Instant now = clock.instant();
            boolean more = position + 1 < started.size();
            if (more && !outcomes.isEmpty() && (outcomes.size() >= OUTCOMES_PER_WRITE
                    || Duration.between(lastWrite, now).compareTo(OUTCOME_WRITE_INTERVAL) >= 0)) {
                int next = started.get(position + 1);
                recordOutcomes(job, attempt, outcomes, running, OptionalInt.of(next), now);
                hold.finished(outcomes.stream().map(SubJobOutcome::index).toList());
                running = next;
                outcomes.clear();
                lastWrite = now;
            }
        }
        if (!outcomes.isEmpty()) {
            recordOutcomes(job, attempt, outcomes, running, OptionalInt.empty(), clock.instant());
            hold.finished(outcomes.stream().map(SubJobOutcome::index).toList());
        }
        if (retryable != null) {
            throw retryable;
        }
    }

    /** What runs a batch of the program's subjobs: this function, invoking the program's own Lambda function if it is one. */
    private static SubJobRunner.Function runner(ProgramDefinition definition) {
        ProgramFunction worker = definition.function(ProgramOperation.WORK);
        return new SubJobRunner.Function(Catalogue.RUN_SUBJOB.name(),
                worker.kind() == ProgramFunction.Kind.LAMBDA ? worker.target() : null);
    }

    /**
     * {@code e} as an exception of exactly the class the state's Retry names ({@link WorkflowErrors#SUBJOB_RETRIED}):
     * Lambda reports a Java function's error by its exception's class name, so a program's own subclass of
     * {@link SubJobDeclinedException} would otherwise not be retried.
     */
    private static RuntimeException asRetried(RuntimeException e) {
        if (e.getClass() == SubJobDeclinedException.class || e.getClass() == ResultRejectedException.class) {
            return e;
        }
        RuntimeException retried = e instanceof ResultRejectedException ? new ResultRejectedException(e.getMessage())
                : new SubJobDeclinedException(e.getMessage());
        retried.initCause(e);
        return retried;
    }

    /** The worker's output for one subjob; a failure reading or writing job data is worth another try. */
    private static JsonNode work(Program program, int index, JsonNode input, StoredJobInputs jobInputs) {
        try {
            return program.work(index, input, jobInputs);
        } catch (IOException | UncheckedIOException | SdkException e) {
            throw new SubJobDeclinedException("reading or writing job data failed, worth another try: " + e.getMessage());
        }
    }

    private void recordOutcomes(Job job, int attempt, List<SubJobOutcome> outcomes, int running, OptionalInt next,
            Instant now) {
        List<ProgramStatisticsStore.Ended> ended = subJobs.recordAll(job.id(), attempt, outcomes, running, next, now).stream()
                .map(o -> new ProgramStatisticsStore.Ended(o.duration(), o.status() == SubJobStatus.FAILED))
                .toList();
        subJobsEnded(job.program(), ended, now);
    }

    /**
     * RecordWorkerOutcome: an external worker answered subjob {@code index} with an output, inline ({@code output},
     * small enough to keep with the subjob) or uploaded to {@code outputKey}; recorded unless the subjob has an
     * outcome already (a repeated delivery).
     */
    public void recordWorkerOutcome(String jobId, int attempt, int index, String output, String outputKey, Duration took) {
        Job job = running(jobId, attempt);
        SubJobOutcome outcome = output != null ? SubJobOutcome.succeededWithOutput(index, output, took)
                : SubJobOutcome.succeededWithOutputAt(index, outputKey, took);
        // StartOnWorker started it alone, so it is the one shown running, and no other takes a turn after it.
        recordOutcomes(job, attempt, List.of(outcome), index, OptionalInt.empty(), clock.instant());
    }

    /**
     * RecordSubJobFailure: subjobs of a batch failed after the batch's retries; each without an outcome gets the
     * batch's error, and is counted.
     */
    public void recordSubJobFailures(String jobId, int attempt, List<Integer> indices, String error, String cause) {
        Optional<Job> job = jobs.get(jobId);
        if (job.isEmpty()) {
            return;
        }
        JobError why = new JobError(ErrorNames.code(error), ErrorNames.message(cause));
        Instant now = clock.instant();
        List<ProgramStatisticsStore.Ended> ended = new ArrayList<>();
        for (int index : indices) {
            subJobs.recordFailure(jobId, index, attempt, why, now)
                    .ifPresent(took -> ended.add(new ProgramStatisticsStore.Ended(took, true)));
        }
        subJobsEnded(job.get().program(), ended, now);
    }

    private void subJobsEnded(String program, List<ProgramStatisticsStore.Ended> ended, Instant now) {
        statistics.record(program, ended, now);
        ended.forEach(e -> metrics.subJobEnded(program, e.duration(), e.failed()));
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
        objects.put(resultKey, StoredJson.write(result).getBytes(StandardCharsets.UTF_8), "application/json");
        return resultKey;
    }

    /** Finalize: the job succeeded with its result; what follows a job's end follows. */
    public void finalizeJob(String jobId, int attempt, String resultKey) {
        Optional<Job> current = jobs.get(jobId);
        if (current.isEmpty() || current.get().status() != JobStatus.RUNNING || current.get().attempts().size() != attempt) {
            return; // already finalized (a repeated delivery), or cancelled meanwhile
        }
        Job succeeded = change(current.get(), j -> j.succeed(resultKey, clock.instant()));
        endings.ended(succeeded, JobStatus.RUNNING);
        metrics.jobSucceeded(succeeded.program());
        consumed(succeeded);
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
            change(job, j -> j.reregister(why, clock.instant()));
            metrics.jobReregistered(job.program());
            long wait = definition.reRegistration().delayAfter(attempt).toSeconds();
            LOG.info("job {} attempt {} failed with {}; re-registered, next attempt in {} s", jobId, attempt, code, wait);
            return new FailureDecision(FailureDecision.REREGISTER, wait, code, message);
        }
        JobStatus from = job.status();
        Job failed = change(job, j -> j.fail(why, clock.instant()));
        endings.ended(failed, from);
        metrics.jobFailed(failed.program());
        consumed(failed);
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

    /**
     * The job's workflow execution {@code executionName} ended with {@code status} (FAILED, TIMED_OUT or ABORTED)
     * without the workflow ending the job: an error no Catch can handle ({@code States.Runtime}, a payload over the
     * limit), the execution's own timeout, or someone stopping it outside the product. The job fails with that
     * error and everything a job's end sets off follows, so it neither stays RUNNING nor keeps its quota slot.
     * Nothing happens when the job already ended (the workflow's own failure and cancellation end it first) or has
     * moved on to a newer execution.
     *
     * @return the failed job, or empty when there was nothing to do
     */
    public Optional<Job> executionEnded(String executionName, String status, String error, String cause) {
        String jobId = Job.idOfExecution(executionName);
        JobError why = switch (status) {
            case "FAILED" -> new JobError(ErrorNames.code(error), ErrorNames.message(cause));
            case "TIMED_OUT" -> new JobError(ErrorNames.TIMEOUT, "The job's workflow ran longer than its time limit.");
            case "ABORTED" -> new JobError(WORKFLOW_STOPPED, "The job's workflow was stopped outside Conveyor"
                    + (cause == null || cause.isBlank() ? "." : ": " + cause));
            default -> throw new IllegalArgumentException("execution " + executionName + " is " + status
                    + "; only FAILED, TIMED_OUT and ABORTED end a job");
        };
        JobStatus[] from = new JobStatus[1];
        Optional<Job> after = jobs.modify(jobId, j -> {
            from[0] = null; // set only by the application of this move that is written
            if (j.status().isTerminal() || !executionName.equals(j.executionName())) {
                return j;
            }
            from[0] = j.status();
            return j.fail(why, clock.instant());
        });
        if (from[0] == null) {
            return Optional.empty();
        }
        endings.ended(after.get(), from[0]);
        metrics.jobFailed(after.get().program());
        consumed(after.get());
        LOG.warn("job {} failed because its workflow execution {} ended {} with {}: {}", jobId, executionName, status,
                why.code(), why.message());
        return after;
    }

    /**
     * What {@code ended} consumed and cost into the metrics and its program's cost statistics (one update per job, never
     * per subjob): what its last write recorded, the tails of the invocations that ended before (one read of half a
     * unit), and what this invocation consumed since that write, as far as it has got. What is left of this
     * invocation (this read, the update below, the rest of its time) and any invocation still running for the job are
     * recorded with the job, after this figure.
     */
    private void consumed(Job ended) {
        Instant now = clock.instant();
        Usage usage = jobs.usageTails().read(ended.id()).totalOf(ended).plus(UsageMeter.untakenFor(ended.id()));
        Cost cost = Cost.of(usage, ended.objectsKept(now), prices);
        metrics.jobConsumed(ended.program(), usage, cost);
        costs.record(ended.program(), cost.total(), ended.progress().total(), now);
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
        return running(jobs, jobId, attempt);
    }

    /** The job, which must be running attempt {@code attempt}: a step of another attempt must change nothing. */
    static Job running(JobStore jobs, String jobId, int attempt) {
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

    /** As {@link #change(String, UnaryOperator)} from the job as just read, without reading it again. */
    private Job change(Job read, UnaryOperator<Job> move) {
        return jobs.modify(read, move).orElseThrow(() -> new JobNotRunningException("job " + read.id() + " does not exist"));
    }
}
