package io.conveyor.cleanup;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import io.conveyor.config.AwsClients;
import io.conveyor.config.FunctionEnvironment;
import io.conveyor.config.Settings;
import io.conveyor.idempotency.IdempotencyStore;
import io.conveyor.job.JobStore;
import io.conveyor.logging.InvocationLogging;
import io.conveyor.metrics.EmbeddedMetrics;
import io.conveyor.metrics.EmbeddedMetrics.Value;
import io.conveyor.snapstart.SnapStartPriming;
import io.conveyor.storage.ObjectStore;
import io.conveyor.subjob.SubJobStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The cleaner Lambda, run by an EventBridge scheduled rule ({@link CleanerSettings#scheduleExpression()}). Each run
 * works until its invocation has {@link CleanerSettings#safetyMargin()} left, returns a {@link CleanupReport}, and
 * publishes it as CloudWatch metrics (EMF, namespace from {@code POWERTOOLS_METRICS_NAMESPACE}, else
 * {@value #DEFAULT_NAMESPACE}; one dimension, {@code Service}, from {@code POWERTOOLS_SERVICE_NAME}, the names the
 * stack's alarms and dashboard use).
 */
public final class CleanerHandler implements RequestHandler<Map<String, Object>, CleanupReport> {
    private static final Logger LOG = LoggerFactory.getLogger(CleanerHandler.class);
    static final String DEFAULT_NAMESPACE = "Conveyor";

    private final CleanupService cleaner;
    private final EmbeddedMetrics metrics;
    private final Map<String, String> dimensions;
    private final Clock clock;
    private final Duration safetyMargin;

    /** Reads the configuration and builds the clients, once per execution environment. */
    public CleanerHandler() {
        this(Settings.fromEnvironment(), CleanerSettings.fromEnvironment(), Clock.systemUTC());
        SnapStartPriming.register("CleanerHandler", cleaner::prime);
    }

    private CleanerHandler(Settings settings, CleanerSettings cleanerSettings, Clock clock) {
        this(wire(settings, cleanerSettings, clock), EmbeddedMetrics.standardOutput(namespace()),
                FunctionEnvironment.get("POWERTOOLS_SERVICE_NAME"), clock, cleanerSettings.safetyMargin());
    }

    /** For tests: the collaborators, built by the caller; {@code service} is the metrics' Service dimension. */
    CleanerHandler(CleanupService cleaner, EmbeddedMetrics metrics, String service, Clock clock, Duration safetyMargin) {
        this.cleaner = cleaner;
        this.metrics = metrics;
        this.dimensions = EmbeddedMetrics.serviceDimension(service);
        this.clock = clock;
        this.safetyMargin = safetyMargin;
    }

    private static CleanupService wire(Settings settings, CleanerSettings cleanerSettings, Clock clock) {
        AwsClients clients = new AwsClients(settings);
        DynamoDbClient dynamoDb = clients.dynamoDb();
        JobStore jobs = new JobStore(dynamoDb, settings.jobsTable());
        // Built on first use (a run that finds nothing expired deletes nothing), and primed before a snapshot.
        ObjectStore objects = ObjectStore.builtOnFirstUse(clients::s3, clients::s3Presigner, settings.bucket(), clock);
        SnapStartPriming.registerObjectStore("CleanerHandler", objects);
        return new CleanupService(
                jobs,
                new SubJobStore(dynamoDb, settings.subJobsTable(), jobs),
                new IdempotencyStore(dynamoDb, settings.idempotencyTable()),
                objects,
                clock,
                cleanerSettings);
    }

    private static String namespace() {
        // A missing setting must cost the metrics' name, not the run.
        String namespace = FunctionEnvironment.get("POWERTOOLS_METRICS_NAMESPACE");
        return namespace == null || namespace.isBlank() ? DEFAULT_NAMESPACE : namespace;
    }

    /**
     * @param event the schedule's event, unread: every run does the same. Taken as a map rather than the events
     *              library's {@code ScheduledEvent}, which would put Joda-Time (0.6 MB) into the Lambda jar.
     */
    @Override
    public CleanupReport handleRequest(Map<String, Object> event, Context context) {
        return InvocationLogging.withContext(context, () -> {
            // The budget is the invocation's remaining time, less a margin to finish the job in hand and report.
            Instant stopBy = clock.instant()
                    .plusMillis(context.getRemainingTimeInMillis())
                    .minus(safetyMargin);
            CleanupReport report;
            try {
                report = cleaner.run(stopBy);
            } catch (RuntimeException e) {
                LOG.error("The cleaner run failed before it finished; the next run starts over", e);
                publish(List.of(new Value("CleanupErrors", 1, EmbeddedMetrics.Unit.COUNT)));
                throw e;
            }
            publish(report);
            LOG.atInfo()
                    .addKeyValue("jobsExamined", report.jobsExamined())
                    .addKeyValue("jobsDeleted", report.jobsDeleted())
                    .addKeyValue("jobsSkipped", report.jobsSkipped())
                    .addKeyValue("objectsDeleted", report.objectsDeleted())
                    .addKeyValue("subJobItemsDeleted", report.subJobItemsDeleted())
                    .addKeyValue("stoppedForTime", report.stoppedForTime())
                    .addKeyValue("errors", report.errors())
                    .addKeyValue("failedJobIds", report.failedJobIds())
                    .log("Cleaner run finished");
            return report;
        });
    }

    private void publish(CleanupReport report) {
        EmbeddedMetrics.Unit count = EmbeddedMetrics.Unit.COUNT;
        publish(List.of(
                new Value("JobsExamined", report.jobsExamined(), count),
                new Value("JobsDeleted", report.jobsDeleted(), count),
                new Value("ObjectsDeleted", report.objectsDeleted(), count),
                new Value("SubJobItemsDeleted", report.subJobItemsDeleted(), count),
                new Value("CleanupErrors", report.errors(), count),
                new Value("CleanupStoppedForTime", report.stoppedForTime() ? 1 : 0, count)));
    }

    private void publish(List<Value> values) {
        metrics.putOrLog(values, dimensions);
    }
}
