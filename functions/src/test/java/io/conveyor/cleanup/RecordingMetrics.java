package io.conveyor.cleanup;

import com.amazonaws.services.lambda.runtime.Context;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.model.DimensionSet;
import software.amazon.lambda.powertools.metrics.model.MetricResolution;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

/**
 * Keeps what a handler publishes, in place of Powertools' EMF logger: outside Lambda that logger looks for a
 * CloudWatch agent, and its output is a log line rather than something a test can read back.
 */
final class RecordingMetrics implements Metrics {
    /** Metrics added since the last flush, by name. */
    final Map<String, Double> pending = new LinkedHashMap<>();
    /** Metrics as of the last flush. */
    Map<String, Double> flushed = Map.of();
    int flushes;

    @Override
    public void addMetric(String key, double value, MetricUnit unit, MetricResolution resolution) {
        pending.merge(key, value, Double::sum);
    }

    @Override
    public void flush() {
        flushed = Map.copyOf(pending);
        pending.clear();
        flushes++;
    }

    @Override
    public void addDimension(DimensionSet dimensionSet) {}

    @Override
    public void setTimestamp(Instant timestamp) {}

    @Override
    public void addMetadata(String key, Object value) {}

    @Override
    public void setDefaultDimensions(DimensionSet dimensionSet) {}

    @Override
    public DimensionSet getDefaultDimensions() {
        return DimensionSet.of(Map.of());
    }

    @Override
    public void setNamespace(String namespace) {}

    @Override
    public void setRaiseOnEmptyMetrics(boolean raiseOnEmptyMetrics) {}

    @Override
    public void clearDefaultDimensions() {}

    @Override
    public void captureColdStartMetric(Context context, DimensionSet dimensions) {}

    @Override
    public void captureColdStartMetric(DimensionSet dimensions) {}

    @Override
    public void flushMetrics(Consumer<Metrics> metricsConsumer) {
        throw new UnsupportedOperationException("the cleaner publishes through addMetric and flush only");
    }
}
