package io.conveyor.local.runtime.lambda;

import io.conveyor.metrics.EmbeddedMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the functions' metrics go locally. On Lambda they are embedded-metric-format lines on the function's
 * standard output, which is its log; here standard output is the runtime's console, so each line goes to the log
 * {@code conveyor.metrics} at DEBUG instead.
 */
public final class LocalMetrics {
    private static final Logger LOG = LoggerFactory.getLogger("conveyor.metrics");

    private LocalMetrics() {}

    /** Routes the EMF lines of every function in this JVM to the local log. */
    public static void install() {
        EmbeddedMetrics.redirect(LOG::debug);
    }
}
