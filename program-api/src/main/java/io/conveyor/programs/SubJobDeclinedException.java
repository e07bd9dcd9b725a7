package io.conveyor.programs;

/**
 * The worker cannot take the subjob now (a resource it needs is busy or throttled); trying again later may
 * succeed. The workflow retries it with the program's backoff (a subclass is retried as this class); its error name
 * is this class's name, or {@code SubJob.Declined} from a program written as a Lambda function in another language.
 */
public class SubJobDeclinedException extends RuntimeException {
    public SubJobDeclinedException(String message) {
        super(message);
    }
}
