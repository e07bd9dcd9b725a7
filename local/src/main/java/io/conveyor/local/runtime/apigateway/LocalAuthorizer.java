package io.conveyor.local.runtime.apigateway;

import io.conveyor.devauth.BearerUser;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Local authentication in place of a Cognito user pool authoriser: {@code Authorization: Bearer <user>} names the
 * user, who becomes the claims' {@code sub} (and {@code cognito:username}), as a Cognito authoriser puts a verified
 * token's claims in the request context. No password, no signature: the local runtime is a single-user machine
 * bound to 127.0.0.1. The user is read by {@link BearerUser}, as the development authoriser a LocalStack deployment
 * uses reads it.
 */
public final class LocalAuthorizer {
    private final String issuer;

    /** @param region the region in the claims' issuer */
    public LocalAuthorizer(String region) {
        this.issuer = "https://cognito-idp." + region + ".amazonaws.com/local";
    }

    /** The claims for an {@code Authorization} header, empty when it names no valid user (a 401). */
    public Optional<Map<String, String>> claims(String authorization, Instant now) {
        return BearerUser.of(authorization).map(user -> claimsOf(user, now));
    }

    private Map<String, String> claimsOf(String user, Instant now) {
        // Cognito's claims reach the function as strings, times included.
        Map<String, String> claims = new LinkedHashMap<>();
        claims.put("sub", user);
        claims.put("cognito:username", user);
        claims.put("token_use", "id");
        claims.put("iss", issuer);
        claims.put("auth_time", Long.toString(now.getEpochSecond()));
        claims.put("iat", Long.toString(now.getEpochSecond()));
        claims.put("exp", Long.toString(now.getEpochSecond() + 3600));
        return claims;
    }
}
