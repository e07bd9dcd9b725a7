package io.conveyor.asl.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import io.conveyor.asl.http.HttpEndpoint;
import io.conveyor.asl.json.JsonValues;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * An HTTP endpoint speaking the Step Functions API (AWS JSON 1.0, {@code X-Amz-Target: AWSStepFunctions.<Op>}),
 * so an unmodified {@code SfnClient} with {@code endpointOverride} works against the local engine. Requests are
 * not signature-checked.
 */
public final class SfnHttpServer implements AutoCloseable {

  private static final String TARGET_PREFIX = "AWSStepFunctions.";

  private final HttpEndpoint http;

  private SfnHttpServer(HttpEndpoint http) {
    this.http = http;
  }

  /**
   * Starts serving on {@code host:port} (port 0 picks a free port).
   *
   * @param service the API implementation
   * @param host the address to bind, e.g. 127.0.0.1
   * @param port the port, 0 for any free one
   */
  public static SfnHttpServer start(StepFunctionsService service, String host, int port) throws IOException {
    HttpEndpoint http = HttpEndpoint.bind(host, port, 0, "sfn-http");
    http.serve(exchange -> handle(service, exchange));
    return new SfnHttpServer(http);
  }

  public int port() {
    return http.port();
  }

  /** The endpoint URL to give an SDK client, e.g. {@code http://127.0.0.1:PORT}. */
  public URI endpoint() {
    return http.uri();
  }

  private static void handle(StepFunctionsService service, HttpExchange ex) throws IOException {
    int status = 200;
    ObjectNode body;
    try (InputStream in = ex.getRequestBody()) {
      String target = ex.getRequestHeaders().getFirst("X-Amz-Target");
      if (target == null || !target.startsWith(TARGET_PREFIX)) {
        throw new StepFunctionsException("UnknownOperationException", "Missing or invalid X-Amz-Target header");
      }
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      JsonNode req = text.isBlank() ? JsonValues.object() : JsonValues.parse(text);
      body = service.handle(target.substring(TARGET_PREFIX.length()), req);
    } catch (StepFunctionsException e) {
      status = e.status();
      body = error(e.type(), e.getMessage());
    } catch (IllegalArgumentException e) {
      status = 400;
      body = error("SerializationException", e.getMessage());
    } catch (RuntimeException e) {
      status = 500;
      body = error("InternalFailure", String.valueOf(e));
    }
    byte[] bytes = JsonValues.write(body).getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.0");
    ex.getResponseHeaders().set("x-amzn-RequestId", java.util.UUID.randomUUID().toString());
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static ObjectNode error(String type, String message) {
    ObjectNode o = JsonValues.object();
    o.put("__type", type);
    o.put("message", message);
    return o;
  }

  @Override
  public void close() {
    http.close();
  }
}
