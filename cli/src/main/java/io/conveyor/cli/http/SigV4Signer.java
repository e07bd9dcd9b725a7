package io.conveyor.cli.http;

import io.conveyor.cli.CliException;
import io.conveyor.cli.ExitCodes;
import java.net.URI;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.IdentityProvider;
import software.amazon.awssdk.identity.spi.ResolveIdentityRequest;

/**
 * Signs API requests with AWS Signature Version 4 for API Gateway ({@code execute-api}), with the SDK's
 * {@link AwsV4HttpSigner}: what API Gateway checks for routes with IAM authorisation. The body's SHA-256 is part of
 * the signature; {@code Host} is signed and then left to the HTTP client, which sends the same value. Thread-safe.
 */
public final class SigV4Signer implements RequestSigner {
    /** API Gateway's signing name. */
    public static final String SERVICE = "execute-api";
    /** Headers the JDK's HTTP client sets itself and refuses from callers. */
    private static final List<String> SET_BY_CLIENT = List.of("host", "content-length", "connection", "expect", "upgrade");

    private final IdentityProvider<? extends AwsCredentialsIdentity> credentials;
    private final String service;
    private final String region;
    private final Clock clock;
    private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();

    /**
     * @param credentials where the credentials come from, asked on every request (providers cache and refresh)
     * @param region      the API's region, such as {@code eu-west-1}
     * @param clock       the signing time; the system clock except in tests
     */
    public SigV4Signer(IdentityProvider<? extends AwsCredentialsIdentity> credentials, String region, Clock clock) {
        this(credentials, SERVICE, region, clock);
    }

    /** For another service's signing name: only for checking the signer against AWS's published examples. */
    SigV4Signer(IdentityProvider<? extends AwsCredentialsIdentity> credentials, String service, String region, Clock clock) {
        this.credentials = credentials;
        this.service = service;
        this.region = region;
        this.clock = clock;
    }

    @Override
    public Map<String, String> sign(String method, URI uri, Map<String, String> headers, byte[] body) {
        SdkHttpRequest.Builder request = SdkHttpRequest.builder().method(SdkHttpMethod.fromValue(method)).uri(uri);
        headers.forEach(request::putHeader);
        AwsCredentialsIdentity identity = identity();
        SignedRequest signed = signer.sign(r -> r
                .identity(identity)
                .request(request.build())
                .payload(body.length == 0 ? null : ContentStreamProvider.fromByteArrayUnsafe(body))
                .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, service)
                .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                .putProperty(HttpSigner.SIGNING_CLOCK, clock));
        Map<String, String> added = new LinkedHashMap<>();
        signed.request().forEachHeader((name, values) -> {
            if (!SET_BY_CLIENT.contains(name.toLowerCase(java.util.Locale.ROOT)) && !headers.containsKey(name)) {
                added.put(name, String.join(",", values));
            }
        });
        return added;
    }

    private AwsCredentialsIdentity identity() {
        try {
            return credentials.resolveIdentity(ResolveIdentityRequest.builder().build()).join();
        } catch (RuntimeException e) {
            Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
            throw new CliException(ExitCodes.USAGE, "No AWS credentials to sign the request with (SigV4): "
                    + reason(cause) + " Configure them as for the AWS CLI (aws configure, aws sso login, AWS_PROFILE, or "
                    + "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY), or use a bearer token with --token.", e);
        }
    }

    /** The SDK's reason, made short: its chain message lists every provider's failure on one long line. */
    static String reason(Throwable cause) {
        String message = cause.getMessage() == null ? cause.toString() : cause.getMessage();
        if (message.contains("SSO token") || message.contains("sso_session") && message.contains("expired")) {
            return "the SSO profile has no valid token (run aws sso login).";
        }
        if (message.startsWith("Unable to load credentials from any of the providers")) {
            return "the default chain (system properties, environment, web identity, ~/.aws profiles, container, "
                    + "instance metadata) found none.";
        }
        if (!(cause instanceof SdkClientException)) {
            return cause.toString() + ".";
        }
        String line = firstLine(message);
        return line.length() <= 300 ? line : line.substring(0, 300) + "...";
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int nl = message.indexOf('\n');
        String line = nl < 0 ? message : message.substring(0, nl);
        return line.endsWith(".") ? line : line + ".";
    }
}
