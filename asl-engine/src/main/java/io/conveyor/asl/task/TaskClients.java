package io.conveyor.asl.task;

import java.net.URI;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sfn.SfnClient;

/**
 * SDK v2 clients for the services Task states reach. Endpoints come from the caller (per service key:
 * {@code lambda}, {@code s3}, {@code dynamodb}, {@code eventbridge}, {@code sfn}) or else from the standard SDK
 * configuration ({@code AWS_ENDPOINT_URL}, {@code AWS_ENDPOINT_URL_<SERVICE>}). Clients are built lazily, once.
 */
public final class TaskClients implements AutoCloseable {

  private final Region region;
  private final AwsCredentialsProvider credentials;
  private final Map<String, URI> endpoints;
  /**
   * Apache HttpClient 5 with a connection pool: a Task's request to a local endpoint took about a tenth of the
   * URL-connection client's time, and executions make many of them.
   */
  private final SdkHttpClient http = Apache5HttpClient.builder().maxConnections(64).build();
  private volatile LambdaClient lambda;
  private volatile S3Client s3;
  private volatile DynamoDbClient dynamodb;
  private volatile EventBridgeClient events;
  private volatile SfnClient sfn;

  /**
   * @param region the region the clients call
   * @param credentials credentials, or null for the SDK's default chain
   * @param endpoints explicit endpoints by service key; services not named use the SDK's configuration
   */
  public TaskClients(String region, AwsCredentialsProvider credentials, Map<String, URI> endpoints) {
    this.region = Region.of(region);
    this.credentials = credentials == null ? DefaultCredentialsProvider.builder().build() : credentials;
    this.endpoints = Map.copyOf(endpoints);
  }

  public synchronized LambdaClient lambda() {
    if (lambda == null) {
      var b = LambdaClient.builder().region(region).credentialsProvider(credentials).httpClient(http);
      if (endpoints.containsKey("lambda")) {
        b.endpointOverride(endpoints.get("lambda"));
      }
      lambda = b.build();
    }
    return lambda;
  }

  public synchronized S3Client s3() {
    if (s3 == null) {
      var b = S3Client.builder().region(region).credentialsProvider(credentials).httpClient(http);
      if (endpoints.containsKey("s3")) {
        // Path-style: a local endpoint (127.0.0.1:PORT) has no per-bucket host names.
        b.endpointOverride(endpoints.get("s3")).forcePathStyle(true);
      }
      s3 = b.build();
    }
    return s3;
  }

  public synchronized DynamoDbClient dynamodb() {
    if (dynamodb == null) {
      var b = DynamoDbClient.builder().region(region).credentialsProvider(credentials).httpClient(http);
      if (endpoints.containsKey("dynamodb")) {
        b.endpointOverride(endpoints.get("dynamodb"));
      }
      dynamodb = b.build();
    }
    return dynamodb;
  }

  public synchronized EventBridgeClient events() {
    if (events == null) {
      var b = EventBridgeClient.builder().region(region).credentialsProvider(credentials).httpClient(http);
      if (endpoints.containsKey("eventbridge")) {
        b.endpointOverride(endpoints.get("eventbridge"));
      }
      events = b.build();
    }
    return events;
  }

  public synchronized SfnClient sfn() {
    if (sfn == null) {
      var b = SfnClient.builder().region(region).credentialsProvider(credentials).httpClient(http);
      if (endpoints.containsKey("sfn")) {
        b.endpointOverride(endpoints.get("sfn"));
      }
      sfn = b.build();
    }
    return sfn;
  }

  @Override
  public synchronized void close() {
    for (AutoCloseable c : new AutoCloseable[] {lambda, s3, dynamodb, events, sfn}) {
      if (c != null) {
        try {
          c.close();
        } catch (Exception ignored) {
          // Closing is best effort.
        }
      }
    }
    http.close();
  }
}
