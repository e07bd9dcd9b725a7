package io.conveyor.asl.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conveyor.asl.json.JsonValues;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A workflow-variable scope. Map iterations and Parallel branches get a child scope: they read the outer
 * variables but their own assignments stay inside the branch, as on AWS.
 */
public final class Variables {
  private final Variables parent;
  private final Map<String, JsonNode> values = new ConcurrentHashMap<>();

  public Variables(Variables parent) {
    this.parent = parent;
  }

  /** The value, or null when undefined in this scope and its parents. */
  public JsonNode get(String name) {
    JsonNode v = values.get(name);
    if (v == null && parent != null) {
      return parent.get(name);
    }
    return v;
  }

  public void putAll(Map<String, JsonNode> assignments) {
    values.putAll(assignments);
  }

  /** This scope's own variables (not its parents'), as a JSON object. */
  public ObjectNode snapshot() {
    ObjectNode o = JsonValues.object();
    values.forEach(o::set);
    return o;
  }

  public Variables child() {
    return new Variables(this);
  }
}
