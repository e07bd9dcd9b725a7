package io.conveyor.devauth;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The development convention for naming a caller without credentials: {@code Authorization: Bearer <user>}, the
 * user being 1 to 128 letters, digits and {@code . _ @ + = , -}. The local runtime's authoriser and
 * {@link DevTokenAuthorizer} both read it, so one user name means the same caller on both.
 */
public final class BearerUser {
    private static final Pattern USER = Pattern.compile("[A-Za-z0-9._@+=,-]{1,128}");
    private static final String SCHEME = "Bearer ";

    private BearerUser() {}

    /** The user an {@code Authorization} header value names, empty when it names none (null, another scheme, bad name). */
    public static Optional<String> of(String authorization) {
        if (authorization == null) {
            return Optional.empty();
        }
        String value = authorization.trim();
        if (!value.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            return Optional.empty();
        }
        String user = value.substring(SCHEME.length()).trim();
        return USER.matcher(user).matches() ? Optional.of(user) : Optional.empty();
    }
}
