package io.conveyor.asl.engine;

/**
 * A failure inside an execution, carrying the States Language error name and cause exactly as AWS reports them.
 *
 * <p>When {@link #stateScoped()} is true the cause is a state-level runtime message that AWS prefixes with
 * {@code "An error occurred while executing the state '<name>' (entered at the event id #<id>). "}; the
 * interpreter adds that prefix when it knows the state.
 */
public final class StatesError extends RuntimeException {

  public static final String ALL = "States.ALL";
  public static final String RUNTIME = "States.Runtime";
  public static final String TASK_FAILED = "States.TaskFailed";
  public static final String TIMEOUT = "States.Timeout";
  public static final String HEARTBEAT_TIMEOUT = "States.HeartbeatTimeout";
  public static final String DATA_LIMIT_EXCEEDED = "States.DataLimitExceeded";
  public static final String INTRINSIC_FAILURE = "States.IntrinsicFailure";
  public static final String QUERY_EVALUATION_ERROR = "States.QueryEvaluationError";
  public static final String RESULT_PATH_MATCH_FAILURE = "States.ResultPathMatchFailure";
  public static final String PARAMETER_PATH_FAILURE = "States.ParameterPathFailure";
  public static final String BRANCH_FAILED = "States.BranchFailed";
  public static final String NO_CHOICE_MATCHED = "States.NoChoiceMatched";
  public static final String EXCEEDED_TOLERATED_FAILURE_THRESHOLD = "States.ExceedToleratedFailureThreshold";
  public static final String ITEM_READER_FAILED = "States.ItemReaderFailed";
  public static final String RESULT_WRITER_FAILED = "States.ResultWriterFailed";
  public static final String PERMISSIONS = "States.Permissions";
  /** A stopped execution's states fail with it; it ends ABORTED (or as its timeout says), not FAILED. */
  public static final String ABORTED = "States.Aborted";

  private final String error;
  private final String errorCause;
  private final boolean stateScoped;

  public StatesError(String error, String cause) {
    this(error, cause, false);
  }

  private StatesError(String error, String cause, boolean stateScoped) {
    super(error + ": " + cause, null, false, false);
    this.error = error;
    this.errorCause = cause;
    this.stateScoped = stateScoped;
  }

  /** A state-level error whose cause AWS prefixes with the state name and entered event id. */
  public static StatesError inState(String error, String message) {
    return new StatesError(error, message, true);
  }

  public static StatesError runtime(String message) {
    return inState(RUNTIME, message);
  }

  public static StatesError queryEvaluation(String message) {
    return inState(QUERY_EVALUATION_ERROR, message);
  }

  public String error() {
    return error;
  }

  /** The cause, or null when AWS reports none. */
  public String errorCause() {
    return errorCause;
  }

  public boolean stateScoped() {
    return stateScoped;
  }

  /** This error with the AWS state prefix applied to its cause. */
  public StatesError withStatePrefix(String stateName, long enteredEventId) {
    if (!stateScoped) {
      return this;
    }
    return new StatesError(error, "An error occurred while executing the state '" + stateName
        + "' (entered at the event id #" + enteredEventId + "). " + errorCause, false);
  }
}
