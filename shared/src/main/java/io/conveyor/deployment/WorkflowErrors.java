package io.conveyor.deployment;

import io.conveyor.persistence.StoredJson;
import io.conveyor.programs.ResultRejectedException;
import io.conveyor.programs.SubJobDeclinedException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The error names the job workflow retries on, defined here only: the catalogue renders them into the workflow's
 * definition ({@link #SUBSTITUTIONS}), and the functions that throw or read them take them from here. A Java Lambda
 * function's error name is the class name of the exception it throws, so the names of the program's exceptions are
 * taken from the classes themselves: renaming one renames what the definition retries on.
 */
public final class WorkflowErrors {
    private WorkflowErrors() {}

    /** Lambda's transient failures to run an invocation (throttling, its service errors): every task retries them. */
    public static final List<String> LAMBDA_TRANSIENT = List.of("Lambda.ServiceException", "Lambda.AWSLambdaException",
            "Lambda.SdkClientException", "Lambda.TooManyRequestsException");

    /** A subjob the worker cannot take now (or whose job data could not be read or written): worth another try. */
    public static final String SUBJOB_DECLINED = SubJobDeclinedException.class.getName();

    /** A result the worker rejected by its own check: worth another try. */
    public static final String RESULT_REJECTED = ResultRejectedException.class.getName();

    /** The batch ran past its time limit ({@code TimeoutSecondsPath}). */
    public static final String TIMEOUT = "States.Timeout";

    /**
     * What RunSubJob's Retry runs a batch again for, with the program's backoff: the two program errors worth another
     * try, the batch's timeout, and Lambda's transient failures.
     */
    public static final List<String> SUBJOB_RETRIED = Stream.concat(Stream.of(SUBJOB_DECLINED, RESULT_REJECTED, TIMEOUT),
            LAMBDA_TRANSIENT.stream()).toList();

    /** An external worker stopped heartbeating a subjob it held (dead, or cut off): the subjob is offered again. */
    public static final String HEARTBEAT_TIMEOUT = "States.HeartbeatTimeout";

    /** An external worker failed a subjob and said another try may succeed. */
    public static final String WORKER_RETRYABLE_FAILURE = "Worker.RetryableFailure";

    /** An external worker failed a subjob for good. */
    public static final String WORKER_FAILED = "Worker.Failed";

    /**
     * What RunOnExternalWorker's Retry offers a subjob again for, with the program's backoff: what RunSubJob retries
     * (a decline among them), a worker's missed heartbeat and a worker's retryable failure.
     */
    public static final List<String> EXTERNAL_SUBJOB_RETRIED = Stream.concat(SUBJOB_RETRIED.stream(),
            Stream.of(HEARTBEAT_TIMEOUT, WORKER_RETRYABLE_FAILURE)).toList();

    /**
     * The definition's {@code ${...}} substitutions these names fill, the same for every program:
     * {@code ${LambdaErrorsRetry}}, the Retry list of every task but RunSubJob (Lambda's transient failures, four
     * more tries within about 15 seconds), {@code ${SubJobRetryErrors}}, RunSubJob's {@code ErrorEquals}, and
     * {@code ${ExternalSubJobRetryErrors}}, RunOnExternalWorker's.
     */
    public static final Map<String, String> SUBSTITUTIONS = Map.of(
            "LambdaErrorsRetry", StoredJson.write(List.of(lambdaTransientRetry())),
            "SubJobRetryErrors", StoredJson.write(SUBJOB_RETRIED),
            "ExternalSubJobRetryErrors", StoredJson.write(EXTERNAL_SUBJOB_RETRIED));

    private static Map<String, Object> lambdaTransientRetry() {
        Map<String, Object> retrier = new LinkedHashMap<>();
        retrier.put("ErrorEquals", LAMBDA_TRANSIENT);
        retrier.put("IntervalSeconds", 1);
        retrier.put("BackoffRate", 2);
        retrier.put("MaxAttempts", 4);
        retrier.put("MaxDelaySeconds", 10);
        retrier.put("JitterStrategy", "FULL");
        return retrier;
    }
}
