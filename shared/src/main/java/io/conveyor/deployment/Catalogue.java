package io.conveyor.deployment;

import static io.conveyor.deployment.Access.read;
import static io.conveyor.deployment.Access.write;

import io.conveyor.admission.ActiveJobCounters;
import io.conveyor.admission.WaitlistStore;
import io.conveyor.idempotency.IdempotencyStore;
import io.conveyor.job.JobStore;
import io.conveyor.persistence.TableSpec;
import io.conveyor.program.ProgramDefinition;
import io.conveyor.program.ProgramRegistry;
import io.conveyor.subjob.SubJobStore;
import io.conveyor.worker.WorkQueue;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything the deployment consists of, defined once: tables, functions (handler, memory, timeout, access),
 * API routes, schedules, the event bus and the state machines with their substitutions. The CDK stack and the
 * local runtime both read this, so what runs locally is what is deployed.
 */
public final class Catalogue {
    private Catalogue() {}

    /** The name of the custom event bus that carries {@code JobStatusChanged} events. */
    public static final String EVENT_BUS = "conveyor-jobs";
    /** The {@code source} of every event the product publishes. */
    public static final String EVENT_SOURCE = "io.conveyor";
    /**
     * The API's setting that names the Secrets Manager secret it signs page tokens with; the CDK stack generates the
     * secret and gives it to the API alone.
     */
    public static final String PAGE_TOKEN_SECRET_SETTING = "CONVEYOR_PAGE_TOKEN_SECRET_ARN";
    /** The API's page-token key itself, where there is no Secrets Manager (the local runtime); never set on AWS. */
    public static final String PAGE_TOKEN_KEY_SETTING = "CONVEYOR_PAGE_TOKEN_KEY";
    /** The CloudWatch namespace of every metric the product emits. */
    public static final String METRICS_NAMESPACE = "Conveyor";
    /** The prefix of the job state machines' names; the program's name follows it. */
    public static final String WORKFLOW_PREFIX = "conveyor-job-";
    /** The job workflow's definition, one state machine per program. */
    public static final String WORKFLOW_DEFINITION = "state-machines/job-workflow.asl.json";

    /** The API function's reserved concurrency (see {@link #API}). */
    public static final int API_RESERVED_CONCURRENCY = 50;
    /** The worker protocol function's reserved concurrency (see {@link #WORKER_PROTOCOL}). */
    public static final int WORKER_PROTOCOL_RESERVED_CONCURRENCY = 100;

    public static final List<TableSpec> TABLES = List.of(JobStore.TABLE, SubJobStore.TABLE,
            ActiveJobCounters.TABLE, IdempotencyStore.TABLE, WaitlistStore.TABLE, WorkQueue.TABLE);

    // What each part of the workflow's services touches (io.conveyor.admission), for the steps that use it. The IAM
    // proof (infra/cdk's IamProofTest) checks these lists against the calls the scenario suite records.
    /** The quota gate (Admissions): the job, the active-job counters, the waitlist, and the task tokens it answers. */
    private static final List<Access> ADMISSION = List.of(write(Resource.JOBS_TABLE), write(Resource.COUNTERS_TABLE),
            write(Resource.WAITLIST_TABLE), write(Resource.WORKFLOW_CALLBACKS));
    /** The dependency gate (DependencyGate): jobs and their dependents, the waitlist, and the task tokens it answers. */
    private static final List<Access> DEPENDENCY_GATE = List.of(write(Resource.JOBS_TABLE), write(Resource.WAITLIST_TABLE),
            write(Resource.WORKFLOW_CALLBACKS));
    /** What follows a job's end (JobEndings): its slot released, the next job admitted, dependents woken, an event. */
    private static final List<Access> JOB_ENDINGS = List.of(write(Resource.JOBS_TABLE), write(Resource.COUNTERS_TABLE),
            write(Resource.WAITLIST_TABLE), write(Resource.WORKFLOW_CALLBACKS), write(Resource.EVENT_BUS));

    /**
     * The API keeps {@value #API_RESERVED_CONCURRENCY} concurrent executions of its own: a large job's subjobs, which
     * share the rest of the account's pool, can then never throttle a user's request (nor a cancel of that job).
     */
    public static final FunctionSpec API = new FunctionSpec("Api", "io.conveyor.api.ApiHandler", 1024,
            Duration.ofSeconds(29), List.of(write(Resource.JOBS_TABLE), read(Resource.SUBJOBS_TABLE),
                    write(Resource.COUNTERS_TABLE), write(Resource.IDEMPOTENCY_TABLE), write(Resource.WAITLIST_TABLE),
                    write(Resource.BUCKET), write(Resource.JOB_WORKFLOWS), write(Resource.WORKFLOW_CALLBACKS),
                    write(Resource.EVENT_BUS), read(Resource.EVERY_USERS_JOBS), read(Resource.WORK_QUEUE_TABLE)))
            .withReservedConcurrency(Catalogue.API_RESERVED_CONCURRENCY);
    /**
     * The worker protocol (the {@code /workers} routes) in a function of its own: a worker's poll holds an execution for
     * up to 20 s, so idle workers would otherwise take the API's reserve. Its own
     * {@value #WORKER_PROTOCOL_RESERVED_CONCURRENCY} executions bound the workers that can wait at once (a poll beyond
     * them is throttled, which API Gateway answers with a 500, and the worker library polls again after a pause) and keep
     * them from the account's pool.
     * It touches the work queue, reads the job (its parameters), writes and presigns subjob outputs, answers the
     * workflow's task tokens, and publishes the workers' events (WorkerRegistered, WorkerDied).
     */
    public static final FunctionSpec WORKER_PROTOCOL = new FunctionSpec("WorkerProtocol",
            "io.conveyor.api.WorkerProtocolHandler", 1024, Duration.ofSeconds(29), List.of(write(Resource.WORK_QUEUE_TABLE),
                    read(Resource.JOBS_TABLE), write(Resource.BUCKET), write(Resource.WORKFLOW_CALLBACKS),
                    write(Resource.EVENT_BUS)))
            .withReservedConcurrency(WORKER_PROTOCOL_RESERVED_CONCURRENCY);
    public static final FunctionSpec AWAIT_DEPENDENCIES = workflowStep("AwaitDependencies", 512, Duration.ofSeconds(30),
            DEPENDENCY_GATE);
    public static final FunctionSpec ADMIT = workflowStep("Admit", 512, Duration.ofSeconds(30), ADMISSION);
    /** The job's attempt, its subjobs registered, the manifest and the inputs, and the program's splitter. */
    public static final FunctionSpec SPLIT = workflowStep("Split", 1769, Duration.ofMinutes(5), List.of(
            write(Resource.JOBS_TABLE), write(Resource.SUBJOBS_TABLE), write(Resource.BUCKET),
            write(Resource.SPLITTER_FUNCTIONS)));
    /** The batch's subjobs and the job's progress, the program's statistics, inputs and outputs, its worker. */
    public static final FunctionSpec RUN_SUBJOB = workflowStep("RunSubJob", 1769, Duration.ofMinutes(15), List.of(
            write(Resource.JOBS_TABLE), write(Resource.SUBJOBS_TABLE), write(Resource.COUNTERS_TABLE),
            write(Resource.BUCKET), write(Resource.WORKER_FUNCTIONS)));
    /**
     * Puts a subjob of a program with an external worker in the work queue, with the token its task waits on; it reads
     * the job, and records what it consumed in the job's usage item only.
     */
    public static final FunctionSpec OFFER_SUBJOB = new FunctionSpec("OfferSubJob", "io.conveyor.workflow.OfferSubJobHandler",
            512, Duration.ofSeconds(30), List.of(read(Resource.JOBS_TABLE), write(Resource.JOB_USAGE_TAILS),
                    write(Resource.WORK_QUEUE_TABLE)));
    /** Starts a claimed subjob (counts it running) and stores the token its worker's answer resumes. */
    public static final FunctionSpec START_ON_WORKER = new FunctionSpec("StartOnWorker",
            "io.conveyor.workflow.StartOnWorkerHandler", 512, Duration.ofSeconds(30), List.of(write(Resource.JOBS_TABLE),
                    write(Resource.SUBJOBS_TABLE), write(Resource.WORK_QUEUE_TABLE)));
    /** Records the output an external worker answered with. */
    public static final FunctionSpec RECORD_WORKER_OUTCOME = new FunctionSpec("RecordWorkerOutcome",
            "io.conveyor.workflow.RecordWorkerOutcomeHandler", 512, Duration.ofSeconds(30), List.of(write(Resource.JOBS_TABLE),
                    write(Resource.SUBJOBS_TABLE), write(Resource.COUNTERS_TABLE)));
    public static final FunctionSpec RECORD_SUBJOB_FAILURE = workflowStep("RecordSubJobFailure", 512, Duration.ofSeconds(30),
            List.of(write(Resource.JOBS_TABLE), write(Resource.SUBJOBS_TABLE), write(Resource.COUNTERS_TABLE)));
    /**
     * Reads the job's progress (a shortfall fails the state, and HandleFailure records it), and writes to the job only
     * what the step consumed.
     */
    public static final FunctionSpec CONFIRM_SUBJOBS = workflowStep("ConfirmSubJobs", 512, Duration.ofSeconds(30),
            List.of(write(Resource.JOBS_TABLE)));
    /**
     * Reads the job and its subjobs' outputs, writes the result and what the step consumed, and runs the program's
     * aggregator.
     */
    public static final FunctionSpec AGGREGATE = workflowStep("Aggregate", 1769, Duration.ofMinutes(5), List.of(
            write(Resource.JOBS_TABLE), read(Resource.SUBJOBS_TABLE), write(Resource.BUCKET),
            write(Resource.AGGREGATOR_FUNCTIONS)));
    public static final FunctionSpec FINALIZE = workflowStep("Finalize", 512, Duration.ofSeconds(30), JOB_ENDINGS);
    /** What follows a job's end, and the subjobs it lists to record what failed. */
    public static final FunctionSpec HANDLE_FAILURE = workflowStep("HandleFailure", 512, Duration.ofSeconds(30),
            concat(JOB_ENDINGS, List.of(read(Resource.SUBJOBS_TABLE))));
    public static final FunctionSpec RESUME = workflowStep("Resume", 512, Duration.ofSeconds(30),
            List.of(write(Resource.JOBS_TABLE)));
    /** Fails a job whose workflow execution ended without ending it; the target of {@link #EXECUTION_ENDED_RULE}. */
    public static final FunctionSpec EXECUTION_ENDED = new FunctionSpec("ExecutionEnded",
            "io.conveyor.workflow.ExecutionEndedHandler", 512, Duration.ofSeconds(30), JOB_ENDINGS);
    /**
     * Ends the jobs whose execution ended without its event reaching {@link #EXECUTION_ENDED_RULE}, found by a
     * schedule ({@link #EXECUTION_SWEEP_SCHEDULE}): the same writes as {@link #EXECUTION_ENDED}, and DescribeExecution.
     */
    public static final FunctionSpec EXECUTION_SWEEP = new FunctionSpec("ExecutionSweep",
            "io.conveyor.watchdog.ExecutionSweepHandler", 512, Duration.ofMinutes(5),
            concat(JOB_ENDINGS, List.of(read(Resource.JOB_WORKFLOWS))));
    /**
     * Announces the external workers that missed their registration deadline with nobody calling about them, found by
     * a schedule ({@link #WORKER_SWEEP_SCHEDULE}): the work queue's deadlines index, and the {@code WorkerDied} events.
     */
    public static final FunctionSpec WORKER_SWEEP = new FunctionSpec("WorkerSweep",
            "io.conveyor.watchdog.WorkerSweepHandler", 512, Duration.ofMinutes(1),
            List.of(write(Resource.WORK_QUEUE_TABLE), write(Resource.EVENT_BUS)));
    public static final FunctionSpec CLEANER = new FunctionSpec("Cleaner", "io.conveyor.cleanup.CleanerHandler", 1024,
            Duration.ofMinutes(15), List.of(write(Resource.JOBS_TABLE), write(Resource.SUBJOBS_TABLE),
                    write(Resource.IDEMPOTENCY_TABLE), write(Resource.BUCKET)));

    /** The functions the job workflow invokes, in the order it reaches them. */
    public static final List<FunctionSpec> WORKFLOW_FUNCTIONS = List.of(AWAIT_DEPENDENCIES, ADMIT, SPLIT, RUN_SUBJOB,
            OFFER_SUBJOB, START_ON_WORKER, RECORD_WORKER_OUTCOME, RECORD_SUBJOB_FAILURE, CONFIRM_SUBJOBS, AGGREGATE, FINALIZE, HANDLE_FAILURE, RESUME);

    public static final List<FunctionSpec> FUNCTIONS = concat(List.of(API, WORKER_PROTOCOL), WORKFLOW_FUNCTIONS,
            List.of(EXECUTION_ENDED, EXECUTION_SWEEP, WORKER_SWEEP, CLEANER));

    // The job API's routes, each with the statuses it answers on success. The API function binds a handler to
    // each, the CDK stack and the local runtime's API Gateway serve them, and tests hold the OpenAPI document and
    // the README's routes table to them.
    /** 201 created, 200 for a repeat with the same {@code Idempotency-Key} and body. */
    public static final RouteSpec CREATE_JOB = api("createJob", "POST", "/jobs", 201, 200);
    public static final RouteSpec LIST_JOBS = api("listJobs", "GET", "/jobs", 200);
    /** 200 with the job and, while inputs are missing, fresh upload URLs. */
    public static final RouteSpec GET_JOB = api("getJob", "GET", "/jobs/{id}", 200);
    public static final RouteSpec CANCEL_JOB = api("cancelJob", "DELETE", "/jobs/{id}", 200);
    /** 202 queued and its execution started, 200 when it was submitted before (nothing new starts). */
    public static final RouteSpec SUBMIT_JOB = api("submitJob", "POST", "/jobs/{id}/submit", 202, 200);
    public static final RouteSpec RETRY_JOB = api("retryJob", "POST", "/jobs/{id}/retry", 202);
    public static final RouteSpec LIST_SUBJOBS = api("listSubJobs", "GET", "/jobs/{id}/subjobs", 200);
    /** 200 with a presigned download URL, 303 to it with {@code ?redirect=true}. */
    public static final RouteSpec GET_RESULT = api("getResult", "GET", "/jobs/{id}/result", 200, 303);
    public static final RouteSpec LIST_PROGRAMS = api("listPrograms", "GET", "/programs", 200);
    public static final RouteSpec GET_PROGRAM = api("getProgram", "GET", "/programs/{name}", 200);
    /** A program's subjob statistics hour by hour ({@code ?from=&to=}). */
    public static final RouteSpec GET_PROGRAM_STATISTICS = api("getProgramStatistics", "GET", "/programs/{name}/statistics", 200);
    public static final RouteSpec GET_USAGE = api("getUsage", "GET", "/usage", 200);

    // The worker protocol, served by its own function: external workers register, take subjobs and answer for them,
    // as their owner or for the owners a worker identity may work for.
    /** 200 with the caller's workers, their health and what each holds. */
    public static final RouteSpec LIST_WORKERS = worker("listWorkers", "GET", "/workers", 200);
    public static final RouteSpec REGISTER_WORKER = worker("registerWorker", "POST", "/workers", 201);
    public static final RouteSpec DEREGISTER_WORKER = worker("deregisterWorker", "DELETE", "/workers/{workerId}", 200);
    /** 200 with a subjob the worker now holds, 204 when none came within the wait. */
    public static final RouteSpec POLL_SUBJOB = worker("pollSubJob", "POST", "/workers/{workerId}/poll", 200, 204);
    public static final RouteSpec HEARTBEAT_SUBJOB = worker("heartbeatSubJob", "POST",
            "/workers/{workerId}/subjobs/{taskId}/heartbeat", 200);
    public static final RouteSpec UPLOAD_SUBJOB_OUTPUT = worker("uploadSubJobOutput", "POST",
            "/workers/{workerId}/subjobs/{taskId}/output-upload", 200);
    public static final RouteSpec COMPLETE_SUBJOB = worker("completeSubJob", "POST",
            "/workers/{workerId}/subjobs/{taskId}/complete", 200);
    public static final RouteSpec FAIL_SUBJOB = worker("failSubJob", "POST", "/workers/{workerId}/subjobs/{taskId}/fail", 200);
    public static final RouteSpec DECLINE_SUBJOB = worker("declineSubJob", "POST",
            "/workers/{workerId}/subjobs/{taskId}/decline", 200);

    public static final List<RouteSpec> ROUTES = List.of(CREATE_JOB, LIST_JOBS, GET_JOB, CANCEL_JOB, SUBMIT_JOB,
            RETRY_JOB, LIST_SUBJOBS, GET_RESULT, LIST_PROGRAMS, GET_PROGRAM, GET_PROGRAM_STATISTICS, GET_USAGE,
            LIST_WORKERS, REGISTER_WORKER,
            DEREGISTER_WORKER, POLL_SUBJOB, HEARTBEAT_SUBJOB, UPLOAD_SUBJOB_OUTPUT, COMPLETE_SUBJOB, FAIL_SUBJOB, DECLINE_SUBJOB);

    /** The cleaner runs hourly unless the deployment says otherwise. */
    public static final ScheduleSpec CLEANER_SCHEDULE = new ScheduleSpec("CleanerSchedule", "rate(1 hour)", CLEANER.name());

    /**
     * The execution sweep every ten minutes: a job whose execution ended while its event was lost ends within the
     * sweep's quiet period and ten minutes more.
     */
    public static final ScheduleSpec EXECUTION_SWEEP_SCHEDULE = new ScheduleSpec("ExecutionSweepSchedule",
            "rate(10 minutes)", EXECUTION_SWEEP.name());

    /**
     * The worker sweep every minute, EventBridge's shortest rate: a worker nobody calls about is announced dead within
     * a minute of its deadline.
     */
    public static final ScheduleSpec WORKER_SWEEP_SCHEDULE = new ScheduleSpec("WorkerSweepSchedule", "rate(1 minute)",
            WORKER_SWEEP.name());

    public static final List<ScheduleSpec> SCHEDULES = List.of(CLEANER_SCHEDULE, EXECUTION_SWEEP_SCHEDULE,
            WORKER_SWEEP_SCHEDULE);

    /**
     * A job workflow's execution that fails, times out or is stopped after an error no Catch handles
     * ({@code States.Runtime}, an oversized payload) would leave its job RUNNING and holding its quota slot:
     * Step Functions' status-change events for those executions go to {@link #EXECUTION_ENDED}.
     */
    public static final ExecutionRuleSpec EXECUTION_ENDED_RULE = new ExecutionRuleSpec("JobExecutionEnded",
            List.of("FAILED", "TIMED_OUT", "ABORTED"), EXECUTION_ENDED.name());

    /**
     * One job state machine per program, from the same definition, with the program's retry policy substituted and
     * the error names it retries on ({@link WorkflowErrors}).
     */
    public static List<StateMachineSpec> stateMachines(ProgramRegistry programs) {
        return programs.all().stream().map(Catalogue::workflow).toList();
    }

    /** The state machine that runs jobs of {@code program}. */
    public static StateMachineSpec workflow(ProgramDefinition program) {
        Map<String, String> substitutions = new LinkedHashMap<>();
        substitutions.put("RetryIntervalSeconds", Long.toString(program.retry().interval().toSeconds()));
        substitutions.put("RetryBackoffRate", Double.toString(program.retry().backoffRate()));
        substitutions.put("RetryMaxDelaySeconds", Long.toString(program.retry().maxDelay().toSeconds()));
        substitutions.put("RetryMaxAttempts", Integer.toString(program.retry().maxAttempts()));
        substitutions.put("RetryJitterStrategy", program.retry().jitter().name());
        substitutions.put("MaxConcurrency", Integer.toString(program.maxConcurrency()));
        substitutions.put("ToleratedFailurePercentage", Double.toString(program.toleratedFailurePercentage()));
        substitutions.put("ExternalWorker", Boolean.toString(program.hasExternalWorker()));
        // A program without an external worker never reaches the state that waits with this heartbeat.
        substitutions.put("HeartbeatSeconds", Long.toString((program.hasExternalWorker() ? program.external().heartbeat()
                : io.conveyor.program.ExternalWorker.MAX_HEARTBEAT).toSeconds()));
        substitutions.putAll(WorkflowErrors.SUBSTITUTIONS);
        return new StateMachineSpec(WORKFLOW_PREFIX + program.name(), WORKFLOW_DEFINITION, substitutions,
                WORKFLOW_FUNCTIONS.stream().map(FunctionSpec::name).toList());
    }

    /**
     * The environment of {@code function}: the names of every resource (configuration is read as a whole, and
     * names are not secrets; what a function may do with them is its IAM policy), and Powertools' service name
     * and metrics namespace.
     *
     * @param names the physical name (or ARN prefix) of each resource in this deployment
     */
    public static Map<String, String> environment(FunctionSpec function, Map<Resource, String> names) {
        Map<String, String> environment = new LinkedHashMap<>();
        for (Resource resource : Resource.values()) {
            if (resource.settingName() != null) {
                String name = names.get(resource);
                if (name == null) {
                    throw new IllegalArgumentException("the deployment gives no name for " + resource);
                }
                environment.put(resource.settingName(), name);
            }
        }
        environment.put("POWERTOOLS_SERVICE_NAME", "conveyor-" + function.name().toLowerCase(java.util.Locale.ROOT));
        environment.put("POWERTOOLS_METRICS_NAMESPACE", METRICS_NAMESPACE);
        return environment;
    }

    public static Optional<FunctionSpec> function(String name) {
        return FUNCTIONS.stream().filter(f -> f.name().equals(name)).findFirst();
    }

    /** A route served by the {@link #API} function. */
    private static RouteSpec api(String operation, String method, String path, Integer... successStatuses) {
        return new RouteSpec(operation, method, path, API.name(), java.util.Set.of(successStatuses));
    }

    /** A route served by the {@link #WORKER_PROTOCOL} function. */
    private static RouteSpec worker(String operation, String method, String path, Integer... successStatuses) {
        return new RouteSpec(operation, method, path, WORKER_PROTOCOL.name(), java.util.Set.of(successStatuses));
    }

    /** A workflow step's function, {@code io.conveyor.workflow.<name>Handler}. */
    private static FunctionSpec workflowStep(String name, int memoryMb, Duration timeout, List<Access> access) {
        return new FunctionSpec(name, "io.conveyor.workflow." + name + "Handler", memoryMb, timeout, access);
    }

    @SafeVarargs
    private static <T> List<T> concat(List<T>... lists) {
        return java.util.Arrays.stream(lists).flatMap(List::stream).toList();
    }
}
