package io.conveyor.admission;

/**
 * Resumes workflows parked on a task token. Resuming a task that already ended (its execution was stopped, it timed
 * out, or someone resumed it first) is not an error: it is logged and answered {@code false}, so every wake-up may
 * be repeated, and a caller that must know (an external worker's late answer) can tell.
 */
public interface TaskCallbacks {

    /** Resumes the task with {@code outputJson} as its result; false when no task waited for the token. */
    boolean succeed(String taskToken, String outputJson);

    /** Fails the task with {@code error} and {@code cause}, which its Retry and Catch see; false when no task waited. */
    boolean fail(String taskToken, String error, String cause);

    /** Restarts the task's heartbeat timeout (SendTaskHeartbeat); false when no task waits for the token any more. */
    boolean heartbeat(String taskToken);
}
