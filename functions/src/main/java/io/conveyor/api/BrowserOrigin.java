package io.conveyor.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Lets the web dashboard's pages read a function's answers: with a Lambda proxy integration the function, not API
 * Gateway, puts the CORS header on every answer (API Gateway answers the preflight). One fixed origin, never the
 * request's echoed back, and no credentials mode: the page sends its token in the Authorization header.
 */
final class BrowserOrigin {
    private BrowserOrigin() {}

    /** {@code response} with the CORS headers for {@code origin}, or as it is without one. */
    static APIGatewayProxyResponseEvent allow(Optional<String> origin, APIGatewayProxyResponseEvent response) {
        origin.ifPresent(o -> {
            Map<String, String> headers = new HashMap<>(response.getHeaders() == null ? Map.of() : response.getHeaders());
            headers.put("Access-Control-Allow-Origin", o);
            headers.put("Access-Control-Expose-Headers", "X-Request-Id, Location, Retry-After");
            headers.put("Vary", "Origin");
            response.setHeaders(headers);
        });
        return response;
    }
}
