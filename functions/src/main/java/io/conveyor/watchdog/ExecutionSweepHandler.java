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
import io.conveyor.snapstart.SnapStartPriming;
import io.conveyor.workflow.WorkflowComponents;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The execution sweep's Lambda, run by an EventBridge scheduled rule ({@code Catalogue.EXECUTION_SWEEP_SCHEDULE}):
 * runs {@link ExecutionSweep} until its invocation has {@link SweepSettings#safetyMargin()} left, returns the
 * {@link SweepReport} and publishes {@code JobsEndedBySweep} and {@code SweepErrors} as CloudWatch metrics (EMF,
 * dimension {@code Service}).
 */
public final class ExecutionSweepHandler implements RequestHandler<Map<String, Object>, SweepReport> {
    private static final Logger LOG = LoggerFactory.getLogger(ExecutionSweepHandler.class);

    private final ExecutionSweep sweep;
    private final EmbeddedMetrics metrics;
    private final Map<String, String> dimensions;
    private final Clock clock;
    private final Duration safetyMargin;

    /** Reads the configuration and builds the clients, once per execution environment. */
    public ExecutionSweepHandler() {
        this(Settings.fromEnvironment(), SweepSettings.fromEnvironment(), WorkflowComponents.fromEnvironment());
    }

    private ExecutionSweepHandler(Settings settings, SweepSettings sweepSettings, WorkflowComponents components) {
        this(new ExecutionSweep(components.jobs(), components.workflow(), new StepFunctionsExecutions(
                        new AwsClients(settings).stepFunctions(), settings.requireWorkflowArnPrefix(),
                        new TokenBucket(sweepSettings.describeRate(), 1, TokenBucket.SYSTEM)),
                        Clock.systemUTC(), sweepSettings),
                EmbeddedMetrics.standardOutput(Catalogue.METRICS_NAMESPACE),
                FunctionEnvironment.get("POWERTOOLS_SERVICE_NAME"), Clock.systemUTC(), sweepSettings.safetyMargin());
        SnapStartPriming.register("ExecutionSweepHandler", () -> components.jobs().get(SnapStartPriming.PLACEHOLDER_ID));
    }

    /** For tests: the collaborators, built by the caller; {@code service} is the metrics' Service dimension. */
    ExecutionSweepHandler(ExecutionSweep sweep, EmbeddedMetrics metrics, String service, Clock clock,
            Duration safetyMargin) {
        this.sweep = sweep;
        this.metrics = metrics;
        this.dimensions = EmbeddedMetrics.serviceDimension(service);
        this.clock = clock;
        this.safetyMargin = safetyMargin;
    }

    /** @param event the schedule's event, unread: every run does the same */
    @Override
    public SweepReport handleRequest(Map<String, Object> event, Context context) {
        return InvocationLogging.withContext(context, () -> {
            Instant stopBy = clock.instant().plusMillis(context.getRemainingTimeInMillis()).minus(safetyMargin);
            SweepReport report = sweep.run(stopBy);
            metrics.putOrLog(List.of(new Value("JobsEndedBySweep", report.ended(), EmbeddedMetrics.Unit.COUNT),
                    new Value("SweepErrors", report.errors(), EmbeddedMetrics.Unit.COUNT)), dimensions);
            LOG.atInfo().addKeyValue("suspects", report.suspects()).addKeyValue("stillRunning", report.stillRunning())
                    .addKeyValue("ended", report.ended()).addKeyValue("leftAlone", report.leftAlone())
                    .addKeyValue("errors", report.errors()).addKeyValue("stoppedForTime", report.stoppedForTime())
                    .addKeyValue("endedJobIds", report.endedJobIds())
                    .log("Execution sweep finished");
            return report;
        });
    }
}
