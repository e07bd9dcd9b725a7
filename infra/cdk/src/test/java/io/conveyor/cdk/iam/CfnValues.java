package io.conveyor.cdk.iam;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The values of a CloudFormation template's expressions ({@code Ref}, {@code Fn::GetAtt}, {@code Fn::Join},
 * {@code Fn::Sub}, {@code Fn::Select}, {@code Fn::Split}) as CloudFormation would give them in one account and region,
 * against the template's own resources, each with the physical name it is given here. An expression naming a
 * resource the template does not have, or an attribute this class does not know, is an error naming it.
 */
public final class CfnValues {
    private static final Pattern SUB_VARIABLE = Pattern.compile("\\$\\{(!?)([^}]+)}");

    private final JsonNode resources;
    private final String account;
    private final String region;
    private final Map<String, String> physicalNames;

    /**
     * @param physicalNames the name each resource without a name property gets, by logical id; any other is named
     *                      after its logical id, in lower case
     */
    public CfnValues(JsonNode template, String account, String region, Map<String, String> physicalNames) {
        this.resources = template.get("Resources");
        this.account = account;
        this.region = region;
        this.physicalNames = Map.copyOf(physicalNames);
    }

    public String account() {
        return account;
    }

    public String region() {
        return region;
    }

    /** The value of {@code expression}, which must be a string. */
    public String text(JsonNode expression) {
        JsonNode value = evaluate(expression);
        if (!value.isTextual()) {
            throw new IllegalArgumentException("not a string value: " + expression);
        }
        return value.asText();
    }

    /** The values of an expression that may be one value or a list (IAM's Action and Resource). */
    public List<String> texts(JsonNode expression) {
        List<String> values = new ArrayList<>();
        if (expression == null || expression.isMissingNode() || expression.isNull()) {
            return values;
        }
        JsonNode value = expression.isArray() ? expression : evaluate(expression);
        if (value.isArray()) {
            value.forEach(item -> values.add(text(item)));
        } else {
            values.add(text(value));
        }
        return values;
    }

    private JsonNode evaluate(JsonNode expression) {
        if (expression.isTextual() || expression.isNumber() || expression.isBoolean()) {
            return com.fasterxml.jackson.databind.node.TextNode.valueOf(expression.asText());
        }
        if (expression.isArray()) {
            var list = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode();
            expression.forEach(item -> list.add(evaluate(item)));
            return list;
        }
        if (expression.size() != 1) {
            throw new IllegalArgumentException("not an expression: " + expression);
        }
        String function = expression.fieldNames().next();
        JsonNode argument = expression.get(function);
        return switch (function) {
            case "Ref" -> text(ref(argument.asText()));
            case "Fn::GetAtt" -> text(attribute(argument.get(0).asText(), argument.get(1).asText()));
            case "Fn::Join" -> {
                List<String> parts = new ArrayList<>();
                for (JsonNode part : evaluate(argument.get(1))) {
                    parts.add(part.asText());
                }
                yield text(String.join(argument.get(0).asText(), parts));
            }
            case "Fn::Sub" -> text(sub(argument));
            case "Fn::Select" -> evaluate(argument.get(1)).get(Integer.parseInt(text(argument.get(0))));
            case "Fn::Split" -> {
                var list = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode();
                for (String part : text(argument.get(1)).split(Pattern.quote(argument.get(0).asText()), -1)) {
                    list.add(part);
                }
                yield list;
            }
            default -> throw new IllegalArgumentException("the template function " + function + " is not evaluated: "
                    + expression);
        };
    }

    private static JsonNode text(String value) {
        return com.fasterxml.jackson.databind.node.TextNode.valueOf(value);
    }

    private String sub(JsonNode argument) {
        String template = argument.isArray() ? argument.get(0).asText() : argument.asText();
        JsonNode variables = argument.isArray() ? argument.get(1) : null;
        Matcher m = SUB_VARIABLE.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(2);
            String value;
            if (!m.group(1).isEmpty()) {
                value = "${" + name + "}";
            } else if (variables != null && variables.has(name)) {
                value = text(variables.get(name));
            } else if (name.contains(".")) {
                value = attribute(name.substring(0, name.indexOf('.')), name.substring(name.indexOf('.') + 1));
            } else {
                value = ref(name);
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** What {@code Ref} gives: a pseudo parameter, or per resource type its name, ARN or id. */
    public String ref(String id) {
        switch (id) {
            case "AWS::AccountId": return account;
            case "AWS::Region": return region;
            case "AWS::Partition": return "aws";
            case "AWS::URLSuffix": return "amazonaws.com";
            case "AWS::StackName": return "Conveyor";
            default: break;
        }
        JsonNode resource = resource(id);
        return switch (resource.path("Type").asText()) {
            case "AWS::StepFunctions::StateMachine", "AWS::SNS::Topic", "AWS::SecretsManager::Secret",
                    "AWS::Lambda::Alias", "AWS::Lambda::Version", "AWS::IAM::ManagedPolicy" -> attribute(id, "Arn");
            default -> name(id);
        };
    }

    /** What {@code Fn::GetAtt} gives for the attributes the stack's expressions use. */
    public String attribute(String id, String attribute) {
        JsonNode resource = resource(id);
        String type = resource.path("Type").asText();
        JsonNode properties = resource.path("Properties");
        String name = name(id);
        if (attribute.equals("Name") || attribute.equals("TableName")) {
            return name;
        }
        if (!attribute.equals("Arn")) {
            throw new IllegalArgumentException("the attribute " + attribute + " of " + type + " " + id + " is not evaluated");
        }
        String regional = ":" + region + ":" + account + ":";
        return switch (type) {
            case "AWS::DynamoDB::Table" -> "arn:aws:dynamodb" + regional + "table/" + name;
            case "AWS::S3::Bucket" -> "arn:aws:s3:::" + name;
            case "AWS::Lambda::Function" -> "arn:aws:lambda" + regional + "function:" + name;
            case "AWS::Lambda::Alias" -> functionArn(properties.get("FunctionName")) + ":" + text(properties.get("Name"));
            case "AWS::Lambda::Version" -> functionArn(properties.get("FunctionName")) + ":1";
            case "AWS::StepFunctions::StateMachine" -> "arn:aws:states" + regional + "stateMachine:" + name;
            case "AWS::Events::EventBus" -> "arn:aws:events" + regional + "event-bus/" + name;
            case "AWS::Events::Rule" -> "arn:aws:events" + regional + "rule/" + name;
            case "AWS::IAM::Role" -> "arn:aws:iam::" + account + ":role/" + name;
            case "AWS::IAM::ManagedPolicy" -> "arn:aws:iam::" + account + ":policy/" + name;
            case "AWS::Logs::LogGroup" -> "arn:aws:logs" + regional + "log-group:" + name + ":*";
            case "AWS::SNS::Topic" -> "arn:aws:sns" + regional + name;
            case "AWS::KMS::Key" -> "arn:aws:kms" + regional + "key/" + name;
            case "AWS::SecretsManager::Secret" -> "arn:aws:secretsmanager" + regional + "secret:" + name + "-AbCdEf";
            default -> throw new IllegalArgumentException("the Arn of " + type + " " + id + " is not evaluated");
        };
    }

    private String functionArn(JsonNode functionName) {
        String function = text(functionName);
        return function.startsWith("arn:") ? function : "arn:aws:lambda:" + region + ":" + account + ":function:" + function;
    }

    /** A resource's physical name: its own name property, else the one given, else its logical id in lower case. */
    public String name(String id) {
        JsonNode properties = resource(id).path("Properties");
        for (String property : List.of("TableName", "BucketName", "FunctionName", "StateMachineName", "RoleName",
                "LogGroupName", "TopicName", "Name")) {
            if (properties.has(property) && !resource(id).path("Type").asText().equals("AWS::Lambda::Alias")
                    && !resource(id).path("Type").asText().equals("AWS::Lambda::Version")) {
                return text(properties.get(property));
            }
        }
        return physicalNames.getOrDefault(id, id.toLowerCase(java.util.Locale.ROOT));
    }

    private JsonNode resource(String id) {
        JsonNode resource = resources.get(id);
        if (resource == null) {
            throw new IllegalArgumentException("the template has no resource " + id);
        }
        return resource;
    }

    /** The logical ids of the resources of {@code type}. */
    public List<String> ofType(String type) {
        List<String> ids = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> it = resources.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getValue().path("Type").asText().equals(type)) {
                ids.add(e.getKey());
            }
        }
        return ids;
    }
}
