package io.conveyor.watchdog;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import io.conveyor.config.AwsClients;
import io.conveyor.config.FunctionEnvironment;
import io.conveyor.config.Settings;
import io.conveyor.deployment.Catalogue;
import io.conveyor.logging.InvocationLogging;
import io.conveyor.metrics.EmbeddedMetrics;
import io.conveyor.metrics.EmbeddedMetrics.Value;
import io.conveyor.worker.WorkQueue;
import io.conveyor.worker.WorkerDeaths;
import io.conveyor.workflow.aws.EventBridgeWorkerEvents;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker sweep's Lambda, run every minute by an EventBridge scheduled rule ({@code Catalogue.WORKER_SWEEP_SCHEDULE}):
 * announces the workers that missed their registration deadline with nobody calling about them
 * ({@link WorkerDeaths#sweep}), so a {@code WorkerDied} event follows a death within about a minute, and publishes
 * {@code WorkersFoundDead} as a CloudWatch metric (EMF, dimension {@code Service}).
 */
public final class WorkerSweepHandler implements RequestHandler<Map<String, Object>, WorkerDeaths.Sweep> {
    private static final Logger LOG = LoggerFactory.getLogger(WorkerSweepHandler.class);
    /**
     * Deaths announced per run at most: each is an update and an event, well within the function's minute; any more
     * wait for the next run.
     */
    static final int LIMIT = 1_000;

    private final WorkerDeaths deaths;
    private final EmbeddedMetrics metrics;
    private final Map<String, String> dimensions;
    private final Clock clock;

    /** Reads the configuration and builds the clients, once per execution environment. */
    public WorkerSweepHandler() {
        this(Settings.fromEnvironment());
    }

    private WorkerSweepHandler(Settings settings) {
        this(deaths(settings), EmbeddedMetrics.standardOutput(Catalogue.METRICS_NAMESPACE),
                FunctionEnvironment.get("POWERTOOLS_SERVICE_NAME"), Clock.systemUTC());
    }

    /** For tests: the collaborators, built by the caller; {@code service} is the metrics' Service dimension. */
    WorkerSweepHandler(WorkerDeaths deaths, EmbeddedMetrics metrics, String service, Clock clock) {
        this.deaths = deaths;
        this.metrics = metrics;
        this.dimensions = EmbeddedMetrics.serviceDimension(service);
        this.clock = clock;
    }

    private static WorkerDeaths deaths(Settings settings) {
        AwsClients clients = new AwsClients(settings);
        return new WorkerDeaths(new WorkQueue(clients.dynamoDb(), settings.workQueueTable()),
                new EventBridgeWorkerEvents(clients.eventBridge(), settings.eventBus()));
    }

    /** @param event the schedule's event, unread: every run does the same */
    @Override
    public WorkerDeaths.Sweep handleRequest(Map<String, Object> event, Context context) {
        return InvocationLogging.withContext(context, () -> {
            WorkerDeaths.Sweep sweep = deaths.sweep(clock.instant(), LIMIT);
            metrics.putOrLog(List.of(new Value("WorkersFoundDead", sweep.announced(), EmbeddedMetrics.Unit.COUNT)),
                    dimensions);
            // Every minute: a run that found nobody dead is not worth a line at INFO.
            (sweep.announced() > 0 ? LOG.atInfo() : LOG.atDebug()).addKeyValue("announced", sweep.announced())
                    .addKeyValue("more", sweep.more()).log("Worker sweep finished");
            return sweep;
        });
    }
}
