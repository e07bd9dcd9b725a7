package io.conveyor.cdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.conveyor.cdk.iam.CfnValues;
import io.conveyor.cdk.iam.IamProof;
import io.conveyor.cdk.iam.RecordedCalls;
import io.conveyor.deployment.Catalogue;
import io.conveyor.deployment.FunctionSpec;
import io.conveyor.deployment.Resource;
import io.conveyor.persistence.StoredJson;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The synthesized template against what the code uses: the functions' environments, the state machines'
 * definitions, the OpenAPI document, and the tables and bucket the scenario suite's calls touched
 * ({@link IamProofTest} has the recording and the account, region and names this resolves the template in).
 */
class TemplateCrossChecksTest {
    private static final RecordedCalls RECORDED = RecordedCalls.read(Path.of(System.getProperty("conveyor.iamCallRecord",
            "../../local/target/iam/recorded-calls.json")));
    private static final Synthesized APP = Synthesized.with(Map.of("conveyor:programs", RECORDED.programs()));
    private final CfnValues values = new IamProof(APP.json, RECORDED).values();

    @Test
    void everyFunctionsEnvironment_namesTheTemplatesResources_theOnesTheLocalRuntimeNamedTheSame() {
        int checked = 0;
        for (String id : values.ofType("AWS::Lambda::Function")) {
            JsonNode function = APP.resources().get(id);
            String path = function.at("/Metadata/aws:cdk:path").asText();
            JsonNode environment = function.at("/Properties/Environment/Variables");
            // Every value resolves: a reference to a resource the template lacks fails here, naming it.
            environment.fields().forEachRemaining(variable -> values.text(variable.getValue()));
            for (FunctionSpec spec : Catalogue.FUNCTIONS) {
                if (!path.endsWith("/Functions/" + spec.name() + "/Resource")) {
                    continue;
                }
                for (Resource resource : Resource.values()) {
                    if (resource.settingName() != null) {
                        assertEquals(RECORDED.resourceNames().get(resource.name()), values.text(environment.get(resource.settingName())),
                                spec.name() + "'s " + resource.settingName() + " names another resource than the local runtime's");
                    }
                }
                checked++;
            }
        }
        assertEquals(Catalogue.FUNCTIONS.size(), checked, "every catalogue function is in the template");
    }

    @Test
    void everyArnInAStateMachinesDefinition_isAResourceOfTheTemplate_orAServiceIntegration() throws IOException {
        Set<String> arns = new HashSet<>();
        for (String type : List.of("AWS::Lambda::Alias", "AWS::StepFunctions::StateMachine")) {
            values.ofType(type).forEach(id -> arns.add(values.ref(id)));
        }
        List<String> machines = values.ofType("AWS::StepFunctions::StateMachine");
        assertFalse(machines.isEmpty());
        for (String id : machines) {
            JsonNode properties = APP.resources().get(id).get("Properties");
            String definition = values.text(properties.get("DefinitionString"));
            var substitutions = properties.get("DefinitionSubstitutions").fields();
            while (substitutions.hasNext()) {
                var substitution = substitutions.next();
                definition = definition.replace("${" + substitution.getKey() + "}", values.text(substitution.getValue()));
            }
            java.util.regex.Matcher left = java.util.regex.Pattern.compile("\\$\\{[A-Za-z0-9_]+}").matcher(definition);
            String leftover = left.find() ? left.group() : null;
            assertEquals(null, leftover, id + " keeps a placeholder no substitution fills");
            List<String> found = new ArrayList<>();
            collectArns(StoredJson.MAPPER.readTree(definition), found);
            assertFalse(found.isEmpty(), id + " names no ARN");
            for (String arn : found) {
                assertTrue(arn.startsWith("arn:aws:states:::") || arns.contains(arn),
                        id + " names " + arn + ", which is no resource of the template");
            }
        }
    }

    @Test
    void everyOpenApiRoute_isAMethodOfTheRestApi_withAnAuthoriser() throws IOException {
        Set<String> documented = new TreeSet<>();
        JsonNode openApi = new ObjectMapper(new YAMLFactory()).readTree(Path.of("../../functions/src/main/resources/openapi.yaml").toFile());
        openApi.get("paths").fields().forEachRemaining(path -> path.getValue().fieldNames().forEachRemaining(method -> {
            if (Set.of("get", "put", "post", "delete", "patch", "head").contains(method)) {
                documented.add(method.toUpperCase(java.util.Locale.ROOT) + " " + path.getKey());
            }
        }));
        assertFalse(documented.isEmpty());
        for (Synthesized app : List.of(APP, Synthesized.variant())) {
            Map<String, JsonNode> methods = new java.util.TreeMap<>();
            app.resources("AWS::ApiGateway::Method").forEach((id, method) -> {
                JsonNode p = method.get("Properties");
                methods.put(p.get("HttpMethod").asText() + " " + path(app, p.get("ResourceId")), p);
            });
            for (String route : documented) {
                JsonNode method = methods.get(route);
                assertTrue(method != null, route + " of openapi.yaml is not in the REST API: " + methods.keySet());
                String authorization = method.path("AuthorizationType").asText();
                assertTrue(Set.of("AWS_IAM", "COGNITO_USER_POOLS", "CUSTOM").contains(authorization),
                        route + " has no authoriser: " + authorization);
                if (!authorization.equals("AWS_IAM")) {
                    String authorizer = Synthesized.referenced(method.get("AuthorizerId"));
                    assertEquals("AWS::ApiGateway::Authorizer", app.resources().path(authorizer).path("Type").asText(),
                            route + "'s authoriser");
                }
            }
        }
    }

    /** The path of an API Gateway resource, from its PathPart and its parents'. */
    private static String path(Synthesized app, JsonNode resourceId) {
        String id = Synthesized.referenced(resourceId);
        JsonNode resource = app.resources().get(id);
        if (resource.path("Type").asText().equals("AWS::ApiGateway::RestApi")) {
            return "";
        }
        JsonNode properties = resource.get("Properties");
        return path(app, properties.get("ParentId")) + "/" + properties.get("PathPart").asText();
    }

    @Test
    void theTablesIndexesBucketAndBusTheCodeUsed_areTheOnesTheStackCreates() {
        Set<String> tables = new HashSet<>();
        for (String id : values.ofType("AWS::DynamoDB::Table")) {
            String table = values.attribute(id, "Arn");
            tables.add(table);
            APP.resources().get(id).at("/Properties/GlobalSecondaryIndexes")
                    .forEach(index -> tables.add(table + "/index/" + index.get("IndexName").asText()));
        }
        Set<String> buckets = new HashSet<>();
        values.ofType("AWS::S3::Bucket").forEach(id -> buckets.add(values.attribute(id, "Arn")));
        Set<String> buses = new HashSet<>();
        values.ofType("AWS::Events::EventBus").forEach(id -> buses.add(values.attribute(id, "Arn")));
        int checked = 0;
        for (List<RecordedCalls.Request> requests : RECORDED.callers().values()) {
            for (RecordedCalls.Request r : requests) {
                String resource = r.resource();
                if (r.action().startsWith("dynamodb:")) {
                    assertTrue(tables.contains(resource), r + ": no such table or index in the template " + tables);
                } else if (r.action().startsWith("s3:")) {
                    assertTrue(buckets.stream().anyMatch(b -> resource.equals(b) || resource.startsWith(b + "/")),
                            r + ": no such bucket in the template " + buckets);
                } else if (r.action().startsWith("events:")) {
                    assertTrue(buses.contains(resource), r + ": no such event bus in the template " + buses);
                } else {
                    continue;
                }
                checked++;
            }
        }
        assertTrue(checked > 0, "the recording holds no table, bucket or bus call");
    }

    private static void collectArns(JsonNode node, List<String> arns) {
        if (node.isTextual() && node.asText().startsWith("arn:")) {
            arns.add(node.asText());
        }
        node.forEach(child -> collectArns(child, arns));
    }
}
