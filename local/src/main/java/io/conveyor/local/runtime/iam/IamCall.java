package io.conveyor.local.runtime.iam;

import java.util.Map;
import java.util.Objects;

/**
 * One request IAM evaluates against a caller's role: an action on a resource, with the values of the condition keys
 * the request carries.
 *
 * @param action        {@code service:Action}, as the Service Authorization Reference names it
 * @param resource      the resource's ARN, or {@code *} for an action that has no resource type
 * @param conditionKeys the request's values of the service's condition keys (such as {@code s3:prefix})
 * @param call          the API call that needed it, such as {@code DynamoDB.TransactWriteItems}
 */
public record IamCall(String action, String resource, Map<String, String> conditionKeys, String call) {
    public IamCall {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(resource, "resource");
        conditionKeys = Map.copyOf(conditionKeys);
        Objects.requireNonNull(call, "call");
    }

    public IamCall(String action, String resource, String call) {
        this(action, resource, Map.of(), call);
    }

    /**
     * The action of an API call whose IAM authorisation the recorder does not know: the evaluation refuses it, naming
     * the call, so a new kind of call is mapped before it is trusted.
     */
    public static IamCall unmapped(String service, String operation, String resource) {
        return new IamCall("unmapped:" + service + "." + operation, resource, service + "." + operation);
    }
}
