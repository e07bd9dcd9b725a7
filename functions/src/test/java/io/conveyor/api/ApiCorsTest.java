package io.conveyor.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import io.conveyor.config.ConfigurationException;
import io.conveyor.config.Settings;
import io.conveyor.testing.FixedContext;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** The web dashboard's origin, and only it, may read the API's answers from a page (CONVEYOR_BROWSER_ORIGIN). */
class ApiCorsTest {
    private static final String DASHBOARD = "https://d111111abcdef8.cloudfront.net";

    private static APIGatewayProxyResponseEvent get(ApiHandler handler, String path) throws Exception {
        var event = EventLoader.loadApiGatewayRestEvent("events/cognito-request.json");
        event.setHttpMethod("GET");
        event.setPath(path);
        event.setHeaders(new HashMap<>(event.getHeaders()));
        return handler.handleRequest(event, new FixedContext(10_000));
    }

    @Test
    void withTheDashboardsOrigin_everyAnswerAllowsThatOriginAlone_refusalsToo() throws Exception {
        ApiHandler handler = new ApiHandler(new ApiHarness().api, Optional.of(DASHBOARD));
        for (String path : new String[] {"/programs", "/jobs/no-such-job"}) {
            APIGatewayProxyResponseEvent response = get(handler, path);
            assertEquals(DASHBOARD, response.getHeaders().get("Access-Control-Allow-Origin"), path);
            assertEquals("Origin", response.getHeaders().get("Vary"), path);
            assertEquals("application/json", response.getHeaders().get("Content-Type"), "the API's own headers stay");
        }
        assertEquals(404, get(handler, "/jobs/no-such-job").getStatusCode());
    }

    @Test
    void withoutOne_noAnswerAllowsAnyPage() throws Exception {
        APIGatewayProxyResponseEvent response = get(new ApiHandler(new ApiHarness().api), "/programs");
        assertEquals(200, response.getStatusCode());
        assertFalse(response.getHeaders().containsKey("Access-Control-Allow-Origin"));
    }

    @Test
    void theSetting_takesAnOriginOnly() {
        Map<String, String> env = new HashMap<>(Map.of("AWS_REGION", "eu-west-1", "CONVEYOR_JOBS_TABLE", "t",
                "CONVEYOR_SUBJOBS_TABLE", "t", "CONVEYOR_COUNTERS_TABLE", "t", "CONVEYOR_IDEMPOTENCY_TABLE", "t",
                "CONVEYOR_WAITLIST_TABLE", "t", "CONVEYOR_WORK_QUEUE_TABLE", "t", "CONVEYOR_BUCKET", "b"));
        env.put("CONVEYOR_BROWSER_ORIGIN", DASHBOARD);
        assertEquals(Optional.of(DASHBOARD), Settings.from(env).browserOrigin());
        for (String bad : new String[] {DASHBOARD + "/", DASHBOARD + "/index.html", "*", "d111111abcdef8.cloudfront.net"}) {
            env.put("CONVEYOR_BROWSER_ORIGIN", bad);
            Executable read = () -> Settings.from(env);
            ConfigurationException e = assertThrows(ConfigurationException.class, read, bad);
            assertEquals(1, e.problems().size(), e.problems().toString());
        }
    }
}
