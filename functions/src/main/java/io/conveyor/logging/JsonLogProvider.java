package io.conveyor.logging;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.Logger;
import org.slf4j.event.Level;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * The functions' SLF4J backend on Lambda: every log event is one JSON object on one line of standard output
 * ({@link JsonLogger}). With the function's log format set to JSON, Lambda reads the {@code level} field to apply
 * the function's application log level, and CloudWatch Logs Insights can query every field. It replaces Log4j with
 * a JSON template layout, which cost about a second of every cold start and 3 MB of the package.
 *
 * <p>Only the Lambda jar and the functions' tests register it (META-INF/services); the local runtime, which runs
 * the same handlers in its own JVM, keeps its own human-readable backend.
 *
 * <p>Levels: Conveyor's own loggers ({@code io.conveyor.*}) log from the function's application log level, which
 * Lambda passes in {@code AWS_LAMBDA_LOG_LEVEL} (default INFO); libraries (the SDK) log warnings and errors only.
 */
public final class JsonLogProvider implements SLF4JServiceProvider {
    static final String OWN_LOGGERS = "io.conveyor.";

    private final Map<String, Logger> loggers = new ConcurrentHashMap<>();
    private final ILoggerFactory factory = name -> loggers.computeIfAbsent(name, this::newLogger);
    private final IMarkerFactory markers = new BasicMarkerFactory();
    private final ThreadLocalMdc mdc = new ThreadLocalMdc();
    private Level ownLevel = Level.INFO;
    private String service;

    @Override
    public void initialize() {
        ownLevel = levelNamed(System.getenv("AWS_LAMBDA_LOG_LEVEL"));
        service = System.getenv("POWERTOOLS_SERVICE_NAME");
    }

    @Override
    public ILoggerFactory getLoggerFactory() {
        return factory;
    }

    private Logger newLogger(String name) {
        return new JsonLogger(name, thresholdOf(name), service, mdc);
    }

    @Override
    public IMarkerFactory getMarkerFactory() {
        return markers;
    }

    @Override
    public MDCAdapter getMDCAdapter() {
        return mdc;
    }

    @Override
    public String getRequestedApiVersion() {
        return "2.0.99";
    }

    private Level thresholdOf(String loggerName) {
        if (loggerName.startsWith(OWN_LOGGERS)) {
            return ownLevel;
        }
        // A smaller int is more verbose: a library never logs below WARN, nor below the function's own level.
        return ownLevel.toInt() > Level.WARN.toInt() ? ownLevel : Level.WARN;
    }

    /** Lambda's application log levels are TRACE, DEBUG, INFO, WARN, ERROR and FATAL; SLF4J has no FATAL. */
    static Level levelNamed(String name) {
        if (name == null || name.isBlank()) {
            return Level.INFO;
        }
        String upper = name.trim().toUpperCase(Locale.ROOT);
        return upper.equals("FATAL") ? Level.ERROR : Level.valueOf(upper);
    }
}
