package io.conveyor.cdk;

import static io.conveyor.cdk.Synthesized.referenced;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.conveyor.deployment.Catalogue;
import io.conveyor.program.ProgramRegistry;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The context options change what they say and nothing else ({@link Synthesized#VARIANT}). */
class VariantOptionsTest {
    private final Synthesized app = Synthesized.variant();

    @Test
    void cognitoAuth_putsAUserPoolAuthoriserOnEveryMethod_andApiKeysAreRequired() {
        JsonNode authorizer = app.resources("AWS::ApiGateway::Authorizer").values().iterator().next().get("Properties");
        assertEquals("COGNITO_USER_POOLS", authorizer.get("Type").asText());
        assertEquals(Synthesized.VARIANT.get("conveyor:userPoolArn"), authorizer.at("/ProviderARNs/0").asText());
        String authorizerId = app.resources("AWS::ApiGateway::Authorizer").keySet().iterator().next();
        for (JsonNode method : app.resources("AWS::ApiGateway::Method").values()) {
            assertEquals("COGNITO_USER_POOLS", method.at("/Properties/AuthorizationType").asText());
            assertEquals(authorizerId, referenced(method.at("/Properties/AuthorizerId")));
            assertTrue(method.at("/Properties/ApiKeyRequired").asBoolean());
        }
    }

    @Test
    void pricesAndAdministrators_reachEveryFunction_asTheSettingsTheyReadAtStartUp() {
        int product = 0;
        for (JsonNode function : app.resources("AWS::Lambda::Function").values()) {
            JsonNode variables = function.at("/Properties/Environment/Variables");
            if (variables.has("CONVEYOR_JOBS_TABLE")) {
                product++;
                assertEquals("region=eu-west-1,date=2026-12-01,lambda.gbSecond=0.0000134",
                        variables.path("CONVEYOR_PRICES").asText(), function.toString());
                assertEquals("auditor-1,auditor-2", variables.path("CONVEYOR_ADMIN_USERS").asText());
            }
        }
        assertEquals(Catalogue.FUNCTIONS.size(), product, "every function of the catalogue");
    }

    @Test
    void workerReservedConcurrency_isTheWorkerProtocolsReserve_andTheApisStaysItsOwn() {
        assertEquals(250, app.resourceAt("AWS::Lambda::Function", "/Functions/" + Catalogue.WORKER_PROTOCOL.name()
                + "/Resource").getValue().at("/Properties/ReservedConcurrentExecutions").asInt());
        assertEquals(Catalogue.API_RESERVED_CONCURRENCY, app.resourceAt("AWS::Lambda::Function", "/Functions/"
                + Catalogue.API.name() + "/Resource").getValue().at("/Properties/ReservedConcurrentExecutions").asInt());
    }

    @Test
    void alertEmail_subscribesToTheTopic() {
        JsonNode subscription = app.resources("AWS::SNS::Subscription").values().iterator().next().get("Properties");
        assertEquals("email", subscription.get("Protocol").asText());
        assertEquals("ops@example.com", subscription.get("Endpoint").asText());
    }

    @Test
    void corsOrigins_allowPresignedPutAndGetFromThoseOriginsOnly() {
        JsonNode rule = app.resourceAt("AWS::S3::Bucket", "/Storage/JobsBucket/Resource").getValue()
                .at("/Properties/CorsConfiguration/CorsRules/0");
        assertEquals("https://app.example.com", rule.at("/AllowedOrigins/0").asText());
        assertEquals(1, rule.get("AllowedOrigins").size());
        assertTrue(rule.get("AllowedMethods").toString().contains("PUT"));
        assertTrue(rule.get("AllowedMethods").toString().contains("GET"));
    }

    @Test
    void retainDataFalse_deletesTablesBucketsAndLogsWithTheStack() {
        for (String type : new String[] {"AWS::DynamoDB::Table", "AWS::S3::Bucket", "AWS::Logs::LogGroup"}) {
            for (Map.Entry<String, JsonNode> e : app.resources(type).entrySet()) {
                assertEquals("Delete", e.getValue().path("DeletionPolicy").asText(), e.getKey());
            }
        }
        for (JsonNode table : app.resources("AWS::DynamoDB::Table").values()) {
            assertFalse(table.at("/Properties/DeletionProtectionEnabled").asBoolean());
        }
    }

    @Test
    void runtimeSchedulePrograms_andRetention_followTheOptions() {
        for (JsonNode function : app.resources("AWS::Lambda::Function").values()) {
            assertEquals("java21", function.at("/Properties/Runtime").asText());
            assertEquals(Synthesized.VARIANT.get("conveyor:programs"),
                    function.at("/Properties/Environment/Variables/CONVEYOR_PROGRAMS").asText());
            assertEquals("P30D", function.at("/Properties/Environment/Variables/CONVEYOR_MAX_RETENTION").asText());
        }
        assertEquals("rate(30 minutes)", app.resources("AWS::Events::Rule").values().iterator().next()
                .at("/Properties/ScheduleExpression").asText());
        JsonNode thumbnails = app.resourceAt("AWS::StepFunctions::StateMachine", "/Workflows/conveyor-job-thumbnails/Resource")
                .getValue().get("Properties");
        assertEquals("7", thumbnails.at("/DefinitionSubstitutions/MaxConcurrency").asText());
        assertEquals(ProgramRegistry.samples().all().size() + 1, app.resources("AWS::StepFunctions::StateMachine").size(),
                "the samples and thumbnails");
        assertEquals(30 + 30, app.resourceAt("AWS::S3::Bucket", "/Storage/JobsBucket/Resource").getValue()
                .at("/Properties/LifecycleConfiguration/Rules/0/ExpirationInDays").asInt());
    }
}
