package io.conveyor.workflow;

import io.conveyor.metrics.EmbeddedMetrics;
import io.conveyor.usage.Cost;
import io.conveyor.usage.Usage;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The workflow's CloudWatch metrics in the embedded metric format, per program: jobs succeeded, failed and
 * re-registered, subjobs succeeded and failed, subjob durations, and what each job that ended consumed and cost.
 */
public final class WorkflowMetrics {
    private final EmbeddedMetrics metrics;

    public WorkflowMetrics(EmbeddedMetrics metrics) {
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
        metrics.put("SubJobDuration", duration.toMillis(), EmbeddedMetrics.Unit.MILLISECONDS, Map.of("Program", program));
    }

    /** What a job that ended consumed and cost, in all its attempts: one data point of each per program. */
    void jobConsumed(String program, Usage usage, Cost cost) {
        metrics.put(List.of(
                new EmbeddedMetrics.Value("JobCostUsd", cost.total().doubleValue(), EmbeddedMetrics.Unit.NONE),
                new EmbeddedMetrics.Value("JobStateTransitions", usage.transitions(), EmbeddedMetrics.Unit.COUNT),
                new EmbeddedMetrics.Value("JobLambdaInvocations", usage.lambdaInvocations(), EmbeddedMetrics.Unit.COUNT),
                new EmbeddedMetrics.Value("JobLambdaGbSeconds", usage.lambdaGbSeconds(), EmbeddedMetrics.Unit.NONE),
                new EmbeddedMetrics.Value("JobDynamoDbReadUnits", usage.readUnits(), EmbeddedMetrics.Unit.NONE),
                new EmbeddedMetrics.Value("JobDynamoDbWriteUnits", usage.writeUnits(), EmbeddedMetrics.Unit.NONE),
                new EmbeddedMetrics.Value("JobS3Requests", usage.s3ClassA() + usage.s3ClassB(), EmbeddedMetrics.Unit.COUNT)),
                Map.of("Program", program));
    }

    private void count(String name, String program) {
        metrics.put(name, 1, EmbeddedMetrics.Unit.COUNT, Map.of("Program", program));
    }
}
