package io.conveyor.aws;

import com.fasterxml.jackson.databind.JsonNode;
import io.conveyor.persistence.StoredJson;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.endpoint.AwsClientEndpointProvider;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.AcquireInitialTokenRequest;
import software.amazon.awssdk.retries.api.RecordSuccessRequest;
import software.amazon.awssdk.retries.api.RefreshRetryTokenRequest;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.retries.api.RetryToken;
import software.amazon.awssdk.retries.api.TokenAcquisitionFailedException;

/**
 * One AWS service called with SigV4-signed HTTPS requests made of the SDK parts every function already carries: its
 * HTTP client, its signer ({@link AwsV4HttpSigner}), its credentials providers, its endpoint resolution (the standard
 * {@code AWS_ENDPOINT_URL_<SERVICE>} / {@code aws.endpointUrl<Service>} / profile {@code [services]} settings, then
 * {@code AWS_ENDPOINT_URL}, then the service's regional endpoint) and its retry strategy. It stands in for a service
 * client where the functions make one or two calls: a generated client carries the model classes of every operation
 * of its service (Lambda's 3 MB, EventBridge's and Step Functions' 1.5 MB each), which the Lambda jar's size budget
 * cannot afford. Requests and answers are the service's documented wire format, so the same endpoints serve both.
 *
 * <p>Failures are the SDK's own exception types: an answer outside 2xx is an {@link AwsServiceException} with the
 * service's error code and message (so {@code isThrottlingException()} and the retry strategy's conditions work as
 * for a generated client), and a call that got no answer is an {@link SdkClientException}. Both are retried by the
 * retry strategy before they are thrown. Thread-safe.
 */
public final class AwsHttpService {
    /**
     * How a service is named in the standard SDK configuration and in signatures.
     *
     * @param name             the name in messages and in the system property {@code aws.endpointUrl<name>}
     *                         ({@code Lambda}, {@code EventBridge}, {@code Sfn})
     * @param endpointPrefix   the first label of its regional host name ({@code lambda}, {@code events}, {@code states})
     * @param signingName      the service name in SigV4 signatures
     * @param configurationKey the suffix of {@code AWS_ENDPOINT_URL_<KEY>} ({@code LAMBDA}, {@code EVENTBRIDGE},
     *                         {@code SFN}); the profile's {@code [services]} property is the key in lower case, as the
     *                         generated clients read them
     */
    public record Service(String name, String endpointPrefix, String signingName, String configurationKey) {
        public static final Service LAMBDA = new Service("Lambda", "lambda", "lambda", "LAMBDA");
        public static final Service EVENT_BRIDGE = new Service("EventBridge", "events", "events", "EVENTBRIDGE");
        public static final Service STEP_FUNCTIONS = new Service("Sfn", "states", "states", "SFN");
        public static final Service SECRETS_MANAGER =
                new Service("SecretsManager", "secretsmanager", "secretsmanager", "SECRETS_MANAGER");
    }

    /**
     * Told of each call, on the calling thread, once before it is signed and sent (not again for each retry).
     * Observers are found with {@link ServiceLoader}: the functions jar declares none; the local runtime declares its
     * IAM call recording. Generated SDK clients have the same hook in the SDK's global execution interceptors, which
     * this class, built without the SDK's request pipeline, cannot run.
     */
    public interface CallObserver {
        /**
         * @param encodedPath the request's path, percent-encoded, with its query if any
         * @param headers     the request's own headers (such as {@code X-Amz-Target}), before signing
         */
        void calling(Service service, String encodedPath, Map<String, String> headers, byte[] body);
    }

    private static final List<CallObserver> OBSERVERS = ServiceLoader.load(CallObserver.class,
            AwsHttpService.class.getClassLoader()).stream().map(ServiceLoader.Provider::get).toList();

    /** A 2xx answer. */
    public record Response(int status, Map<String, List<String>> headers, byte[] body) {
        /** The first value of a header, by case-insensitive name. */
        public Optional<String> header(String name) {
            return headers.entrySet().stream().filter(h -> h.getKey().equalsIgnoreCase(name) && !h.getValue().isEmpty())
                    .map(h -> h.getValue().get(0)).findFirst();
        }
    }

    private final Service service;
    private final Region region;
    private final AwsCredentialsProvider credentials;
    private final SdkHttpClient http;
    private final RetryStrategy retries;
    private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();
    private volatile URI endpoint;

    /**
     * @param retries what a failed call goes through before it is thrown; the SDK's
     *                {@code AwsRetryStrategy.defaultRetryStrategy()} is what a generated client would use
     */
    public AwsHttpService(Service service, Region region, AwsCredentialsProvider credentials, SdkHttpClient http,
            RetryStrategy retries) {
        this(service, region, credentials, http, retries, null);
    }

    private AwsHttpService(Service service, Region region, AwsCredentialsProvider credentials, SdkHttpClient http,
            RetryStrategy retries, URI endpoint) {
        this.service = service;
        this.region = region;
        this.credentials = credentials;
        this.http = http;
        this.retries = retries;
        this.endpoint = endpoint;
    }

    /** The same service at {@code endpoint} instead of the one the standard configuration names. */
    public AwsHttpService withEndpoint(URI endpoint) {
        return new AwsHttpService(service, region, credentials, http, retries, endpoint);
    }

    /**
     * A call of the AWS JSON protocol: {@code POST /} with {@code X-Amz-Target: <target>}, the request and the
     * answer JSON objects.
     *
     * @param target       {@code <service's target prefix>.<operation>}, e.g. {@code AWSEvents.PutEvents}
     * @param jsonVersion  the protocol version in the content type, {@code 1.0} or {@code 1.1}, as the service
     *                     documents it
     */
    public JsonNode callJson(String target, String jsonVersion, JsonNode request) {
        Response response = post("/", Map.of("X-Amz-Target", target,
                "Content-Type", "application/x-amz-json-" + jsonVersion), StoredJson.write(request).getBytes(StandardCharsets.UTF_8));
        try {
            return response.body().length == 0 ? StoredJson.MAPPER.createObjectNode() : StoredJson.MAPPER.readTree(response.body());
        } catch (IOException e) {
            throw SdkClientException.create(service.name() + " answered " + target + " with a body that is not JSON", e);
        }
    }

    /**
     * A signed {@code POST} of {@code body} to {@code encodedPath} (percent-encoded already) on the service's
     * endpoint, retried as the retry strategy says.
     */
    public Response post(String encodedPath, Map<String, String> headers, byte[] body) {
        OBSERVERS.forEach(observer -> observer.calling(service, encodedPath, headers, body));
        RetryToken token = retries.acquireInitialToken(AcquireInitialTokenRequest.create(service.name())).token();
        while (true) {
            try {
                Response response = send(encodedPath, headers, body);
                retries.recordSuccess(RecordSuccessRequest.create(token));
                return response;
            } catch (SdkException failure) {
                Duration delay;
                try {
                    var refreshed = retries.refreshRetryToken(RefreshRetryTokenRequest.builder().token(token).failure(failure).build());
                    token = refreshed.token();
                    delay = refreshed.delay();
                } catch (TokenAcquisitionFailedException noMoreAttempts) {
                    throw failure;
                }
                pause(delay, failure);
            }
        }
    }

    private Response send(String encodedPath, Map<String, String> headers, byte[] body) {
        SdkHttpRequest.Builder request = SdkHttpRequest.builder().method(SdkHttpMethod.POST)
                .uri(URI.create(stripTrailingSlash(endpoint().toString()) + encodedPath))
                .putHeader("Content-Length", Integer.toString(body.length));
        headers.forEach(request::putHeader);
        SignedRequest signed = signer.sign(r -> r.request(request.build())
                .payload(ContentStreamProvider.fromByteArrayUnsafe(body))
                .identity(credentials.resolveCredentials())
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, service.signingName())
                .putProperty(AwsV4HttpSigner.REGION_NAME, region.id()));
        HttpExecuteResponse answer;
        byte[] content;
        try {
            answer = http.prepareRequest(HttpExecuteRequest.builder().request(signed.request())
                    .contentStreamProvider(signed.payload().orElse(null)).build()).call();
            try (InputStream in = answer.responseBody().map(InputStream.class::cast).orElse(InputStream.nullInputStream())) {
                content = in.readAllBytes();
            }
        } catch (IOException e) {
            throw SdkClientException.create("Unable to execute HTTP request to " + service.name() + ": " + e.getMessage(), e);
        }
        SdkHttpResponse status = answer.httpResponse();
        if (status.isSuccessful()) {
            return new Response(status.statusCode(), status.headers(), content);
        }
        throw serviceError(status, content);
    }

    /**
     * The error of a JSON-protocol answer, as the SDK reads it: the code from {@code x-amzn-ErrorType} (up to a
     * {@code :}), else from the body's {@code __type} (after a {@code #}) or {@code code}; the message from the body's
     * {@code message} or {@code Message}.
     */
    private AwsServiceException serviceError(SdkHttpResponse status, byte[] content) {
        JsonNode body = parsedOrEmpty(content);
        String type = status.firstMatchingHeader("x-amzn-ErrorType").map(header -> header.split(":", 2)[0])
                .orElseGet(() -> body.path("__type").asText(body.path("code").asText("")));
        String code = type.substring(type.lastIndexOf('#') + 1);
        String message = body.path("message").asText(body.path("Message").asText(new String(content, StandardCharsets.UTF_8)));
        String requestId = status.firstMatchingHeader("x-amzn-RequestId").orElse(null);
        return AwsServiceException.builder()
                .statusCode(status.statusCode())
                .requestId(requestId)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code.isEmpty() ? null : code).errorMessage(message)
                        .serviceName(service.name()).sdkHttpResponse(status).build())
                .build();
    }

    private static JsonNode parsedOrEmpty(byte[] content) {
        try {
            JsonNode parsed = content.length == 0 ? null : StoredJson.MAPPER.readTree(content);
            return parsed == null ? StoredJson.MAPPER.createObjectNode() : parsed;
        } catch (IOException notJson) {
            return StoredJson.MAPPER.createObjectNode();
        }
    }

    /**
     * Resolved on first use, as a generated client's builder resolves it. {@code AwsClientEndpointProvider} is the
     * SDK's own resolution, marked {@code @SdkProtectedApi} (meant for its modules): an SDK upgrade that changes it
     * fails this module's build, and the local module's LambdaProgramTest and scenario tests reach the local runtime
     * through it.
     */
    private URI endpoint() {
        URI resolved = endpoint;
        if (resolved == null) {
            resolved = AwsClientEndpointProvider.builder()
                    .serviceEndpointOverrideEnvironmentVariable("AWS_ENDPOINT_URL_" + service.configurationKey())
                    .serviceEndpointOverrideSystemProperty("aws.endpointUrl" + service.name())
                    .serviceProfileProperty(service.configurationKey().toLowerCase(Locale.ROOT))
                    .serviceEndpointPrefix(service.endpointPrefix())
                    .defaultProtocol("https")
                    .region(region)
                    .build()
                    .clientEndpoint();
            endpoint = resolved;
        }
        return resolved;
    }

    private static String stripTrailingSlash(String uri) {
        return uri.endsWith("/") ? uri.substring(0, uri.length() - 1) : uri;
    }

    private static void pause(Duration delay, SdkException failure) {
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure;
        }
    }
}
