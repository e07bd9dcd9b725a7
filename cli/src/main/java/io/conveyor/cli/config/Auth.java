package io.conveyor.cli.config;

import java.util.Locale;

/** How the CLI proves who is calling. */
public enum Auth {
    /** {@code Authorization: Bearer <token>}: the local runtime's user name, or a Cognito token. */
    BEARER,
    /** AWS Signature Version 4 for service {@code execute-api}, with the default AWS credentials chain. */
    SIGV4,
    /** No credentials: only useful to see what the API answers without them. */
    NONE;

    /** Parses {@code bearer}, {@code sigv4} or {@code none}, in any case. */
    public static Auth parse(String text, String source) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        return switch (t) {
            case "bearer", "token" -> BEARER;
            case "sigv4", "iam", "aws" -> SIGV4;
            case "none" -> NONE;
            default -> throw io.conveyor.cli.CliException.usage("Unknown auth '" + text + "' in " + source
                    + ": use bearer (a token), sigv4 (AWS credentials) or none.");
        };
    }
}
