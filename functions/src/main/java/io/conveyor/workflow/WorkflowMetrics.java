package io.conveyor.workflow;

import io.conveyor.metrics.EmbeddedMetrics;
import java.time.Duration;
import java.util.Map;

/**
 * The workflow's CloudWatch metrics in the embedded metric format, per program: jobs succeeded, failed and
 * re-registered, subjobs succeeded and failed, and subjob durations.
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

    private void count(String name, String program) {
        metrics.put(name, 1, EmbeddedMetrics.Unit.COUNT, Map.of("Program", program));
    }
}
