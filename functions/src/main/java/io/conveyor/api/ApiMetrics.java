package io.conveyor.api;

import io.conveyor.metrics.EmbeddedMetrics;
import java.util.Map;

/**
 * The API's CloudWatch metrics, written in the embedded metric format (one log line each, no API call): jobs
 * created, submitted, cancelled and retried per program, and refused and failed requests.
 */
public final class ApiMetrics {
    private final EmbeddedMetrics metrics;

    public ApiMetrics(EmbeddedMetrics metrics) {
        this.metrics = metrics;
    }

    void jobCreated(String program) {
        count("JobsCreated", Map.of("Program", program));
    }

    void jobSubmitted(String program) {
        count("JobsSubmitted", Map.of("Program", program));
    }

    void jobCancelled(String program) {
        count("JobsCancelled", Map.of("Program", program));
    }

    void jobRetried(String program) {
        count("JobsRetried", Map.of("Program", program));
    }

    void clientError(String code) {
        count("ApiClientErrors", Map.of("Code", code));
    }

    void serverError() {
        count("ApiServerErrors", Map.of("Service", "api"));
    }

    private void count(String name, Map<String, String> dimensions) {
        metrics.put(name, 1, EmbeddedMetrics.Unit.COUNT, dimensions);
    }
}
