package io.conveyor.program;

import com.fasterxml.jackson.databind.JsonNode;
import io.conveyor.config.ConfigurationException;
import io.conveyor.persistence.StoredJson;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Programs registered through configuration ({@code CONVEYOR_PROGRAMS}, or the CDK context), as a JSON array:
 *
 * <pre>
 * [{"name": "thumbnails", "implementation": "java:com.example.Thumbnails",
 *   "maxConcurrency": 20, "toleratedFailurePercentage": 5, "subJobTimeoutSeconds": 120, "defaultRetention": "P7D",
 *   "retry": {"intervalSeconds": 1, "backoffRate": 2.0, "maxDelaySeconds": 30, "jitter": "FULL", "maxAttempts": 3},
 *   "reRegistration": {"delaySeconds": 30, "maxAttempts": 3}}]
 * </pre>
 *
 * {@code implementation} names what runs all three operations; {@code splitter}, {@code worker} and {@code aggregator}
 * name what runs each one instead, and override {@code implementation}. Each is {@code java:<class>} or
 * {@code lambda:<function name, name:alias or ARN>} (see {@link ProgramFunction}), so a program written in another
 * language is:
 *
 * <pre>
 * [{"name": "word-count-node", "splitter": "lambda:wc-split", "worker": "lambda:wc-work:live",
 *   "aggregator": "lambda:arn:aws:lambda:eu-west-1:123456789012:function:wc-aggregate"}]
 * </pre>
 *
 * A worker may also be {@code external}: machines that register with the API run the subjobs, and the program says
 * what they must have and how often they heartbeat a subjob they hold:
 *
 * <pre>
 * [{"name": "render", "implementation": "java:com.example.Render", "worker": "external",
 *   "external": {"capabilities": ["gpu", "region=eu", "memoryGiB>=64"], "heartbeatSeconds": 30},
 *   "subJobTimeoutSeconds": 7200}]
 * </pre>
 *
 * A program may declare its parameters as a JSON Schema ({@link ParameterSchema} says which subset): a job whose
 * parameters do not satisfy it is refused when created, and the dashboard draws its form from it:
 *
 * <pre>
 * [{"name": "thumbnails", "implementation": "java:com.example.Thumbnails",
 *   "parameters": {"type": "object", "additionalProperties": false, "required": ["width"],
 *                  "properties": {"width": {"type": "integer", "minimum": 16, "maximum": 4096},
 *                                 "format": {"type": "string", "enum": ["png", "webp"], "default": "png"}}}}]
 * </pre>
 *
 * Every other field is optional and defaults as the sample programs do.
 */
public final class ProgramDefinitions {
    private ProgramDefinitions() {}

    /** @throws ConfigurationException naming the program and the field at fault */
    public static List<ProgramDefinition> parse(String json) {
        JsonNode root;
        try {
            root = StoredJson.MAPPER.readTree(json);
        } catch (java.io.IOException e) {
            throw new ConfigurationException(List.of(ProgramRegistry.SETTING + " is not valid JSON: " + e.getMessage()));
        }
        if (!root.isArray()) {
            throw new ConfigurationException(List.of(ProgramRegistry.SETTING + " must be a JSON array of programs"));
        }
        List<ProgramDefinition> programs = new ArrayList<>();
        for (JsonNode p : root) {
            String name = p.path("name").asText("?");
            try {
                String implementation = p.path("implementation").asText(null);
                String[] functions = new String[ProgramOperation.values().length];
                for (ProgramOperation operation : ProgramOperation.values()) {
                    functions[operation.ordinal()] = p.path(operation.role()).asText(implementation);
                    if (functions[operation.ordinal()] == null) {
                        throw new IllegalArgumentException("give \"implementation\" (what runs all three operations) or \""
                                + operation.role() + "\"; the " + operation.role() + " must be java:<fully.qualified.ClassName>"
                                + " or lambda:<function name, name:alias or ARN>");
                    }
                }
                JsonNode retry = p.path("retry");
                ExternalWorker external = p.has("external") ? external(p.path("external")) : null;
                JsonNode rereg = p.path("reRegistration");
                programs.add(new ProgramDefinition(name, functions[ProgramOperation.SPLIT.ordinal()],
                        functions[ProgramOperation.WORK.ordinal()], functions[ProgramOperation.AGGREGATE.ordinal()],
                        p.path("maxConcurrency").asInt(20),
                        new RetryPolicy(Duration.ofSeconds(retry.path("intervalSeconds").asLong(1)),
                                retry.path("backoffRate").asDouble(2.0),
                                Duration.ofSeconds(retry.path("maxDelaySeconds").asLong(30)),
                                JitterStrategy.valueOf(retry.path("jitter").asText("FULL")),
                                retry.path("maxAttempts").asInt(3)),
                        new ReRegistrationPolicy(Duration.ofSeconds(rereg.path("delaySeconds").asLong(30)),
                                rereg.path("maxAttempts").asInt(3)),
                        p.path("toleratedFailurePercentage").asDouble(0),
                        Duration.ofSeconds(p.path("subJobTimeoutSeconds").asLong(60)),
                        Duration.parse(p.path("defaultRetention").asText("P7D")), external,
                        p.has("parameters") ? ParameterSchema.of(p.get("parameters")) : null));
            } catch (IllegalArgumentException | java.time.format.DateTimeParseException e) {
                throw new ConfigurationException(List.of(ProgramRegistry.SETTING + ": program '" + name + "': " + e.getMessage()));
            }
        }
        return programs;
    }

    private static ExternalWorker external(JsonNode external) {
        JsonNode capabilities = external.path("capabilities");
        if (!external.isObject() || !(capabilities.isMissingNode() || capabilities.isArray())) {
            throw new IllegalArgumentException("\"external\" must be an object such as {\"capabilities\": [\"gpu\", "
                    + "\"memoryGiB>=64\"], \"heartbeatSeconds\": 30}");
        }
        List<String> required = new ArrayList<>();
        capabilities.forEach(c -> required.add(c.asText()));
        return ExternalWorker.of(required, Duration.ofSeconds(external.path("heartbeatSeconds").asLong(30)));
    }
}
