package io.conveyor.local.runtime.iam;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.conveyor.aws.AwsHttpService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How IAM authorises the calls the functions make without a generated client ({@link AwsHttpService}): Step Functions',
 * EventBridge's and Secrets Manager's JSON requests by their {@code X-Amz-Target}, Lambda's Invoke by its path.
 */
final class HttpServiceActions {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern INVOKE = Pattern.compile("/2015-03-31/functions/([^/?]+)/invocations(?:\\?Qualifier=([^&]+))?");
    /** The task-token callbacks: the Service Authorization Reference gives them no resource type. */
    private static final Set<String> CALLBACKS = Set.of("SendTaskSuccess", "SendTaskFailure", "SendTaskHeartbeat");

    private final Arns arns;

    HttpServiceActions(Arns arns) {
        this.arns = arns;
    }

    List<IamCall> of(AwsHttpService.Service service, String encodedPath, Map<String, String> headers, byte[] body) {
        if (service.equals(AwsHttpService.Service.LAMBDA)) {
            return List.of(invoke(encodedPath));
        }
        String target = headers.getOrDefault("X-Amz-Target", "");
        String operation = target.substring(target.indexOf('.') + 1);
        String call = service.name() + "." + operation;
        JsonNode request = parse(body);
        if (service.equals(AwsHttpService.Service.STEP_FUNCTIONS)) {
            String action = "states:" + operation;
            return switch (operation) {
                case "StartExecution" -> List.of(new IamCall(action, request.path("stateMachineArn").asText(), call));
                case "StopExecution", "DescribeExecution" -> List.of(new IamCall(action, request.path("executionArn").asText(), call));
                default -> List.of(CALLBACKS.contains(operation) ? new IamCall(action, "*", call)
                        : IamCall.unmapped(service.name(), operation, "*"));
            };
        }
        if (service.equals(AwsHttpService.Service.SECRETS_MANAGER) && operation.equals("GetSecretValue")) {
            return List.of(new IamCall("secretsmanager:GetSecretValue", request.path("SecretId").asText(), call));
        }
        if (service.equals(AwsHttpService.Service.EVENT_BRIDGE) && operation.equals("PutEvents")) {
            List<IamCall> calls = new ArrayList<>();
            for (JsonNode entry : request.path("Entries")) {
                Map<String, String> keys = new LinkedHashMap<>();
                keys.put("events:source", entry.path("Source").asText());
                keys.put("events:detail-type", entry.path("DetailType").asText());
                calls.add(new IamCall("events:PutEvents", arns.eventBus(entry.path("EventBusName").asText(null)), keys, call));
            }
            return calls;
        }
        return List.of(IamCall.unmapped(service.name(), operation, "*"));
    }

    /** Invoke is {@code lambda:InvokeFunction} on the function, qualified by the alias or version it names. */
    private IamCall invoke(String encodedPath) {
        Matcher m = INVOKE.matcher(encodedPath);
        if (!m.matches()) {
            return IamCall.unmapped("Lambda", encodedPath, "*");
        }
        String function = arns.function(URLDecoder.decode(m.group(1), StandardCharsets.UTF_8));
        String qualified = m.group(2) == null ? function : function + ":" + URLDecoder.decode(m.group(2), StandardCharsets.UTF_8);
        return new IamCall("lambda:InvokeFunction", qualified, "Lambda.Invoke");
    }

    private static JsonNode parse(byte[] body) {
        try {
            return body.length == 0 ? JSON.createObjectNode() : JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException("an AWS JSON request that is not JSON", e);
        }
    }
}
