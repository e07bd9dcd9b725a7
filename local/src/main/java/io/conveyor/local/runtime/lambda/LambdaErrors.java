package io.conveyor.local.runtime.lambda;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.Locale;

/**
 * Error documents in the shape Lambda returns them: an unhandled exception as the Java runtime reports it
 * ({@code errorMessage}, {@code errorType} = the exception's fully qualified class name, {@code stackTrace} as
 * {@code class.method(File.java:line)} lines, {@code cause} nested), and a timeout as the current runtimes report it.
 */
public final class LambdaErrors {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Frames from the call into the handler down belong to the runtime, not the function; Lambda shows the function's. */
    private static final String ADAPTER = HandlerAdapter.class.getName();
    /** The error type Lambda's current runtimes give a timed-out invocation; Step Functions reports it as the error. */
    public static final String TIMEOUT_ERROR_TYPE = "Sandbox.Timedout";

    private LambdaErrors() {}

    /** The error document of an exception a handler threw (or its constructor). */
    public static ObjectNode unhandled(Throwable error) {
        ObjectNode doc = JSON.createObjectNode();
        if (error.getMessage() != null) {
            doc.put("errorMessage", error.getMessage());
        }
        doc.put("errorType", error.getClass().getName());
        ArrayNode trace = doc.putArray("stackTrace");
        for (StackTraceElement frame : error.getStackTrace()) {
            String type = frame.getClassName();
            if (type.equals(ADAPTER) || type.startsWith("jdk.internal.reflect.") || type.startsWith("java.lang.reflect.")) {
                break;
            }
            trace.add(frame(frame));
        }
        Throwable cause = error.getCause();
        if (cause != null && cause != error) {
            doc.set("cause", unhandled(cause));
        }
        return doc;
    }

    /**
     * The error document of an invocation stopped at its timeout: {@code errorType} {@value #TIMEOUT_ERROR_TYPE},
     * {@code errorMessage} "RequestId: &lt;id&gt; Error: Task timed out after 3.00 seconds".
     */
    public static ObjectNode timeout(String requestId, Duration timeout) {
        ObjectNode doc = JSON.createObjectNode();
        doc.put("errorType", TIMEOUT_ERROR_TYPE);
        doc.put("errorMessage", "RequestId: " + requestId + " Error: Task timed out after "
                + String.format(Locale.ROOT, "%.2f", timeout.toMillis() / 1000.0) + " seconds");
        return doc;
    }

    /** The error document of a payload the runtime could not turn into the handler's input type. */
    public static ObjectNode badInput(Throwable error) {
        ObjectNode doc = unhandled(error);
        doc.put("errorMessage", "An error occurred during JSON parsing");
        doc.put("errorType", "java.lang.RuntimeException");
        return doc;
    }

    /** The error document of a handler class that is not on the class path, as Lambda's Java runtime words it. */
    public static ObjectNode classNotFound(String handlerClass) {
        ObjectNode doc = JSON.createObjectNode();
        doc.put("errorMessage", "Class not found: " + handlerClass);
        doc.put("errorType", "java.lang.ClassNotFoundException");
        return doc;
    }

    private static String frame(StackTraceElement e) {
        String where = e.isNativeMethod() ? "Native Method"
                : e.getFileName() == null ? "Unknown Source"
                : e.getLineNumber() >= 0 ? e.getFileName() + ":" + e.getLineNumber() : e.getFileName();
        return e.getClassName() + "." + e.getMethodName() + "(" + where + ")";
    }
}
