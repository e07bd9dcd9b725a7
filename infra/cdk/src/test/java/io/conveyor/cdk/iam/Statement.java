package io.conveyor.cdk.iam;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One policy statement with its values resolved ({@link CfnValues}).
 *
 * @param allow       {@code Effect: Allow}, else Deny
 * @param actions     its Action, or its NotAction when {@code notAction}
 * @param resources   its Resource, or its NotResource when {@code notResource}
 * @param conditions  operator, then condition key, then the values
 * @param source      where it comes from, for messages (the policy's logical id)
 */
public record Statement(boolean allow, List<String> actions, boolean notAction, List<String> resources,
        boolean notResource, Map<String, Map<String, List<String>>> conditions, String source) {

    /** A statement of a policy document, resolved. */
    static Statement of(JsonNode statement, CfnValues values, String source) {
        boolean notAction = statement.has("NotAction");
        boolean notResource = statement.has("NotResource");
        Map<String, Map<String, List<String>>> conditions = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> operators = statement.path("Condition").fields();
        while (operators.hasNext()) {
            Map.Entry<String, JsonNode> operator = operators.next();
            Map<String, List<String>> keys = new LinkedHashMap<>();
            operator.getValue().fields().forEachRemaining(key -> keys.put(key.getKey(), values.texts(key.getValue())));
            conditions.put(operator.getKey(), keys);
        }
        return new Statement(statement.path("Effect").asText().equals("Allow"),
                values.texts(statement.get(notAction ? "NotAction" : "Action")), notAction,
                values.texts(statement.get(notResource ? "NotResource" : "Resource")), notResource, conditions, source);
    }

    /** The statements of a policy document. */
    static List<Statement> ofDocument(JsonNode document, CfnValues values, String source) {
        List<Statement> statements = new ArrayList<>();
        JsonNode list = document.path("Statement");
        if (list.isArray()) {
            list.forEach(s -> statements.add(of(s, values, source)));
        } else if (!list.isMissingNode()) {
            statements.add(of(list, values, source));
        }
        return statements;
    }
}
