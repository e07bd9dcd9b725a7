package io.conveyor.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Who calls: what API Gateway established, and in a development deployment only, the bearer token's user. */
class CallerTest {

    private static APIGatewayProxyRequestEvent withHeader(String file, String name, String value) {
        APIGatewayProxyRequestEvent event = EventLoader.loadApiGatewayRestEvent(file);
        Map<String, String> headers = new HashMap<>(event.getHeaders() == null ? Map.of() : event.getHeaders());
        headers.put(name, value);
        event.setHeaders(headers);
        return event;
    }

    @Test
    void aBearerHeader_namesNobody_unlessTheDeploymentIsForDevelopment() {
        APIGatewayProxyRequestEvent event = withHeader("events/anonymous-request.json", "Authorization", "Bearer alice");

        assertEquals(Optional.empty(), Caller.finder(false).apply(event), "the API never trusts a header by default");
        assertEquals(Optional.of(new Caller("alice")), Caller.finder(true).apply(event));
        assertEquals(Optional.of(new Caller("alice")),
                Caller.finder(true).apply(withHeader("events/anonymous-request.json", "authorization", "Bearer alice")),
                "header names are case-insensitive");
    }

    @Test
    void inADevelopmentDeployment_whatAnAuthoriserEstablishedStillComesFirst_andABadTokenNamesNobody() {
        APIGatewayProxyRequestEvent cognito = withHeader("events/cognito-request.json", "Authorization", "Bearer mallory");
        assertEquals(Optional.of(new Caller("alice")), Caller.of(cognito), "the fixture's user-pool subject");
        assertEquals(Optional.of(new Caller("alice")), Caller.finder(true).apply(cognito));
        assertEquals(Optional.empty(),
                Caller.finder(true).apply(withHeader("events/anonymous-request.json", "Authorization", "Bearer a/b")));
        assertEquals(Optional.empty(),
                Caller.finder(true).apply(EventLoader.loadApiGatewayRestEvent("events/anonymous-request.json")));
    }
}
