package io.conveyor.admission;

/**
 * Resumes workflows parked on a task token. Resuming a task that already ended (its execution was stopped, or
 * someone resumed it first) is not an error: it is logged and ignored, so every wake-up may be repeated.
 */
public interface TaskCallbacks {

    /** Resumes the task with {@code outputJson} as its result. */
    void succeed(String taskToken, String outputJson);

    /** Fails the task with {@code error} and {@code cause}, which its Catch (or the execution) sees. */
    void fail(String taskToken, String error, String cause);
}
