package io.conveyor.cdk;

import static io.conveyor.cdk.Synthesized.referenced;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.conveyor.deployment.Catalogue;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code conveyor:auth=devToken}: the development token authoriser in front of every method, and only when asked. */
class DevTokenAuthTest {
    private final Synthesized app = Synthesized.devToken();

    @Test
    void devToken_putsOneTokenAuthoriserOnEveryMethod_readingTheAuthorizationHeader_uncached() {
        Map<String, JsonNode> authorizers = app.resources("AWS::ApiGateway::Authorizer");
        assertEquals(1, authorizers.size(), authorizers.keySet().toString());
        Map.Entry<String, JsonNode> authorizer = authorizers.entrySet().iterator().next();
        JsonNode properties = authorizer.getValue().get("Properties");
        assertEquals("TOKEN", properties.get("Type").asText());
        assertEquals("method.request.header.Authorization", properties.get("IdentitySource").asText());
        assertEquals(0, properties.get("AuthorizerResultTtlInSeconds").asInt());

        Map<String, JsonNode> methods = app.resources("AWS::ApiGateway::Method");
        assertTrue(methods.size() >= Catalogue.ROUTES.size(), methods.keySet().toString());
        for (Map.Entry<String, JsonNode> method : methods.entrySet()) {
            assertEquals("CUSTOM", method.getValue().at("/Properties/AuthorizationType").asText(), method.getKey());
            assertEquals(authorizer.getKey(), referenced(method.getValue().at("/Properties/AuthorizerId")), method.getKey());
        }
    }

    @Test
    void theAuthoriserFunction_runsTheDevTokenHandler_withARoleThatOnlyWritesItsLogs() {
        Map.Entry<String, JsonNode> function = app.resourceAt("AWS::Lambda::Function", "/JobApi/DevTokenAuth/Function/Resource");
        JsonNode properties = function.getValue().get("Properties");
        assertEquals("io.conveyor.devauth.DevTokenAuthorizer", properties.get("Handler").asText(),
                "the handler class in the functions jar");
        assertEquals("java21", properties.get("Runtime").asText());

        String role = referenced(properties.at("/Role"));
        for (JsonNode policy : app.resources("AWS::IAM::Policy").values()) {
            boolean attached = Synthesized.list(policy.at("/Properties/Roles")).stream()
                    .anyMatch(r -> role.equals(referenced(r)));
            if (attached) {
                for (JsonNode statement : Synthesized.list(policy.at("/Properties/PolicyDocument/Statement"))) {
                    for (JsonNode action : Synthesized.list(statement.get("Action"))) {
                        assertTrue(action.asText().startsWith("logs:"), "the authoriser's role may only log: " + action);
                    }
                }
            }
        }

        // API Gateway may invoke it as the authoriser.
        assertTrue(app.resources("AWS::Lambda::Permission").values().stream().anyMatch(p ->
                function.getKey().equals(referenced(p.at("/Properties/FunctionName")))
                        && p.at("/Properties/Principal").asText().equals("apigateway.amazonaws.com")));
    }

    @Test
    void theApiFunction_isToldItIsADevelopmentDeployment_forEmulatorsThatNeverInvokeTheAuthoriser() {
        JsonNode api = app.resourceAt("AWS::Lambda::Function", "/Functions/" + Catalogue.API.name() + "/Resource").getValue();
        assertEquals("true", api.at("/Properties/Environment/Variables/CONVEYOR_DEV_TOKEN_AUTH").asText());
    }

    @Test
    void byDefault_noTokenAuthoriserIsDeployed_andNoFunctionTrustsABearerHeader() {
        Synthesized defaults = Synthesized.defaults();
        assertEquals(Map.of(), defaults.resources("AWS::ApiGateway::Authorizer"));
        for (JsonNode function : defaults.resources("AWS::Lambda::Function").values()) {
            assertFalse(function.at("/Properties/Handler").asText().equals(DevTokenAuth.HANDLER));
            assertTrue(function.at("/Properties/Environment/Variables/CONVEYOR_DEV_TOKEN_AUTH").isMissingNode(),
                    function.toString());
        }
    }
}
