package io.conveyor.api;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The workflow boundary for API tests, with Step Functions' start semantics: a name starts one execution,
 * a repeat with the same input starts nothing, a repeat with another input is refused. Whole jobs through the
 * real engine are the local runtime's scenario tests.
 */
final class RecordingLauncher implements WorkflowLauncher {
    final Map<String, String> executions = new ConcurrentHashMap<>();
    final List<String> starts = new CopyOnWriteArrayList<>();
    final List<String> stops = new CopyOnWriteArrayList<>();
    volatile boolean unavailable;

    @Override
    public void start(String program, String executionName, String jobId, int dependencies) {
        if (unavailable) {
            throw new IllegalStateException("Unable to reach arn:aws:states:us-east-1:123456789012:stateMachine:Jobs");
        }
        starts.add(executionName);
        String previous = executions.putIfAbsent(executionName, jobId);
        if (previous != null && !previous.equals(jobId)) {
            throw new IllegalStateException("ExecutionAlreadyExists: " + executionName);
        }
    }

    @Override
    public void stop(String program, String executionName, String cause) {
        stops.add(executionName);
    }
}
