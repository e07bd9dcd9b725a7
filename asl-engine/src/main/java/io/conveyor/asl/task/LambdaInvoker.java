package io.conveyor.asl.task;

/**
 * Invokes a Lambda function synchronously (RequestResponse). Pluggable so a local runtime can call Java handlers
 * in-process; {@link SdkLambdaInvoker} calls the Lambda API.
 *
 * <p>Implementations may block; the engine calls them on its own I/O threads. They must be thread-safe.
 */
public interface LambdaInvoker {

  /**
   * @param functionName a function name, partial or full ARN, as given in the state machine
   * @param payload the request payload, JSON text
   * @return the function's response; a function error is a response with {@code functionError} set, not an exception
   * @throws LambdaServiceException when the Lambda service itself refuses the call (no such function, throttling)
   */
  LambdaResponse invoke(String functionName, String payload);

  /**
   * A Lambda response.
   *
   * @param payload the response payload, JSON text (for a function error, the error document)
   * @param functionError null on success, else "Unhandled" or "Handled"
   * @param executedVersion the version that ran, e.g. {@code $LATEST}
   */
  record LambdaResponse(String payload, String functionError, String executedVersion) {
    public static LambdaResponse ok(String payload) {
      return new LambdaResponse(payload, null, "$LATEST");
    }

    public static LambdaResponse error(String errorPayload) {
      return new LambdaResponse(errorPayload, "Unhandled", "$LATEST");
    }
  }

  /** The Lambda service refused the call; Step Functions reports {@code Lambda.<errorCode>}. */
  final class LambdaServiceException extends RuntimeException {
    private final String errorCode;

    public LambdaServiceException(String errorCode, String message) {
      super(message);
      this.errorCode = errorCode;
    }

    public String errorCode() {
      return errorCode;
    }
  }
}
