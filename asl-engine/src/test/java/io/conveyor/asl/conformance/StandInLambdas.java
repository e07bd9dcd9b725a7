package io.conveyor.asl.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import io.conveyor.asl.json.JsonValues;
import io.conveyor.asl.task.LambdaInvoker;

/**
 * Lambda stand-ins described by a conformance case's {@code lambdas} block: {@code echo}, {@code return} a value,
 * or {@code raise} an error whose payload is the recorded cause.
 */
final class StandInLambdas implements LambdaInvoker {

  private final JsonNode lambdas;

  StandInLambdas(JsonNode lambdas) {
    this.lambdas = lambdas == null ? JsonValues.object() : lambdas;
  }

  static String functionName(String nameOrArn) {
    String n = nameOrArn;
    int i = n.indexOf(":function:");
    if (i >= 0) {
      n = n.substring(i + ":function:".length());
      int q = n.indexOf(':');
      if (q >= 0) {
        n = n.substring(0, q);
      }
    }
    return n;
  }

  @Override
  public LambdaResponse invoke(String functionName, String payload) {
    JsonNode spec = lambdas.get(functionName(functionName));
    if (spec == null) {
      throw new LambdaServiceException("ResourceNotFoundException", "Function not found: " + functionName);
    }
    switch (spec.path("behaviour").asText()) {
      case "echo":
        return LambdaResponse.ok(payload);
      case "return":
        return LambdaResponse.ok(JsonValues.write(spec.get("value")));
      case "raise":
        return LambdaResponse.error(spec.path("cause").asText());
      default:
        throw new IllegalArgumentException("Unknown behaviour " + spec);
    }
  }
}
