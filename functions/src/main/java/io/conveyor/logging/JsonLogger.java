package io.conveyor.logging;

import com.fasterxml.jackson.core.JsonGenerator;
import io.conveyor.persistence.StoredJson;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.slf4j.Marker;
import org.slf4j.event.KeyValuePair;
import org.slf4j.event.Level;
import org.slf4j.event.LoggingEvent;
import org.slf4j.helpers.FormattingTuple;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;
import org.slf4j.spi.LoggingEventAware;

/**
 * Writes each event as one JSON object on one line of standard output, in the fields Powertools' Lambda layout
 * used, so existing Logs Insights queries keep working: {@code timestamp} (RFC 3339, UTC), {@code level},
 * {@code logger}, {@code message}, {@code service}, the diagnostic context ({@code function_request_id},
 * {@code jobId}, ...: see {@link InvocationLogging}), the key-value pairs of SLF4J's fluent API
 * ({@code LOG.atInfo().addKeyValue("jobId", id).log(...)}) and {@code error} ({@code name}, {@code message},
 * {@code stack}). A line is written with one call, so lines from concurrent threads never interleave.
 */
final class JsonLogger extends LegacyAbstractLogger implements LoggingEventAware {
    private static final long serialVersionUID = 1L;

    private final int threshold;
    private final String service;
    private final transient ThreadLocalMdc mdc;

    JsonLogger(String name, Level threshold, String service, ThreadLocalMdc mdc) {
        this.name = name;
        this.threshold = threshold.toInt();
        this.service = service;
        this.mdc = mdc;
    }

    @Override
    public boolean isTraceEnabled() {
        return threshold <= Level.TRACE.toInt();
    }

    @Override
    public boolean isDebugEnabled() {
        return threshold <= Level.DEBUG.toInt();
    }

    @Override
    public boolean isInfoEnabled() {
        return threshold <= Level.INFO.toInt();
    }

    @Override
    public boolean isWarnEnabled() {
        return threshold <= Level.WARN.toInt();
    }

    @Override
    public boolean isErrorEnabled() {
        return threshold <= Level.ERROR.toInt();
    }

    @Override
    protected String getFullyQualifiedCallerName() {
        return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(Level level, Marker marker, String pattern, Object[] arguments,
            Throwable throwable) {
        write(level, pattern, arguments, throwable, List.of());
    }

    /** The fluent API's events ({@code atInfo()...}), which carry key-value pairs. */
    @Override
    public void log(LoggingEvent event) {
        List<KeyValuePair> pairs = event.getKeyValuePairs() == null ? List.of() : event.getKeyValuePairs();
        write(event.getLevel(), event.getMessage(), event.getArgumentArray(), event.getThrowable(), pairs);
    }

    private void write(Level level, String pattern, Object[] arguments, Throwable throwable, List<KeyValuePair> pairs) {
        FormattingTuple formatted = MessageFormatter.arrayFormat(pattern, arguments);
        Throwable error = throwable != null ? throwable : formatted.getThrowable();
        StringWriter line = new StringWriter(256);
        try (JsonGenerator json = StoredJson.MAPPER.getFactory().createGenerator(line)) {
            json.writeStartObject();
            json.writeStringField("timestamp", Instant.now().toString());
            json.writeStringField("level", level.name());
            json.writeStringField("logger", name);
            json.writeStringField("message", formatted.getMessage());
            if (service != null) {
                json.writeStringField("service", service);
            }
            for (Map.Entry<String, String> entry : mdc.current().entrySet()) {
                json.writeStringField(entry.getKey(), entry.getValue());
            }
            for (KeyValuePair pair : pairs) {
                json.writeFieldName(pair.key);
                json.writeObject(pair.value);
            }
            if (error != null) {
                json.writeObjectFieldStart("error");
                json.writeStringField("name", error.getClass().getName());
                json.writeStringField("message", error.getMessage());
                json.writeStringField("stack", stackTrace(error));
                json.writeEndObject();
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        line.write('\n');
        // Looked up per line, not kept: a test may replace standard output to read the lines back.
        System.out.print(line);
    }

    private static String stackTrace(Throwable error) {
        StringWriter trace = new StringWriter();
        error.printStackTrace(new PrintWriter(trace));
        return trace.toString();
    }
}
