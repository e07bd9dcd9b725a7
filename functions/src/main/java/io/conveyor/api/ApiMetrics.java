package io.conveyor.api;

import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.model.DimensionSet;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

/**
 * The API's CloudWatch metrics, written in the embedded metric format (one log line each, no API call): jobs
 * created, submitted, cancelled and retried per program, and refused and failed requests.
 */
public final class ApiMetrics {
    static final String NAMESPACE = "Conveyor";
    private final Metrics metrics;

    public ApiMetrics(Metrics metrics) {
        this.metrics = metrics;
    }

    void jobCreated(String program) {
        count("JobsCreated", DimensionSet.of("Program", program));
    }

    void jobSubmitted(String program) {
        count("JobsSubmitted", DimensionSet.of("Program", program));
    }

    void jobCancelled(String program) {
        count("JobsCancelled", DimensionSet.of("Program", program));
    }

    void jobRetried(String program) {
        count("JobsRetried", DimensionSet.of("Program", program));
    }

    void clientError(String code) {
        count("ApiClientErrors", DimensionSet.of("Code", code));
    }

    void serverError() {
        count("ApiServerErrors", DimensionSet.of("Service", "api"));
    }

    private void count(String name, DimensionSet dimensions) {
        metrics.flushSingleMetric(name, 1, MetricUnit.COUNT, NAMESPACE, dimensions);
    }
}
