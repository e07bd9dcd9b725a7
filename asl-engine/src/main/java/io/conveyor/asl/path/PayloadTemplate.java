package io.conveyor.asl.path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conveyor.asl.engine.StatesError;
import io.conveyor.asl.json.JsonValues;
import java.util.Iterator;
import java.util.Map;

/**
 * JSONPath-mode payload templates (Parameters, ResultSelector, ItemSelector, Assign): fields whose names end in
 * {@code .$} are evaluated as paths or intrinsic calls and lose the suffix; the rest are copied.
 */
public final class PayloadTemplate {

  private PayloadTemplate() {
  }

  public static JsonNode evaluate(JsonNode template, PathScope scope) {
    if (template.isObject()) {
      ObjectNode out = JsonValues.object();
      Iterator<Map.Entry<String, JsonNode>> it = template.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        String key = e.getKey();
        JsonNode v = e.getValue();
        if (key.endsWith(".$") && key.length() > 2) {
          String field = key.substring(0, key.length() - 2);
          out.set(field, evaluateField(key, v, scope));
        } else {
          out.set(key, evaluate(v, scope));
        }
      }
      return out;
    }
    if (template.isArray()) {
      ArrayNode out = JsonValues.array();
      for (JsonNode x : template) {
        out.add(evaluate(x, scope));
      }
      return out;
    }
    return template;
  }

  private static JsonNode evaluateField(String key, JsonNode v, PathScope scope) {
    if (!v.isTextual()) {
      throw StatesError.runtime("The value for the field '" + key + "' must be a STRING that contains a JSONPath "
          + "but was " + JsonValues.typeName(v).toUpperCase());
    }
    String expr = v.textValue();
    try {
      return Sampler.evaluate(expr, scope);
    } catch (PathNotFoundException e) {
      JsonNode doc = expr.startsWith("$$") ? scope.contextObject() : scope.input();
      throw StatesError.runtime("The JSONPath '" + expr + "' specified for the field '" + key
          + "' could not be found in the input '" + JsonValues.write(doc) + "'");
    } catch (com.jayway.jsonpath.InvalidPathException e) {
      throw StatesError.runtime("The JSONPath '" + expr + "' specified for the field '" + key
          + "' is invalid: " + e.getMessage());
    }
  }
}
