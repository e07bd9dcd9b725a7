package io.conveyor.cdk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conveyor.persistence.StoredJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awscdk.App;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.cxapi.SynthesisMessage;

/**
 * The app synthesized as {@code cdk synth} does it (the context of {@code cdk.json}, plus the options a test
 * adds), once per set of options per test JVM: a synth costs seconds, every test reads the same result.
 */
final class Synthesized {
    /** {@code conveyor:*} options that differ from every default, for the tests of the non-default paths. */
    static final Map<String, Object> VARIANT = Map.ofEntries(
            Map.entry("conveyor:auth", "cognito"),
            Map.entry("conveyor:userPoolArn", "arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_Example"),
            Map.entry("conveyor:alertEmail", "ops@example.com"),
            Map.entry("conveyor:corsOrigins", "https://app.example.com"),
            Map.entry("conveyor:retainData", "false"),
            Map.entry("conveyor:lambdaRuntime", "java21"),
            Map.entry("conveyor:requireApiKey", "true"),
            Map.entry("conveyor:cleanerSchedule", "rate(30 minutes)"),
            Map.entry("conveyor:maxRetention", "P30D"),
            Map.entry("conveyor:programs", "[{\"name\": \"thumbnails\", \"implementation\": "
                    + "\"java:io.conveyor.programs.primes.PrimesProgram\", \"maxConcurrency\": 7}]"),
            Map.entry("conveyor:prices", "region=eu-west-1,date=2026-12-01,lambda.gbSecond=0.0000134"),
            Map.entry("conveyor:adminUsers", "auditor-1, auditor-2"),
            Map.entry("conveyor:workerReservedConcurrency", "250"));

    /** The development-only token authoriser, on java21 so that both runtimes' nag paths are covered. */
    static final Map<String, Object> DEV_TOKEN = Map.of(
            "conveyor:auth", "devToken",
            "conveyor:lambdaRuntime", "java21");

    /** The web dashboard, with the user pool it brings (the API's authoriser trusts it). */
    static final Map<String, Object> DASHBOARD = Map.of(
            "conveyor:auth", "cognito",
            "conveyor:dashboard", "true");

    private static final Map<Map<String, Object>, Synthesized> CACHE = new ConcurrentHashMap<>();

    final ConveyorStack stack;
    final Template template;
    final JsonNode json;
    final List<SynthesisMessage> nagErrors;
    final List<SynthesisMessage> nagWarnings;

    private Synthesized(Map<String, Object> options) {
        Map<String, Object> context = new HashMap<>(cdkJsonContext());
        context.put(DeploymentOptions.Option.LAMBDA_JAR.key(), lambdaJar().toString());
        context.putAll(options);
        // What the CLI sets: each resource's construct path in its metadata, which the tests find resources by.
        context.put("aws:cdk:enable-path-metadata", true);
        App app = App.Builder.create().context(context).analyticsReporting(false).build();
        stack = ConveyorApp.build(app);
        template = Template.fromStack(stack);
        json = StoredJson.MAPPER.valueToTree(template.toJSON());
        Annotations annotations = Annotations.fromStack(stack);
        nagErrors = annotations.findError("*", Match.stringLikeRegexp("AwsSolutions-.*"));
        nagWarnings = annotations.findWarning("*", Match.stringLikeRegexp("AwsSolutions-.*"));
    }

    /** The stack with every default option. */
    static Synthesized defaults() {
        return with(Map.of());
    }

    /** The stack with {@link #VARIANT}. */
    static Synthesized variant() {
        return with(VARIANT);
    }

    /** The stack with {@link #DEV_TOKEN}. */
    static Synthesized devToken() {
        return with(DEV_TOKEN);
    }

    static Synthesized with(Map<String, Object> options) {
        return CACHE.computeIfAbsent(Map.copyOf(options), Synthesized::new);
    }

    /** The shaded functions jar the build copied for the tests ({@code conveyor.lambdaJar}). */
    static Path lambdaJar() {
        String path = System.getProperty("conveyor.lambdaJar");
        if (path == null) {
            throw new IllegalStateException("run the tests through Maven: the conveyor.lambdaJar system property names "
                    + "the shaded functions jar");
        }
        return Path.of(path);
    }

    /** The {@code context} of {@code infra/cdk/cdk.json}: the feature flags {@code cdk synth} runs with. */
    static Map<String, Object> cdkJsonContext() {
        try {
            JsonNode cdkJson = StoredJson.MAPPER.readTree(Files.readString(Path.of("cdk.json")));
            @SuppressWarnings("unchecked")
            Map<String, Object> context = StoredJson.MAPPER.convertValue(cdkJson.get("context"), Map.class);
            return context;
        } catch (IOException e) {
            throw new UncheckedIOException("reading cdk.json (the tests run in infra/cdk)", e);
        }
    }

    JsonNode resources() {
        return json.get("Resources");
    }

    /** Every resource of {@code type}, by logical id. */
    Map<String, JsonNode> resources(String type) {
        Map<String, JsonNode> found = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = resources().fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getValue().path("Type").asText().equals(type)) {
                found.put(e.getKey(), e.getValue());
            }
        }
        return found;
    }

    /** The one resource of {@code type} whose construct path ends with {@code pathSuffix}. */
    Map.Entry<String, JsonNode> resourceAt(String type, String pathSuffix) {
        List<Map.Entry<String, JsonNode>> found = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : resources(type).entrySet()) {
            if (e.getValue().path("Metadata").path("aws:cdk:path").asText().endsWith(pathSuffix)) {
                found.add(e);
            }
        }
        if (found.size() != 1) {
            throw new AssertionError("expected one " + type + " at *" + pathSuffix + ", found " + found.size());
        }
        return found.get(0);
    }

    /** The logical id a {@code {"Ref": id}} or {@code {"Fn::GetAtt": [id, ...]}} names, else {@code null}. */
    static String referenced(JsonNode value) {
        if (value.has("Ref")) {
            return value.get("Ref").asText();
        }
        if (value.has("Fn::GetAtt")) {
            return value.get("Fn::GetAtt").get(0).asText();
        }
        return null;
    }

    /** {@code value} as a list (IAM's Action and Resource may be one value or a list). */
    static List<JsonNode> list(JsonNode value) {
        List<JsonNode> items = new ArrayList<>();
        if (value == null || value.isMissingNode() || value.isNull()) {
            return items;
        }
        if (value.isArray()) {
            value.forEach(items::add);
        } else {
            items.add(value);
        }
        return items;
    }

    /** A compact, stable text for a CloudFormation value, such as {@code Ref(X)} or {@code Join(GetAtt(T.Arn),/jobs/*)}. */
    static String text(JsonNode value) {
        if (value.isTextual()) {
            return value.asText();
        }
        if (value.has("Ref")) {
            return "Ref(" + value.get("Ref").asText() + ")";
        }
        if (value.has("Fn::GetAtt")) {
            return "GetAtt(" + value.get("Fn::GetAtt").get(0).asText() + "." + value.get("Fn::GetAtt").get(1).asText() + ")";
        }
        if (value.has("Fn::Join")) {
            StringBuilder out = new StringBuilder();
            for (JsonNode part : value.get("Fn::Join").get(1)) {
                out.append(part.isTextual() ? part.asText() : text(part));
            }
            return out.toString();
        }
        return value.toString();
    }

    static ObjectNode object() {
        return StoredJson.MAPPER.createObjectNode();
    }
}
