package io.conveyor.workflow;

import io.conveyor.deployment.Catalogue;
import java.time.Duration;
import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.model.DimensionSet;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

/**
 * The workflow's CloudWatch metrics in the embedded metric format, per program: jobs succeeded, failed and
 * re-registered, subjobs succeeded and failed, and subjob durations.
 */
public final class WorkflowMetrics {
    private final Metrics metrics;

    public WorkflowMetrics(Metrics metrics) {
        this.metrics = metrics;
    }

    void jobSucceeded(String program) {
        count("JobsSucceeded", program);
    }

    void jobFailed(String program) {
        count("JobsFailed", program);
    }

    void jobReregistered(String program) {
        count("JobsReregistered", program);
    }

    void subJobEnded(String program, Duration duration, boolean failed) {
        count(failed ? "SubJobsFailed" : "SubJobsSucceeded", program);
        metrics.flushSingleMetric("SubJobDuration", duration.toMillis(), MetricUnit.MILLISECONDS,
                Catalogue.METRICS_NAMESPACE, DimensionSet.of("Program", program));
    }

    private void count(String name, String program) {
        metrics.flushSingleMetric(name, 1, MetricUnit.COUNT, Catalogue.METRICS_NAMESPACE, DimensionSet.of("Program", program));
    }
}
