package io.conveyor.workflow;

import io.conveyor.aws.AwsHttpService;
import io.conveyor.admission.WaitlistStore;
import io.conveyor.config.AwsClients;
import io.conveyor.config.FunctionEnvironment;
import io.conveyor.config.Settings;
import io.conveyor.deployment.Catalogue;
import io.conveyor.job.JobStore;
import io.conveyor.metrics.EmbeddedMetrics;
import io.conveyor.program.ProgramRegistry;
import io.conveyor.program.ProgramStatisticsStore;
import io.conveyor.quota.ActiveJobCounters;
import io.conveyor.storage.ObjectStore;
import io.conveyor.subjob.SubJobStore;
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
 */
public record WorkflowComponents(JobWorkflow workflow, Admissions admissions, DependencyGate dependencies,
        JobEndings endings, JobStore jobs, ObjectStore objects) {

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
        ActiveJobCounters counters = new ActiveJobCounters(dynamoDb, settings.countersTable());
        WaitlistStore waitlist = new WaitlistStore(dynamoDb, settings.waitlistTable());
        Admissions admissions = new Admissions(jobs, counters, waitlist, callbacks, settings.maxActiveJobsPerUser(),
                settings.maxActiveJobsPerProgram(), clock);
        DependencyGate dependencies = new DependencyGate(jobs, waitlist, callbacks, clock);
        JobEndings endings = new JobEndings(counters, waitlist, admissions, dependencies, events, clock);
        // Reading subjob outputs is waiting on the network: a small pool of daemon threads overlaps the waits.
        ExecutorService readers = Executors.newFixedThreadPool(16, r -> {
            Thread t = new Thread(r, "subjob-output-reader");
            t.setDaemon(true);
            return t;
        });
        JobWorkflow workflow = new JobWorkflow(jobs, subJobs, objects, programs,
                new ProgramStatisticsStore(dynamoDb, settings.countersTable()), endings,
                new WorkflowMetrics(EmbeddedMetrics.standardOutput(Catalogue.METRICS_NAMESPACE)), readers, clock, lambda);
        return new WorkflowComponents(workflow, admissions, dependencies, endings, jobs, objects);
    }
}
