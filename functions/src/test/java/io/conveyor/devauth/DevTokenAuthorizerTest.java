package io.conveyor.devauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.amazonaws.services.lambda.runtime.events.APIGatewayCustomAuthorizerEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.fasterxml.jackson.databind.JsonNode;
import io.conveyor.persistence.StoredJson;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class DevTokenAuthorizerTest {
    private final DevTokenAuthorizer authorizer = new DevTokenAuthorizer();

    @Test
    void bearerUser_becomesThePrincipal_allowedExactlyTheMethodCalled() {
        APIGatewayCustomAuthorizerEvent event = EventLoader.loadEvent("events/token-authorizer-request.json",
                APIGatewayCustomAuthorizerEvent.class);

        // As the Lambda runtime serialises it, which is what API Gateway reads.
        JsonNode response = StoredJson.MAPPER.valueToTree(authorizer.handleRequest(event, null));

        assertEquals("alice", response.path("principalId").asText());
        JsonNode policy = response.path("policyDocument");
        assertEquals("2012-10-17", policy.path("Version").asText());
        assertEquals(1, policy.path("Statement").size());
        JsonNode statement = policy.path("Statement").get(0);
        assertEquals("execute-api:Invoke", statement.path("Action").asText());
        assertEquals("Allow", statement.path("Effect").asText());
        assertEquals("[\"arn:aws:execute-api:us-east-1:000000000000:a1b2c3d4e5/v1/GET/jobs/42\"]",
                statement.path("Resource").toString());
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "Bearer", "Bearer ", "Basic YWxpY2U6c2VjcmV0", "alice", "Bearer al ice", "Bearer a/b",
            "Bearer ../etc"})
    void aHeaderNamingNoUser_isRefusedWithTheMessageApiGatewayTurnsInto401(String authorization) {
        APIGatewayCustomAuthorizerEvent event = APIGatewayCustomAuthorizerEvent.builder()
                .withType("TOKEN")
                .withAuthorizationToken(authorization)
                .withMethodArn("arn:aws:execute-api:us-east-1:000000000000:a1b2c3d4e5/v1/GET/jobs")
                .build();

        RuntimeException refused = assertThrows(RuntimeException.class, () -> authorizer.handleRequest(event, null));

        assertEquals("Unauthorized", refused.getMessage());
    }

    @Test
    void theSchemeIsCaseInsensitive_andTheUserKeepsItsCase() {
        assertEquals("Bob.Smith@example.com", BearerUser.of("bearer  Bob.Smith@example.com ").orElseThrow());
        assertEquals("x".repeat(128), BearerUser.of("Bearer " + "x".repeat(128)).orElseThrow());
        assertEquals(Optional.empty(), BearerUser.of("Bearer " + "x".repeat(129)));
    }
}
