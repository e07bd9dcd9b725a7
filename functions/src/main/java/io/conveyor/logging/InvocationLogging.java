package io.conveyor.logging;

import com.amazonaws.services.lambda.runtime.Context;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.MDC;

/**
 * Puts the invocation's Lambda context into SLF4J's diagnostic context for as long as a handler runs, so every line
 * it logs carries the request id, the function and whether this was the execution environment's first invocation,
 * under the names Powertools used. Works with any SLF4J backend: the Lambda jar's {@link JsonLogProvider} writes the
 * fields into each JSON line; the local runtime's backend may ignore them.
 */
public final class InvocationLogging {
    static final String REQUEST_ID = "function_request_id";
    private static final String FUNCTION_NAME = "function_name";
    private static final String FUNCTION_VERSION = "function_version";
    private static final String FUNCTION_ARN = "function_arn";
    private static final String FUNCTION_MEMORY_SIZE = "function_memory_size";
    private static final String COLD_START = "cold_start";
    private static final String TRACE_ID = "xray_trace_id";
    private static final List<String> KEYS = List.of(REQUEST_ID, FUNCTION_NAME, FUNCTION_VERSION, FUNCTION_ARN,
            FUNCTION_MEMORY_SIZE, COLD_START, TRACE_ID);

    private static final AtomicBoolean COLD = new AtomicBoolean(true);

    private InvocationLogging() {}

    /** Runs {@code invocation} with the context's fields in every log line, and removes them afterwards. */
    public static <T> T withContext(Context context, Supplier<T> invocation) {
        MDC.put(REQUEST_ID, context.getAwsRequestId());
        MDC.put(FUNCTION_NAME, context.getFunctionName());
        MDC.put(FUNCTION_VERSION, context.getFunctionVersion());
        MDC.put(FUNCTION_ARN, context.getInvokedFunctionArn());
        MDC.put(FUNCTION_MEMORY_SIZE, Integer.toString(context.getMemoryLimitInMB()));
        MDC.put(COLD_START, Boolean.toString(COLD.getAndSet(false)));
        // Lambda's runtime sets this per invocation when X-Ray tracing is on.
        String trace = System.getProperty("com.amazonaws.xray.traceHeader");
        if (trace != null) {
            MDC.put(TRACE_ID, trace);
        }
        try {
            return invocation.get();
        } finally {
            KEYS.forEach(MDC::remove);
        }
    }
}
