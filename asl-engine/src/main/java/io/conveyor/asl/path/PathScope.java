package io.conveyor.asl.path;

import com.fasterxml.jackson.databind.JsonNode;

/** What JSONPath expressions of a state can see: the input ({@code $}), the context object ({@code $$}) and
 * workflow variables ({@code $name}). */
public interface PathScope {

  JsonNode input();

  JsonNode contextObject();

  /** The variable's value, or null when no such variable is defined. */
  JsonNode variable(String name);

  /** The same scope with a different {@code $}. */
  default PathScope withInput(JsonNode newInput) {
    PathScope self = this;
    return new PathScope() {
      @Override
      public JsonNode input() {
        return newInput;
      }

      @Override
      public JsonNode contextObject() {
        return self.contextObject();
      }

      @Override
      public JsonNode variable(String name) {
        return self.variable(name);
      }
    };
  }
}
