package io.conveyor.api;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent.ProxyRequestContext;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import io.conveyor.admission.Admission;
import io.conveyor.admission.JobEndings;
import io.conveyor.config.AwsClients;
import io.conveyor.config.FunctionEnvironment;
import io.conveyor.config.Settings;
import io.conveyor.deployment.Catalogue;
import io.conveyor.idempotency.IdempotencyStore;
import io.conveyor.job.JobStore;
import io.conveyor.logging.InvocationLogging;
import io.conveyor.metrics.EmbeddedMetrics;
import io.conveyor.program.ProgramCostStore;
import io.conveyor.program.ProgramRegistry;
import io.conveyor.program.ProgramStatisticsStore;
import io.conveyor.snapstart.SnapStartPriming;
import io.conveyor.storage.ObjectStore;
import io.conveyor.subjob.SubJobStore;
import io.conveyor.usage.UsageMeter;
import io.conveyor.worker.WorkQueue;
import io.conveyor.workflow.aws.EventBridgeJobEvents;
import io.conveyor.workflow.aws.StepFunctionsCallbacks;
import io.conveyor.workflow.aws.StepFunctionsLauncher;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** The Lambda function behind the job API's routes (proxy integration); {@link WorkerProtocolHandler} serves the workers'. */
public final class ApiHandler implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {
    private final Api api;
    private final Optional<String> browserOrigin;

    /** Lambda's constructor: configuration and clients are read and built once, at start-up. */
    public ApiHandler() {
        this(Settings.fromEnvironment());
        SnapStartPriming.register("ApiHandler", this::prime);
    }

    private ApiHandler(Settings settings) {
        this(fromEnvironment(settings), settings.browserOrigin());
    }

    ApiHandler(Api api) {
        this(api, Optional.empty());
    }

    /** @param browserOrigin the web dashboard's origin, whose pages may read every answer (CORS); empty for none */
    ApiHandler(Api api, Optional<String> browserOrigin) {
        this.api = api;
        this.browserOrigin = browserOrigin;
    }

    static Api fromEnvironment(Settings settings) {
        AwsClients clients = new AwsClients(settings);
        DynamoDbClient dynamoDb = clients.dynamoDb();
        JobStore jobs = new JobStore(dynamoDb, settings.jobsTable());
        Clock clock = Clock.systemUTC();
        // Built on first use (the read routes need no S3), and primed before a SnapStart snapshot all the same.
        ObjectStore objects = ObjectStore.builtOnFirstUse(clients::s3, clients::s3Presigner, settings.bucket(), clock);
        SnapStartPriming.registerObjectStore("ApiHandler", objects);
        ProgramRegistry programs = ProgramRegistry.from(FunctionEnvironment.current());
        // Cancel ends a job as the workflow would: it releases the slot, admits the next and fails dependents.
        StepFunctionsCallbacks callbacks = new StepFunctionsCallbacks(clients.stepFunctions());
        JobEndings endings = Admission.wire(settings, dynamoDb, jobs, callbacks,
                new EventBridgeJobEvents(clients.eventBridge(), settings.eventBus()), clock).endings();
        JobService service = new JobService(jobs, new SubJobStore(dynamoDb, settings.subJobsTable(), jobs),
                new IdempotencyStore(dynamoDb, settings.idempotencyTable()), endings, objects, programs,
                new StepFunctionsLauncher(clients.stepFunctions(), settings.requireWorkflowArnPrefix()),
                settings, clock, () -> UUID.randomUUID().toString(),
                PageTokenSigner.fromEnvironment(FunctionEnvironment.current(), clients::secretsManager));
        return new Api(service, programs,
                new ProgramStatisticsStore(dynamoDb, settings.countersTable()),
                new ProgramCostStore(dynamoDb, settings.countersTable()),
                new ApiMetrics(EmbeddedMetrics.standardOutput(Catalogue.METRICS_NAMESPACE)), clock,
                new UsageReports(jobs, settings.prices(), settings.adminUsers(), clock), settings.prices(),
                new WorkerWaits(new WorkQueue(dynamoDb, settings.workQueueTable()), programs, clock),
                Caller.finder(settings.devTokenAuth()));
    }

    /**
     * A read-only request through the whole path, for the SnapStart snapshot: GET /programs by a placeholder caller
     * (routing, the statistics reads on DynamoDB, the JSON answer; no metric is published for a 200).
     */
    void prime() {
        ProxyRequestContext caller = new ProxyRequestContext();
        caller.setAuthorizer(Map.of("principalId", SnapStartPriming.PLACEHOLDER_ID));
        api.handle(new APIGatewayProxyRequestEvent().withHttpMethod("GET").withPath("/programs").withRequestContext(caller),
                SnapStartPriming.PLACEHOLDER_ID);
    }

    @Override
    public APIGatewayProxyResponseEvent handleRequest(APIGatewayProxyRequestEvent event, Context context) {
        // A request's usage goes to the job it writes (created, submitted, cancelled, retried); reads are not charged.
        return BrowserOrigin.allow(browserOrigin, InvocationLogging.withContext(context, () -> UsageMeter.measure(null,
                context.getMemoryLimitInMB(), () -> api.handle(event, context.getAwsRequestId()))));
    }
}
