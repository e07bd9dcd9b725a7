package io.conveyor.asl.task;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conveyor.asl.engine.StatesError;
import io.conveyor.asl.engine.TaskExecutor;
import io.conveyor.asl.engine.TaskRequest;
import io.conveyor.asl.json.JsonValues;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Routes Task resources: Lambda function ARNs and {@code lambda:invoke} go to the {@link LambdaInvoker}; service
 * integrations ({@code arn:aws:states:::service:action}, {@code aws-sdk:...}) go to registered handlers.
 * Blocking calls run on a cached I/O pool so the engine's workers never wait on the network.
 */
public final class TaskDispatcher implements TaskExecutor, AutoCloseable {

  /** A service integration: takes the task's parameters and returns its result, throwing StatesError on failure. */
  public interface Integration extends Function<TaskRequest, JsonNode> {
  }

  private final LambdaInvoker lambda;
  private final Map<String, Integration> integrations = new ConcurrentHashMap<>();
  private final ExecutorService io;
  private final boolean inline;

  /**
   * @param lambda how Lambda functions are invoked
   * @param inline true to call the invoker on the engine's thread (in-process handlers that never block)
   */
  public TaskDispatcher(LambdaInvoker lambda, boolean inline) {
    this.lambda = lambda;
    this.inline = inline;
    AtomicInteger n = new AtomicInteger();
    this.io = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "sfn-io-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  public TaskDispatcher(LambdaInvoker lambda) {
    this(lambda, false);
  }

  /**
   * Registers an integration for a resource prefix without the {@code .sync}/{@code .waitForTaskToken} suffix,
   * e.g. {@code arn:aws:states:::dynamodb:putItem}.
   */
  public TaskDispatcher register(String resource, Integration integration) {
    integrations.put(resource, integration);
    return this;
  }

  @Override
  public CompletableFuture<JsonNode> execute(TaskRequest r) {
    if (inline) {
      try {
        return CompletableFuture.completedFuture(run(r));
      } catch (RuntimeException e) {
        return CompletableFuture.failedFuture(e);
      }
    }
    return CompletableFuture.supplyAsync(() -> run(r), io);
  }

  private JsonNode run(TaskRequest r) {
    String resource = r.resource();
    if (resource.startsWith("arn:aws:lambda:")) {
      return invokeLambda(resource, r.parameters(), false);
    }
    String base = resource;
    for (String suffix : new String[] {".waitForTaskToken", ".sync:2", ".sync"}) {
      if (base.endsWith(suffix)) {
        base = base.substring(0, base.length() - suffix.length());
        break;
      }
    }
    if (base.equals("arn:aws:states:::lambda:invoke")) {
      JsonNode p = r.parameters();
      JsonNode fn = p.get("FunctionName");
      if (fn == null || !fn.isTextual()) {
        throw new StatesError("States.Runtime", "The field 'FunctionName' is required for lambda:invoke");
      }
      JsonNode payload = p.get("Payload");
      String body;
      if (payload == null || payload.isNull()) {
        body = "{}";
      } else if (payload.isTextual()) {
        body = payload.textValue();
      } else {
        body = JsonValues.write(payload);
      }
      return invokeLambdaRaw(fn.textValue(), body, true);
    }
    Integration i = integrations.get(base);
    if (i == null) {
      throw new StatesError("States.Runtime", "The resource '" + resource + "' is not supported by the local "
          + "Step Functions engine.");
    }
    return i.apply(r);
  }

  private JsonNode invokeLambda(String arn, JsonNode input, boolean wrap) {
    return invokeLambdaRaw(arn, JsonValues.write(input), wrap);
  }

  private JsonNode invokeLambdaRaw(String function, String body, boolean wrap) {
    LambdaInvoker.LambdaResponse resp;
    try {
      resp = lambda.invoke(function, body);
    } catch (LambdaInvoker.LambdaServiceException e) {
      throw new StatesError("Lambda." + e.errorCode(), e.getMessage());
    }
    if (resp.functionError() != null) {
      String error = "Lambda.Unknown";
      try {
        JsonNode doc = JsonValues.parse(resp.payload());
        if (doc.hasNonNull("errorType")) {
          error = doc.get("errorType").asText();
        }
      } catch (IllegalArgumentException ignored) {
        // A payload that is not JSON keeps the generic error name.
      }
      throw new StatesError(error, resp.payload());
    }
    JsonNode payload;
    try {
      payload = resp.payload() == null || resp.payload().isEmpty() ? JsonValues.NODES.nullNode() : JsonValues.parse(resp.payload());
    } catch (IllegalArgumentException e) {
      throw new StatesError("Lambda.Unknown", "The Lambda function returned a payload that is not JSON: "
          + resp.payload());
    }
    if (!wrap) {
      return payload;
    }
    ObjectNode out = JsonValues.object();
    out.put("ExecutedVersion", resp.executedVersion() == null ? "$LATEST" : resp.executedVersion());
    out.set("Payload", payload);
    out.set("SdkHttpMetadata", sdkHttpMetadata());
    ObjectNode meta = JsonValues.object();
    meta.put("RequestId", java.util.UUID.randomUUID().toString());
    out.set("SdkResponseMetadata", meta);
    out.put("StatusCode", 200);
    return out;
  }

  private static ObjectNode sdkHttpMetadata() {
    ObjectNode m = JsonValues.object();
    ObjectNode headers = JsonValues.object();
    headers.put("Content-Type", "application/json");
    headers.put("X-Amz-Executed-Version", "$LATEST");
    m.set("HttpHeaders", headers);
    m.put("HttpStatusCode", 200);
    return m;
  }

  @Override
  public void close() {
    io.shutdownNow();
  }
}
