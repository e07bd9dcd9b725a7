package io.conveyor.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import java.util.Map;
import java.util.Optional;

/**
 * Who is calling, as API Gateway established it: the subject of a Cognito user pool or JWT authoriser, the
 * principal of a Lambda authoriser, or the IAM principal that signed the request. The API never takes the
 * caller from anything the client wrote in the request itself.
 *
 * @param id a stable identifier; every job belongs to exactly one
 */
public record Caller(String id) {

    /** The caller of {@code event}, empty when API Gateway authenticated nobody. */
    public static Optional<Caller> of(APIGatewayProxyRequestEvent event) {
        APIGatewayProxyRequestEvent.ProxyRequestContext context = event.getRequestContext();
        if (context == null) {
            return Optional.empty();
        }
        Map<String, Object> authorizer = context.getAuthorizer();
        if (authorizer != null) {
            if (authorizer.get("claims") instanceof Map<?, ?> claims && nonBlank(claims.get("sub"))) {
                return Optional.of(new Caller(claims.get("sub").toString()));
            }
            if (nonBlank(authorizer.get("principalId"))) {
                return Optional.of(new Caller(authorizer.get("principalId").toString()));
            }
        }
        APIGatewayProxyRequestEvent.RequestIdentity identity = context.getIdentity();
        if (identity != null && nonBlank(identity.getUserArn())) {
            return Optional.of(new Caller(identity.getUserArn()));
        }
        return Optional.empty();
    }

    private static boolean nonBlank(Object value) {
        return value != null && !value.toString().isBlank();
    }
}
