package io.conveyor.asl.engine;

import java.util.Map;

/**
 * Hears of each action an execution takes on AWS, as IAM would authorise it against its state machine's role: the
 * Task states' calls ({@code lambda:InvokeFunction} on the function), a Distributed Map's reads and writes of S3
 * ({@code s3:GetObject}, {@code s3:ListBucket}, {@code s3:PutObject}) and its child executions
 * ({@code states:StartExecution} on the state machine, {@code states:DescribeExecution} and
 * {@code states:StopExecution} on the children). A child execution acts under its parent's role, so
 * {@code stateMachineArn} is always a top-level state machine's. Called on the engine's threads: return quickly.
 */
@FunctionalInterface
public interface AwsActionListener {
  /** Nobody listens. */
  AwsActionListener NONE = (stateMachineArn, action, resourceArn, conditionKeys) -> { };

  /**
   * @param stateMachineArn the state machine whose role is asked
   * @param action the IAM action, {@code service:Operation}
   * @param resourceArn the resource IAM evaluates, or {@code *} for an action on no resource the engine can name
   * @param conditionKeys the request's values of the condition keys the action supports (such as {@code s3:prefix})
   */
  void acted(String stateMachineArn, String action, String resourceArn, Map<String, String> conditionKeys);

  /**
   * The top-level state machine whose role an execution or state machine ARN acts under: a Distributed Map's children
   * ({@code execution:<machine>/<map label>:<name>}) act under their parent's.
   */
  static String roleStateMachine(String arn) {
    String[] parts = arn.split(":", 8);
    if (parts.length < 7) {
      throw new IllegalArgumentException("not a state machine or execution ARN: " + arn);
    }
    String name = parts[6];
    int child = name.indexOf('/');
    return String.join(":", parts[0], parts[1], parts[2], parts[3], parts[4], "stateMachine",
        child < 0 ? name : name.substring(0, child));
  }
}
