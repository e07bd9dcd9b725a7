package io.conveyor.asl.path;

import com.fasterxml.jackson.databind.JsonNode;
import io.conveyor.asl.json.JsonValues;
import java.util.Map;

/** A path scope with a given input, context object and variables. */
record Scope(JsonNode input, JsonNode contextObject, Map<String, JsonNode> variables) implements PathScope {

  static Scope of(String input) {
    return new Scope(JsonValues.parse(input), JsonValues.parse("{\"State\":{\"Name\":\"S\",\"RetryCount\":2}}"),
        Map.of("v", JsonValues.parse("{\"n\":5,\"list\":[1,2]}")));
  }

  @Override
  public JsonNode variable(String name) {
    return variables.get(name);
  }
}
