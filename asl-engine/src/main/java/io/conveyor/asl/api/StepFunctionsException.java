package io.conveyor.asl.api;

/** A Step Functions API error: AWS's error code (the {@code __type}) and message, sent with HTTP 400. */
public final class StepFunctionsException extends RuntimeException {
  private final String type;
  private final int status;

  public StepFunctionsException(String type, String message) {
    this(type, message, 400);
  }

  public StepFunctionsException(String type, String message, int status) {
    super(message);
    this.type = type;
    this.status = status;
  }

  public String type() {
    return type;
  }

  public int status() {
    return status;
  }
}
