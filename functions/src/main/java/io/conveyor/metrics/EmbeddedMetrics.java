package io.conveyor.metrics;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conveyor.persistence.StoredJson;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CloudWatch metrics in the embedded metric format (EMF): each call writes one JSON line to the function's log,
 * and CloudWatch Logs extracts the metrics from it. No API call, so publishing a metric cannot slow down or fail a
 * request. Thread-safe.
 *
 * @see <a href="https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html">the specification</a>
 */
public final class EmbeddedMetrics {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedMetrics.class);
    /** The units the functions publish, spelled as CloudWatch spells them. */
    public enum Unit {
        COUNT("Count"),
        MILLISECONDS("Milliseconds"),
        /** A quantity CloudWatch has no unit for: dollars, GB-seconds, request units. */
        NONE("None");

        private final String cloudWatchName;

        Unit(String cloudWatchName) {
            this.cloudWatchName = cloudWatchName;
        }
    }

    /** One data point of one metric. */
    public record Value(String name, double value, Unit unit) {
        public Value {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(unit, "unit");
        }
    }

    /**
     * Where {@link #standardOutput} lines go: the process's standard output (looked up per line, as a test may
     * replace it) unless {@link #redirect} changed it.
     */
    private static volatile Consumer<String> processDestination = line -> System.out.println(line);

    private final String namespace;
    private final Clock clock;
    private final Consumer<String> destination;

    /**
     * @param destination receives each EMF line, without its line break
     */
    public EmbeddedMetrics(String namespace, Clock clock, Consumer<String> destination) {
        this.namespace = Objects.requireNonNull(namespace, "namespace");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.destination = Objects.requireNonNull(destination, "destination");
    }

    /** Metrics in {@code namespace} written to standard output: on Lambda, the function's log stream. */
    public static EmbeddedMetrics standardOutput(String namespace) {
        return new EmbeddedMetrics(namespace, Clock.systemUTC(), line -> processDestination.accept(line));
    }

    /**
     * Sends the lines of every {@link #standardOutput} instance, existing or future, to {@code destination}: the
     * local runtime runs the functions in its own JVM, where standard output is its console.
     */
    public static void redirect(Consumer<String> destination) {
        processDestination = Objects.requireNonNull(destination, "destination");
    }

    /**
     * The {@code Service} dimension of a function's metrics, its Powertools service name ({@code
     * POWERTOOLS_SERVICE_NAME}), which the stack's alarms watch. Absent, the data points still count, under a Service
     * the alarms do not watch: better than none.
     */
    public static Map<String, String> serviceDimension(String service) {
        return Map.of("Service", service == null || service.isBlank() ? "service_undefined" : service);
    }

    /**
     * {@link #put(List, Map)} for a scheduled run whose work is done and logged: a failure to publish is logged, not
     * thrown, as losing a data point must not fail the run.
     */
    public void putOrLog(List<Value> values, Map<String, String> dimensions) {
        try {
            put(values, dimensions);
        } catch (RuntimeException e) {
            LOG.warn("could not publish the metrics {}", values.stream().map(Value::name).toList(), e);
        }
    }

    /** Publishes one data point with these dimensions (name to value). */
    public void put(String name, double value, Unit unit, Map<String, String> dimensions) {
        put(List.of(new Value(name, value, unit)), dimensions);
    }

    /** Publishes several metrics that share their dimensions (name to value) as one line. */
    public void put(List<Value> values, Map<String, String> dimensions) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("an EMF line needs at least one metric");
        }
        ObjectNode line = StoredJson.MAPPER.createObjectNode();
        ObjectNode aws = line.putObject("_aws");
        aws.put("Timestamp", clock.millis());
        ObjectNode directive = aws.putArray("CloudWatchMetrics").addObject();
        directive.put("Namespace", namespace);
        ArrayNode definitions = directive.putArray("Metrics");
        ArrayNode dimensionKeys = directive.putArray("Dimensions").addArray();
        dimensions.forEach((key, value) -> {
            dimensionKeys.add(key);
            line.put(key, value);
        });
        for (Value value : values) {
            // Dimensions and metrics share the line's top level: a clash would silently publish the wrong thing.
            if (line.has(value.name())) {
                throw new IllegalArgumentException("'" + value.name() + "' is named twice in one EMF line");
            }
            definitions.addObject().put("Name", value.name()).put("Unit", value.unit().cloudWatchName);
            line.put(value.name(), value.value());
        }
        destination.accept(line.toString());
    }
}
