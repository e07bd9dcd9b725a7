package io.conveyor.workflow;

import io.conveyor.admission.Admission;
import io.conveyor.admission.Admissions;
import io.conveyor.admission.DependencyGate;
import io.conveyor.admission.JobEndings;
import io.conveyor.admission.JobEvents;
import io.conveyor.admission.TaskCallbacks;
import io.conveyor.aws.AwsHttpService;
import io.conveyor.config.AwsClients;
import io.conveyor.config.FunctionEnvironment;
import io.conveyor.config.Settings;
import io.conveyor.deployment.Catalogue;
import io.conveyor.job.JobStore;
import io.conveyor.metrics.EmbeddedMetrics;
import io.conveyor.program.ProgramCostStore;
import io.conveyor.program.ProgramRegistry;
import io.conveyor.program.ProgramStatisticsStore;
import io.conveyor.storage.ObjectStore;
import io.conveyor.subjob.SubJobStore;
import io.conveyor.worker.WorkQueue;
import io.conveyor.workflow.aws.EventBridgeJobEvents;
import io.conveyor.workflow.aws.StepFunctionsCallbacks;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The workflow's services wired to the deployment: built once per function instance, from its environment.
 *
 * @param workflow     the workflow steps
 * @param admissions   quota admission
 * @param dependencies the dependency gate
 * @param endings      what follows a job's end
 * @param jobs         the jobs table
 * @param objects      the bucket
 * @param externalSubJobs the steps of subjobs run by external workers
 */
public record WorkflowComponents(WorkflowSteps workflow, Admissions admissions, DependencyGate dependencies,
        JobEndings endings, JobStore jobs, ObjectStore objects, ExternalSubJobs externalSubJobs) {

    /** Reads the function's environment and builds every client and service once. */
    public static WorkflowComponents fromEnvironment() {
        Settings settings = Settings.fromEnvironment();
        AwsClients clients = new AwsClients(settings);
        Clock clock = Clock.systemUTC();
        // Of the workflow's steps only Split, RunSubJob and Aggregate read or write objects: S3 is built on first use
        // (and primed for the snapshot by those three alone: WorkflowHandler#readsObjects).
        ObjectStore objects = ObjectStore.builtOnFirstUse(clients::s3, clients::s3Presigner, settings.bucket(), clock);
        return wire(settings, clients.dynamoDb(), objects,
                new StepFunctionsCallbacks(clients.stepFunctions()),
                new EventBridgeJobEvents(clients.eventBridge(), settings.eventBus()),
                ProgramRegistry.from(FunctionEnvironment.current()), clients::lambda, clock);
    }

    /**
     * Wires the services over the given clients and boundaries.
     *
     * @param lambda builds the client that invokes programs written as Lambda functions, when the first is run
     */
    public static WorkflowComponents wire(Settings settings, DynamoDbClient dynamoDb, ObjectStore objects,
            TaskCallbacks callbacks, JobEvents events, ProgramRegistry programs, Supplier<AwsHttpService> lambda,
            Clock clock) {
        JobStore jobs = new JobStore(dynamoDb, settings.jobsTable());
        SubJobStore subJobs = new SubJobStore(dynamoDb, settings.subJobsTable(), jobs);
        Admission admission = Admission.wire(settings, dynamoDb, jobs, callbacks, events, clock);
        // Reading subjob outputs is waiting on the network: a small pool of daemon threads overlaps the waits.
        ExecutorService readers = Executors.newFixedThreadPool(16, r -> {
            Thread t = new Thread(r, "subjob-output-reader");
            t.setDaemon(true);
            return t;
        });
        WorkflowSteps workflow = new WorkflowSteps(jobs, subJobs, objects, programs,
                new ProgramStatisticsStore(dynamoDb, settings.countersTable()), admission.endings(),
                new WorkflowMetrics(EmbeddedMetrics.standardOutput(Catalogue.METRICS_NAMESPACE)), readers, clock, lambda,
                settings.prices(), new ProgramCostStore(dynamoDb, settings.countersTable()));
        return new WorkflowComponents(workflow, admission.admissions(), admission.dependencies(), admission.endings(), jobs,
                objects, new ExternalSubJobs(jobs, subJobs, new WorkQueue(dynamoDb, settings.workQueueTable()), clock));
    }
}
