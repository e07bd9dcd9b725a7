package io.conveyor.local.runtime.lambda;

import io.conveyor.deployment.Catalogue;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.cloudwatchlogs.emf.environment.Environment;
import software.amazon.cloudwatchlogs.emf.environment.EnvironmentProvider;
import software.amazon.cloudwatchlogs.emf.model.MetricsContext;
import software.amazon.cloudwatchlogs.emf.sinks.ISink;
import software.amazon.lambda.powertools.metrics.MetricsFactory;
import software.amazon.lambda.powertools.metrics.internal.EmfMetricsLogger;

/**
 * Where the functions' Powertools metrics go locally. On Lambda they are embedded-metric-format lines in the
 * function's log; outside Lambda the EMF library would look for EC2 metadata and a CloudWatch agent on a TCP port.
 * Locally each metric line goes to the log {@code conveyor.metrics} at DEBUG instead.
 */
public final class LocalMetrics {
    private static final Logger LOG = LoggerFactory.getLogger("conveyor.metrics");

    private LocalMetrics() {}

    /** Routes every Powertools {@code Metrics} built from now on to the local log. Call before handlers are built. */
    public static void install() {
        EnvironmentProvider local = new EnvironmentProvider() {
            @Override
            public CompletableFuture<Environment> resolveEnvironment() {
                return CompletableFuture.completedFuture(ENVIRONMENT);
            }

            @Override
            public Environment getDefaultEnvironment() {
                return ENVIRONMENT;
            }
        };
        MetricsFactory.setMetricsProvider(() -> {
            EmfMetricsLogger metrics = new EmfMetricsLogger(local, new MetricsContext());
            // On Lambda, Powertools reads POWERTOOLS_METRICS_NAMESPACE from the process environment, which
            // in-process functions cannot set; every function of the catalogue uses the same namespace.
            metrics.setNamespace(Catalogue.METRICS_NAMESPACE);
            return metrics;
        });
    }

    private static final ISink SINK = new ISink() {
        @Override
        public void accept(MetricsContext context) {
            if (LOG.isDebugEnabled()) {
                try {
                    context.serialize().forEach(LOG::debug);
                } catch (Exception e) {
                    LOG.debug("a metric could not be serialised: {}", e.toString());
                }
            }
        }

        @Override
        public CompletableFuture<Void> shutdown() {
            return CompletableFuture.completedFuture(null);
        }
    };

    private static final Environment ENVIRONMENT = new Environment() {
        @Override
        public boolean probe() {
            return true;
        }

        @Override
        public String getName() {
            return "conveyor-local";
        }

        @Override
        public String getType() {
            return "Local";
        }

        @Override
        public String getLogGroupName() {
            return "conveyor-local";
        }

        @Override
        public void configureContext(MetricsContext context) {
            // Nothing to add: no host or task metadata locally.
        }

        @Override
        public ISink getSink() {
            return SINK;
        }
    };
}
