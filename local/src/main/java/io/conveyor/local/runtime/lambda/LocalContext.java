package io.conveyor.local.runtime.lambda;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Lambda {@link Context} of one in-process invocation: the function's name, ARN, memory and log names as Lambda
 * gives them, and the time left before its timeout, counted from the start of the invocation on the JVM's monotonic
 * clock. Its {@link LambdaLogger} writes to the runtime's log under the function's name.
 */
final class LocalContext implements Context {
    private final String requestId;
    private final String functionName;
    private final String functionArn;
    private final int memoryMb;
    private final long deadlineNanos;
    private final String logStreamName;
    private final LambdaLogger logger;

    LocalContext(String requestId, String functionName, String functionArn, int memoryMb, long deadlineNanos,
            String logStreamName) {
        this.requestId = requestId;
        this.functionName = functionName;
        this.functionArn = functionArn;
        this.memoryMb = memoryMb;
        this.deadlineNanos = deadlineNanos;
        this.logStreamName = logStreamName;
        this.logger = new Slf4jLambdaLogger(LoggerFactory.getLogger("lambda." + functionName));
    }

    @Override
    public String getAwsRequestId() {
        return requestId;
    }

    @Override
    public String getLogGroupName() {
        return "/aws/lambda/" + functionName;
    }

    @Override
    public String getLogStreamName() {
        return logStreamName;
    }

    @Override
    public String getFunctionName() {
        return functionName;
    }

    @Override
    public String getFunctionVersion() {
        return "$LATEST";
    }

    @Override
    public String getInvokedFunctionArn() {
        return functionArn;
    }

    @Override
    public CognitoIdentity getIdentity() {
        return null;
    }

    @Override
    public ClientContext getClientContext() {
        return null;
    }

    /** Milliseconds left before the timeout; 0 once it has passed. */
    @Override
    public int getRemainingTimeInMillis() {
        long left = (deadlineNanos - System.nanoTime()) / 1_000_000L;
        return (int) Math.max(0, Math.min(Integer.MAX_VALUE, left));
    }

    @Override
    public int getMemoryLimitInMB() {
        return memoryMb;
    }

    @Override
    public LambdaLogger getLogger() {
        return logger;
    }

    /** {@code context.getLogger()} lines go to the runtime's log, one event per call, as CloudWatch shows them. */
    private record Slf4jLambdaLogger(Logger log) implements LambdaLogger {
        @Override
        public void log(String message) {
            log.info(message == null ? "null" : message.stripTrailing());
        }

        @Override
        public void log(byte[] message) {
            log(new String(message, StandardCharsets.UTF_8));
        }
    }
}
