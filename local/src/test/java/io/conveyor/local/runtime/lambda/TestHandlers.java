package io.conveyor.local.runtime.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import io.conveyor.config.FunctionEnvironment;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/** Handler classes the tests deploy, each showing one thing Lambda's Java runtime does. */
public final class TestHandlers {
    private TestHandlers() {}

    /** Returns what its context says, and the environment it was built with and runs with. */
    public static final class ContextHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {
        private final String builtWith = FunctionEnvironment.get("GREETING");

        @Override
        public Map<String, Object> handleRequest(Map<String, Object> input, Context context) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("input", input);
            out.put("remainingMillis", context.getRemainingTimeInMillis());
            out.put("memoryMb", context.getMemoryLimitInMB());
            out.put("functionName", context.getFunctionName());
            out.put("functionArn", context.getInvokedFunctionArn());
            out.put("requestId", context.getAwsRequestId());
            out.put("logGroup", context.getLogGroupName());
            out.put("builtWith", builtWith);
            out.put("runsWith", FunctionEnvironment.get("GREETING"));
            context.getLogger().log("context handler ran");
            return out;
        }
    }

    /** Blocks until interrupted (a timeout) and counts the instances built. */
    public static final class SleepingHandler implements RequestHandler<Map<String, Object>, String> {
        static final AtomicInteger INTERRUPTED = new AtomicInteger();

        @Override
        public String handleRequest(Map<String, Object> input, Context context) {
            if (Boolean.TRUE.equals(input.get("quick"))) {
                return "done";
            }
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                INTERRUPTED.incrementAndGet();
                Thread.currentThread().interrupt();
            }
            return "woke";
        }
    }

    /** Holds every invocation until the test opens {@link #GATE}; {@link #ENTERED} counts those that got in. */
    public static final class GatedHandler implements RequestHandler<Map<String, Object>, String> {
        static volatile CountDownLatch GATE = new CountDownLatch(1);
        static final AtomicInteger ENTERED = new AtomicInteger();

        @Override
        public String handleRequest(Map<String, Object> input, Context context) {
            ENTERED.incrementAndGet();
            try {
                GATE.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return "through";
        }
    }

    /** Throws an exception with a cause. */
    public static final class FailingHandler implements RequestHandler<Map<String, Object>, String> {
        @Override
        public String handleRequest(Map<String, Object> input, Context context) {
            throw new IllegalStateException("the input was " + input.get("what"),
                    new java.io.UncheckedIOException(new java.io.IOException("disk on fire")));
        }
    }

    /** A custom exception type: Step Functions matches it by its fully qualified name. */
    public static final class Declined extends RuntimeException {
        public Declined(String message) {
            super(message);
        }
    }

    /** Throws {@link Declined}. */
    public static final class DecliningHandler implements RequestHandler<Map<String, Object>, String> {
        @Override
        public String handleRequest(Map<String, Object> input, Context context) {
            throw new Declined("not now");
        }
    }

    /** Fails in its constructor, as a handler with a bad configuration does. */
    public static final class BrokenConstructorHandler implements RequestHandler<Map<String, Object>, String> {
        public BrokenConstructorHandler() {
            throw new IllegalArgumentException("CONVEYOR_BUCKET is not set");
        }

        @Override
        public String handleRequest(Map<String, Object> input, Context context) {
            return "unreachable";
        }
    }

    /** Reads a ScheduledEvent (Joda time, hyphenated names) and returns a record. */
    public static final class ScheduledHandler implements RequestHandler<ScheduledEvent, ScheduledHandler.Seen> {
        public static final AtomicInteger RUNS = new AtomicInteger();

        public record Seen(String detailType, String source, long epochMillis, String resource, int run) {}

        @Override
        public Seen handleRequest(ScheduledEvent event, Context context) {
            return new Seen(event.getDetailType(), event.getSource(), event.getTime().getMillis(),
                    event.getResources().get(0), RUNS.incrementAndGet());
        }
    }

    /** Echoes its raw input as the body of an API Gateway proxy response. */
    public static final class EchoEventHandler implements RequestStreamHandler {
        @Override
        public void handleRequest(InputStream input, OutputStream output, Context context) throws java.io.IOException {
            var json = new com.fasterxml.jackson.databind.ObjectMapper();
            var response = json.createObjectNode();
            response.put("statusCode", 200);
            response.putObject("headers").put("Content-Type", "application/json").put("X-Echo", "yes");
            response.putObject("multiValueHeaders").putArray("Set-Cookie").add("a=1").add("b=2");
            response.put("body", new String(input.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
            output.write(json.writeValueAsBytes(response));
        }
    }

    /** Returns something that is not a proxy response. */
    public static final class MalformedProxyHandler implements RequestHandler<Map<String, Object>, String> {
        @Override
        public String handleRequest(Map<String, Object> input, Context context) {
            return "hello";
        }
    }
}
