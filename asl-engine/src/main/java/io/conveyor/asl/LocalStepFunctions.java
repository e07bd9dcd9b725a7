package io.conveyor.asl;

import io.conveyor.asl.api.SfnHttpServer;
import io.conveyor.asl.api.StepFunctionsService;
import io.conveyor.asl.engine.AwsActionListener;
import io.conveyor.asl.engine.Engine;
import io.conveyor.asl.engine.ExecutionListener;
import io.conveyor.asl.task.TaskClients;
import io.conveyor.asl.task.AwsIntegrations;
import io.conveyor.asl.task.LambdaInvoker;
import io.conveyor.asl.task.SdkLambdaInvoker;
import io.conveyor.asl.task.TaskDispatcher;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * A local AWS Step Functions: the States Language engine, the Step Functions API over HTTP, Lambda invocation
 * (pluggable) and SDK-backed service integrations, wired together.
 *
 * <pre>{@code
 * try (LocalStepFunctions sfn = LocalStepFunctions.builder().lambdaInvoker(myInvoker).start()) {
 *   SfnClient client = SfnClient.builder().endpointOverride(sfn.endpoint())...build();
 * }
 * }</pre>
 */
public final class LocalStepFunctions implements AutoCloseable {

  /** Settings; every one has a default. */
  public static final class Builder {
    /** The engine's own settings, passed on as they are set: their defaults are the engine's. */
    private final Engine.Builder engine = Engine.builder();
    private LambdaInvoker lambdaInvoker;
    private final Map<String, URI> endpoints = new HashMap<>();
    /** Kept here too: the SDK clients need it before the engine is built. */
    private String region = Engine.DEFAULT_REGION;
    private AwsCredentialsProvider credentials;
    private String host = "127.0.0.1";
    private int port = 0;
    private boolean http = true;

    /** How Lambda functions are invoked. Default: the Lambda API through the SDK. */
    public Builder lambdaInvoker(LambdaInvoker i) {
      this.lambdaInvoker = i;
      return this;
    }

    /** An explicit endpoint for a service key (lambda, s3, dynamodb, eventbridge, sfn). */
    public Builder endpoint(String service, URI uri) {
      endpoints.put(service, uri);
      return this;
    }

    public Builder region(String r) {
      this.region = r;
      return this;
    }

    public Builder account(String a) {
      engine.account(a);
      return this;
    }

    public Builder credentials(AwsCredentialsProvider c) {
      this.credentials = c;
      return this;
    }

    public Builder clock(Clock c) {
      engine.clock(c);
      return this;
    }

    /** Multiplier for waits, retry intervals and timeouts (0.01 runs them 100 times faster). Default 1. */
    public Builder timeScale(double s) {
      engine.timeScale(s);
      return this;
    }

    /** Address and port of the HTTP endpoint. Default 127.0.0.1 and a free port. */
    public Builder listen(String h, int p) {
      this.host = h;
      this.port = p;
      return this;
    }

    /** False to run without the HTTP endpoint (in-process use only). */
    public Builder http(boolean h) {
      this.http = h;
      return this;
    }

    /** Told of the status changes of the standard executions started (see {@link ExecutionListener}). Default: nobody. */
    public Builder executionListener(ExecutionListener l) {
      engine.executionListener(l);
      return this;
    }

    /** Told of each AWS action an execution takes under its state machine's role. Default: nobody. */
    public Builder actionListener(AwsActionListener l) {
      engine.actionListener(l);
      return this;
    }

    /**
     * How many finished executions (Distributed Map children included) stay describable and listed; past that,
     * the one that finished first is forgotten. Running executions always are. Default 1,000.
     */
    public Builder retainedExecutions(int n) {
      engine.retainedExecutions(n);
      return this;
    }

    /**
     * Keeps executions in this directory, so that they survive a restart (see {@link Engine.Builder#dataDirectory}
     * and {@link LocalStepFunctions#resume()}). Default: in memory.
     */
    public Builder dataDirectory(Path dir) {
      engine.dataDirectory(dir);
      return this;
    }

    public LocalStepFunctions start() {
      return new LocalStepFunctions(this);
    }
  }

  private final TaskClients clients;
  private final TaskDispatcher tasks;
  private final Engine engine;
  private final StepFunctionsService service;
  private final SfnHttpServer server;

  private LocalStepFunctions(Builder b) {
    this.clients = new TaskClients(b.region, b.credentials, b.endpoints);
    LambdaInvoker invoker = b.lambdaInvoker != null ? b.lambdaInvoker : new SdkLambdaInvoker(clients);
    this.tasks = AwsIntegrations.registerAll(new TaskDispatcher(invoker), clients);
    this.engine = b.engine.taskExecutor(tasks).region(b.region).objectStore(AwsIntegrations.objectStore(clients))
        .build();
    this.service = new StepFunctionsService(engine);
    try {
      this.server = b.http ? SfnHttpServer.start(service, b.host, b.port) : null;
    } catch (IOException e) {
      close();
      throw new UncheckedIOException(e);
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The HTTP endpoint for an SDK client's {@code endpointOverride}; null when HTTP is off. */
  public URI endpoint() {
    return server == null ? null : server.endpoint();
  }

  /**
   * With a data directory, restores the executions kept there and resumes those that had not ended (see
   * {@link Engine#resume()}): call it once the resources their tasks use are ready. Returns how many were resumed.
   */
  public int resume() {
    return engine.resume().size();
  }

  public StepFunctionsService service() {
    return service;
  }

  public Engine engine() {
    return engine;
  }

  @Override
  public void close() {
    if (server != null) {
      server.close();
    }
    if (engine != null) {
      engine.close();
    }
    if (tasks != null) {
      tasks.close();
    }
    clients.close();
  }
}
