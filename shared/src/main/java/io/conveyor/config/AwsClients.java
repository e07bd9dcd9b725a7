package io.conveyor.config;

import io.conveyor.aws.AwsHttpService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProviderChain;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.auth.credentials.SystemPropertyCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.TransactionConflictException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Builds the SDK clients a function uses, once, at start-up. Endpoints come from the SDK's standard
 * configuration ({@code AWS_ENDPOINT_URL}, {@code AWS_ENDPOINT_URL_<SERVICE>}), so the same code runs on AWS,
 * on LocalStack and in the local runtime. The HTTP client is set explicitly, by {@link Settings#httpClient()}: with
 * several on the class path the SDK would pick one silently.
 *
 * <p>Credentials come from the {@code aws.accessKeyId} system properties (the local runtime's, in-process) or else
 * the {@code AWS_ACCESS_KEY_ID} environment (Lambda's and LocalStack's): the SDK's default chain would also look for
 * profile files, web identity, container and instance credentials, which no function has, at a cost in start-up.
 */
public final class AwsClients {
    private final Settings settings;
    private final Region region;
    private final SdkHttpClient http;
    private final AwsCredentialsProvider credentials = AwsCredentialsProviderChain.of(
            SystemPropertyCredentialsProvider.create(), EnvironmentVariableCredentialsProvider.create());

    public AwsClients(Settings settings) {
        this.settings = settings;
        this.region = Region.of(settings.region());
        this.http = httpClient(DEFAULT_READ_TIMEOUT);
    }

    /** The SDK's defaults for its HTTP clients. */
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(30);

    /**
     * The URL-connection client over plain JDK connections: HTTPS through the JVM's default SSL context, with the
     * JVM's trust store, which the JDK sets up at the first HTTPS connection. The client's builder would set up an
     * SSL context of its own at once, loading and parsing the trust store while the function initialises (0.2 to
     * 0.35 s of INIT measured here); on SnapStart the priming request still sets it up before the snapshot. Proxy
     * settings are the JVM's ({@code https.proxyHost}); no function runs behind a proxy.
     */
    private SdkHttpClient httpClient(Duration readTimeout) {
        return switch (settings.httpClient()) {
            case URL_CONNECTION -> urlConnectionClient(readTimeout);
            case APACHE -> Apache5HttpClient.builder()
                    .connectionTimeout(CONNECT_TIMEOUT)
                    .socketTimeout(readTimeout)
                    // A function's requests may overlap (RunSubJob reads outputs on 16 threads): a connection each.
                    .maxConnections(MAX_CONNECTIONS)
                    .build();
        };
    }

    /** Connections one Apache client keeps: more than the 16 threads that read subjob outputs at once. */
    private static final int MAX_CONNECTIONS = 64;

    private static SdkHttpClient urlConnectionClient(Duration readTimeout) {
        return UrlConnectionHttpClient.create(uri -> {
            try {
                HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection();
                connection.setConnectTimeout((int) CONNECT_TIMEOUT.toMillis());
                connection.setReadTimeout((int) readTimeout.toMillis());
                return connection;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot open a connection to " + uri, e);
            }
        });
    }

    /**
     * DynamoDB refuses a single-item write with TransactionConflictException while a transaction holds that item (the
     * job item while a batch of its subjobs starts or ends; a quota counter while another job is admitted). Nothing
     * was written, so trying again is safe, but the SDK's retry strategy does not: it is added to the retryable errors
     * here, with the SDK's backoff and attempt limit for DynamoDB.
     */
    public DynamoDbClient dynamoDb() {
        return DynamoDbClient.builder().region(region).credentialsProvider(credentials).httpClient(http)
                .overrideConfiguration(c -> c.retryStrategy(r -> r.retryOnException(TransactionConflictException.class)))
                .build();
    }

    public S3Client s3() {
        return S3Client.builder()
                .region(region)
                .credentialsProvider(credentials)
                .httpClient(http)
                .serviceConfiguration(s3Configuration())
                .overrideConfiguration(c -> c.addExecutionInterceptor(new WithoutExpectContinue()))
                .build();
    }

    /** For starting and stopping job executions and answering task tokens (see {@link AwsHttpService} for why). */
    public AwsHttpService stepFunctions() {
        return service(AwsHttpService.Service.STEP_FUNCTIONS, http);
    }

    /** For publishing job events (PutEvents only: see {@link AwsHttpService} for why not the EventBridge client). */
    public AwsHttpService eventBridge() {
        return service(AwsHttpService.Service.EVENT_BRIDGE, http);
    }

    /**
     * For invoking the Lambda functions of programs written in other languages (Invoke only). A synchronous
     * invocation answers only when the function ends, up to Lambda's 15 minutes, so its reads may wait that long (the
     * shared client's 30 s default would cut a long subjob off and invoke it again).
     */
    public AwsHttpService lambda() {
        return service(AwsHttpService.Service.LAMBDA, httpClient(LAMBDA_INVOCATION_LIMIT.plusMinutes(1)));
    }

    /** For reading the API's page-token key at start-up (GetSecretValue only). */
    public AwsHttpService secretsManager() {
        return service(AwsHttpService.Service.SECRETS_MANAGER, http);
    }

    /** {@code service} in this deployment's region, with its credentials and the SDK's default retries. */
    private AwsHttpService service(AwsHttpService.Service service, SdkHttpClient client) {
        return new AwsHttpService(service, region, credentials, client, AwsRetryStrategy.defaultRetryStrategy());
    }

    /** The longest a Lambda function may run. */
    private static final Duration LAMBDA_INVOCATION_LIMIT = Duration.ofMinutes(15);

    public S3Presigner s3Presigner() {
        S3Presigner.Builder builder = S3Presigner.builder()
                .region(region)
                .credentialsProvider(credentials)
                .serviceConfiguration(s3Configuration());
        // Presigned URLs are read by other machines, so they must carry the very endpoint configured here.
        settings.s3Endpoint().ifPresent(builder::endpointOverride);
        return builder.build();
    }

    private S3Configuration s3Configuration() {
        // Emulators behind an endpoint override (and 127.0.0.1) cannot serve virtual-host style requests.
        return S3Configuration.builder().pathStyleAccessEnabled(settings.s3Endpoint().isPresent()).build();
    }
}
