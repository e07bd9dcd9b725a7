package io.conveyor.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import io.conveyor.devauth.BearerUser;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Who is calling, as API Gateway established it: the subject of a Cognito user pool or JWT authoriser, the
 * principal of a Lambda authoriser, or the IAM principal that signed the request. The API never takes the
 * caller from anything the client wrote in the request itself, except in a development deployment
 * ({@link #finder(boolean)}).
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

    /**
     * How the API finds its caller: {@link #of} in every deployment. In a development deployment
     * ({@code conveyor:auth=devToken}, where anyone may call as anyone by design) also, when no authoriser ran, the
     * user an {@code Authorization: Bearer <user>} header names ({@link BearerUser}): the deployment puts the
     * development token authoriser in front of every method, which emulators such as LocalStack's free image deploy
     * but never invoke, so the header reaches the function unread. The same header, read the same way, names the same
     * caller either way.
     *
     * @param devToken whether this is a development deployment ({@code CONVEYOR_DEV_TOKEN_AUTH})
     */
    public static Function<APIGatewayProxyRequestEvent, Optional<Caller>> finder(boolean devToken) {
        if (!devToken) {
            return Caller::of;
        }
        return event -> of(event).or(() -> Optional.ofNullable(event.getHeaders())
                .flatMap(headers -> headers.entrySet().stream()
                        .filter(h -> h.getKey().equalsIgnoreCase("Authorization"))
                        .findFirst())
                .flatMap(h -> BearerUser.of(h.getValue()))
                .map(Caller::new));
    }

    private static boolean nonBlank(Object value) {
        return value != null && !value.toString().isBlank();
    }
}
