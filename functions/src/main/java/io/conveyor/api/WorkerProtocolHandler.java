package io.conveyor.api;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import io.conveyor.config.AwsClients;
import io.conveyor.config.FunctionEnvironment;
import io.conveyor.config.Settings;
import io.conveyor.deployment.Catalogue;
import io.conveyor.job.JobStore;
import io.conveyor.logging.InvocationLogging;
import io.conveyor.metrics.EmbeddedMetrics;
import io.conveyor.program.ProgramRegistry;
import io.conveyor.storage.ObjectStore;
import io.conveyor.worker.WorkQueue;
import io.conveyor.worker.WorkerIdentities;
import io.conveyor.workflow.aws.EventBridgeWorkerEvents;
import io.conveyor.workflow.aws.StepFunctionsCallbacks;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The Lambda function behind the worker protocol's routes ({@code /workers...}, proxy integration): a function of its
 * own, {@link Catalogue#WORKER_PROTOCOL}, so that workers waiting in long polls never take the job API's executions.
 */
public final class WorkerProtocolHandler implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {
    private final RouteDispatcher routes;
    private final Optional<String> browserOrigin;

    /** Lambda's constructor: configuration and clients are read and built once, at start-up. */
    public WorkerProtocolHandler() {
        this(Settings.fromEnvironment());
    }

    private WorkerProtocolHandler(Settings settings) {
        this(dispatcher(workerService(settings), Caller.finder(settings.devTokenAuth())), settings.browserOrigin());
    }

    /** @param browserOrigin the web dashboard's origin, whose pages list the caller's workers (CORS); empty for none */
    WorkerProtocolHandler(RouteDispatcher routes, Optional<String> browserOrigin) {
        this.routes = routes;
        this.browserOrigin = browserOrigin;
    }

    /** The worker protocol's routes, each bound to {@code workers}. */
    static RouteDispatcher dispatcher(WorkerService workers,
            java.util.function.Function<APIGatewayProxyRequestEvent, Optional<Caller>> callers) {
        return new RouteDispatcher(Catalogue.WORKER_PROTOCOL, new WorkerRoutes(workers, Api.JSON).endpoints(),
                new ApiMetrics(EmbeddedMetrics.standardOutput(Catalogue.METRICS_NAMESPACE)), callers);
    }

    private static WorkerService workerService(Settings settings) {
        AwsClients clients = new AwsClients(settings);
        DynamoDbClient dynamoDb = clients.dynamoDb();
        Clock clock = Clock.systemUTC();
        ObjectStore objects = ObjectStore.builtOnFirstUse(clients::s3, clients::s3Presigner, settings.bucket(), clock);
        return new WorkerService(new WorkQueue(dynamoDb, settings.workQueueTable()), new JobStore(dynamoDb, settings.jobsTable()),
                objects, ProgramRegistry.from(FunctionEnvironment.current()), WorkerIdentities.from(FunctionEnvironment.current()),
                new StepFunctionsCallbacks(clients.stepFunctions()),
                new EventBridgeWorkerEvents(clients.eventBridge(), settings.eventBus()), clock,
                () -> UUID.randomUUID().toString(), d -> Thread.sleep(d.toMillis()));
    }

    @Override
    public APIGatewayProxyResponseEvent handleRequest(APIGatewayProxyRequestEvent event, Context context) {
        // The dashboard's workers page reads GET /workers; the rest of the protocol is for worker programs, which CORS
        // does not concern.
        return BrowserOrigin.allow(browserOrigin,
                InvocationLogging.withContext(context, () -> routes.handle(event, context.getAwsRequestId())));
    }
}
