package io.conveyor.cleanup;

import static software.amazon.lambda.powertools.logging.argument.StructuredArguments.entry;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import io.conveyor.config.AwsClients;
import io.conveyor.config.Settings;
import io.conveyor.idempotency.IdempotencyStore;
import io.conveyor.job.JobStore;
import io.conveyor.storage.ObjectStore;
import io.conveyor.subjob.SubJobStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.lambda.powertools.logging.PowertoolsLogging;
import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.MetricsFactory;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

/**
 * The cleaner Lambda, run by an EventBridge scheduled rule ({@link CleanerSettings#scheduleExpression()}). Each run
 * works until its invocation has {@link CleanerSettings#safetyMargin()} left, returns a {@link CleanupReport}, and
 * publishes it as CloudWatch metrics (EMF, namespace from {@code POWERTOOLS_METRICS_NAMESPACE}, else
 * {@value #DEFAULT_NAMESPACE}).
 */
public final class CleanerHandler implements RequestHandler<ScheduledEvent, CleanupReport> {
    private static final Logger LOG = LoggerFactory.getLogger(CleanerHandler.class);
    static final String DEFAULT_NAMESPACE = "Conveyor";

    private final CleanupService cleaner;
    private final Metrics metrics;
    private final Clock clock;
    private final Duration safetyMargin;

    /** Reads the configuration and builds the clients, once per execution environment. */
    public CleanerHandler() {
        this(Settings.fromEnvironment(), CleanerSettings.fromEnvironment(), Clock.systemUTC(), powertoolsMetrics());
    }

    private CleanerHandler(Settings settings, CleanerSettings cleanerSettings, Clock clock, Metrics metrics) {
        this(wire(settings, cleanerSettings, clock), metrics, clock, cleanerSettings.safetyMargin());
    }

    /** For tests: the collaborators, built by the caller. */
    CleanerHandler(CleanupService cleaner, Metrics metrics, Clock clock, Duration safetyMargin) {
        this.cleaner = cleaner;
        this.metrics = metrics;
        this.clock = clock;
        this.safetyMargin = safetyMargin;
    }

    private static CleanupService wire(Settings settings, CleanerSettings cleanerSettings, Clock clock) {
        AwsClients clients = new AwsClients(settings);
        DynamoDbClient dynamoDb = clients.dynamoDb();
        JobStore jobs = new JobStore(dynamoDb, settings.jobsTable());
        return new CleanupService(
                jobs,
                new SubJobStore(dynamoDb, settings.subJobsTable(), jobs),
                new IdempotencyStore(dynamoDb, settings.idempotencyTable()),
                new ObjectStore(clients.s3(), clients.s3Presigner(), settings.bucket(), clock),
                clock,
                cleanerSettings);
    }

    private static Metrics powertoolsMetrics() {
        Metrics metrics = MetricsFactory.getMetricsInstance();
        // Without a namespace Powertools refuses to flush: a missing setting must cost the metrics' name, not the run.
        String namespace = io.conveyor.config.FunctionEnvironment.get("POWERTOOLS_METRICS_NAMESPACE");
        if (namespace == null || namespace.isBlank()) {
            metrics.setNamespace(DEFAULT_NAMESPACE);
        }
        return metrics;
    }

    @Override
    public CleanupReport handleRequest(ScheduledEvent event, Context context) {
        return PowertoolsLogging.withLogging(context, () -> {
            // The budget is the invocation's remaining time, less a margin to finish the job in hand and report.
            Instant stopBy = clock.instant()
                    .plusMillis(context.getRemainingTimeInMillis())
                    .minus(safetyMargin);
            CleanupReport report;
            try {
                report = cleaner.run(stopBy);
            } catch (RuntimeException e) {
                LOG.error("The cleaner run failed before it finished; the next run starts over", e);
                metrics.addMetric("CleanupErrors", 1, MetricUnit.COUNT);
                flushMetrics();
                throw e;
            }
            publish(report);
            LOG.info("Cleaner run finished",
                    entry("jobsExamined", report.jobsExamined()),
                    entry("jobsDeleted", report.jobsDeleted()),
                    entry("jobsSkipped", report.jobsSkipped()),
                    entry("objectsDeleted", report.objectsDeleted()),
                    entry("subJobItemsDeleted", report.subJobItemsDeleted()),
                    entry("stoppedForTime", report.stoppedForTime()),
                    entry("errors", report.errors()),
                    entry("failedJobIds", report.failedJobIds()));
            return report;
        });
    }

    private void publish(CleanupReport report) {
        metrics.addMetric("JobsExamined", report.jobsExamined(), MetricUnit.COUNT);
        metrics.addMetric("JobsDeleted", report.jobsDeleted(), MetricUnit.COUNT);
        metrics.addMetric("ObjectsDeleted", report.objectsDeleted(), MetricUnit.COUNT);
        metrics.addMetric("SubJobItemsDeleted", report.subJobItemsDeleted(), MetricUnit.COUNT);
        metrics.addMetric("CleanupErrors", report.errors(), MetricUnit.COUNT);
        metrics.addMetric("CleanupStoppedForTime", report.stoppedForTime() ? 1 : 0, MetricUnit.COUNT);
        flushMetrics();
    }

    private void flushMetrics() {
        try {
            metrics.flush();
        } catch (RuntimeException e) {
            // The deletions are done and reported in the log; losing a data point must not fail the run.
            LOG.warn("Could not publish the cleaner's metrics", e);
        }
    }
}
