package io.conveyor.workflow;

import io.conveyor.admission.TaskCallbacks;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The Step Functions callback boundary for component tests, with its semantics: a token resumes once; a later
 * success or failure for the same token is ignored, as Step Functions answers TaskTimedOut to it.
 */
public final class RecordingCallbacks implements TaskCallbacks {
    /** How a token was resumed. */
    public record Outcome(boolean succeeded, String output, String error, String cause) {}

    public final Map<String, Outcome> outcomes = new ConcurrentHashMap<>();
    public final List<String> ignored = new CopyOnWriteArrayList<>();

    @Override
    public boolean succeed(String taskToken, String outputJson) {
        if (outcomes.putIfAbsent(taskToken, new Outcome(true, outputJson, null, null)) != null) {
            ignored.add(taskToken);
            return false;
        }
        return true;
    }

    @Override
    public boolean fail(String taskToken, String error, String cause) {
        if (outcomes.putIfAbsent(taskToken, new Outcome(false, null, error, cause)) != null) {
            ignored.add(taskToken);
            return false;
        }
        return true;
    }

    /** A heartbeat reaches a task until it has been resumed. */
    @Override
    public boolean heartbeat(String taskToken) {
        return !outcomes.containsKey(taskToken);
    }
}
