package io.conveyor.asl.engine;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The Task states' calls, each told to an {@link AwsActionListener} as the action the execution's role must allow
 * before it is carried out: a Lambda function's ARN as Resource, or the {@code lambda:invoke} integration, is
 * {@code lambda:InvokeFunction} on the function it names. Any other integration ({@code arn:aws:states:::<service>:<api>},
 * {@code aws-sdk:<service>:<api>}) is told as its service's action on {@code *}: its resource is named in
 * service-specific parameters this engine does not interpret for IAM.
 */
final class ObservedTasks implements TaskExecutor {
  private static final String INTEGRATION = "arn:aws:states:::";
  private final TaskExecutor tasks;
  private final AwsActionListener actions;
  /** {@code arn:aws:lambda:<region>:<account>:function:}, for a function given by name, as Lambda resolves it. */
  private final String functionArnPrefix;

  ObservedTasks(TaskExecutor tasks, AwsActionListener actions, String region, String account) {
    this.tasks = tasks;
    this.actions = actions;
    this.functionArnPrefix = "arn:aws:lambda:" + region + ":" + account + ":function:";
  }

  @Override
  public CompletableFuture<JsonNode> execute(TaskRequest request) {
    String role = AwsActionListener.roleStateMachine(request.executionArn());
    String resource = request.resource();
    if (resource.startsWith("arn:aws:lambda:")) {
      actions.acted(role, "lambda:InvokeFunction", resource, Map.of());
    } else if (resource.startsWith(INTEGRATION)) {
      String api = resource.substring(INTEGRATION.length()).replaceFirst("\\.(sync(:2)?|waitForTaskToken)$", "");
      if (api.equals("lambda:invoke")) {
        String function = request.parameters().path("FunctionName").asText();
        actions.acted(role, "lambda:InvokeFunction", function.startsWith("arn:") ? function : functionArnPrefix + function,
            Map.of());
      } else {
        String[] parts = api.startsWith("aws-sdk:") ? api.substring("aws-sdk:".length()).split(":", 2) : api.split(":", 2);
        String operation = parts.length < 2 || parts[1].isEmpty() ? "" : Character.toUpperCase(parts[1].charAt(0)) + parts[1].substring(1);
        actions.acted(role, parts[0] + ":" + operation, "*", Map.of());
      }
    }
    return tasks.execute(request);
  }
}
