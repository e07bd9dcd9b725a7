package io.conveyor.local.benchmark;

import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Times every SDK call made in this JVM while recording is on, for {@link LocalRuntimeBenchmark}'s timeline: when
 * the call started, when its request went on the wire, when its response came back and when the call ended. Loaded
 * by the SDK as a global interceptor (the test class path's {@code execution.interceptors}), so every client of
 * every function and of the engine is timed without changing how it is built; it records nothing unless turned on.
 */
public final class SdkCallTimeline implements ExecutionInterceptor {
    /** One call: nanoTime instants; {@code sent} and {@code received} bracket the HTTP exchange. */
    public record Call(String thread, String service, String operation, long start, long sent, long received, long end) {
    }

    private static final ExecutionAttribute<long[]> TIMES = new ExecutionAttribute<>("conveyor.timeline");
    private static final List<Call> CALLS = new ArrayList<>();
    private static volatile boolean recording;

    /** Starts recording, forgetting what was recorded before. */
    public static synchronized void start() {
        CALLS.clear();
        recording = true;
    }

    /** Stops recording and returns the calls, in the order they ended. */
    public static synchronized List<Call> stop() {
        recording = false;
        return List.copyOf(CALLS);
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        if (recording) {
            long[] times = new long[3];
            times[0] = System.nanoTime();
            attributes.putAttribute(TIMES, times);
        }
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        long[] times = attributes.getAttribute(TIMES);
        if (times != null) {
            times[1] = System.nanoTime();
        }
    }

    @Override
    public void afterTransmission(Context.AfterTransmission context, ExecutionAttributes attributes) {
        long[] times = attributes.getAttribute(TIMES);
        if (times != null) {
            times[2] = System.nanoTime();
        }
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        record(attributes);
    }

    @Override
    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
        record(attributes);
    }

    private static void record(ExecutionAttributes attributes) {
        long[] times = attributes.getAttribute(TIMES);
        if (times == null) {
            return;
        }
        long end = System.nanoTime();
        synchronized (SdkCallTimeline.class) {
            if (recording) {
                CALLS.add(new Call(Thread.currentThread().getName(),
                        attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME),
                        attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME), times[0], times[1], times[2], end));
            }
        }
    }
}
