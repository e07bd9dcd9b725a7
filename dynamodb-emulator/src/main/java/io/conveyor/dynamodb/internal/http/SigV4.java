package io.conveyor.dynamodb.internal.http;

/** Reads the region from a SigV4 {@code Authorization} header; the signature itself is not checked. */
final class SigV4 {
    static final String DEFAULT_REGION = "us-east-1";

    private SigV4() {
    }

    /**
     * The region of the credential scope ({@code Credential=AKID/20260101/eu-west-1/dynamodb/aws4_request}),
     * or {@code us-east-1} when the header is absent or has no such scope.
     */
    static String region(String authorization) {
        if (authorization == null) {
            return DEFAULT_REGION;
        }
        int at = authorization.indexOf("Credential=");
        if (at < 0) {
            return DEFAULT_REGION;
        }
        String[] scope = authorization.substring(at + "Credential=".length()).split("[,\\s]", 2)[0].split("/");
        return scope.length >= 5 && !scope[2].isEmpty() ? scope[2] : DEFAULT_REGION;
    }
}
