package io.conveyor.asl.engine.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conveyor.asl.definition.State;
import io.conveyor.asl.engine.StatesError;
import io.conveyor.asl.json.JsonValues;
import io.conveyor.asl.jsonata.JsonataSupport;
import io.conveyor.asl.path.PayloadTemplate;
import java.nio.charset.StandardCharsets;

/**
 * A Map state's fields evaluated: its items (ItemsPath, Items; ItemReader apart), MaxConcurrency, the tolerated
 * failures and the ItemBatcher's batches, with AWS's error for each value out of range.
 */
final class MapInputs {

  private MapInputs() {
  }

  /** The items of a Map without an ItemReader: Items (JSONata), ItemsPath (JSONPath), or the input itself. */
  static ArrayNode items(State.MapState m, StateContext c, JsonNode effective) {
    State.MapState.Spec spec = m.spec();
    if (!m.isJsonata()) {
      JsonNode ip = spec.itemsPath();
      String path = ip.isMissingNode() || ip.isNull() ? "$" : ip.asText();
      JsonNode items = Payloads.selectPath(path, c.withInput(effective));
      if (!items.isArray()) {
        throw StatesError.runtime("Invalid path '" + path + "' : The ItemsPath field must reference an array, "
            + "but was: " + JsonValues.typeName(items));
      }
      return (ArrayNode) items;
    }
    if (spec.items() == null) {
      if (!c.input().isArray()) {
        throw StatesError.queryEvaluation("Map state input must be an array but was: " + JsonValues.write(c.input()));
      }
      return (ArrayNode) c.input();
    }
    boolean expression = JsonataSupport.isExpression(spec.items());
    JsonNode items;
    if (expression) {
      items = JsonataSupport.evaluate(JsonataSupport.expressionOf(spec.items().textValue()), c, "Items");
      if (items == null) {
        items = JsonValues.NODES.nullNode();
      }
    } else {
      items = JsonataSupport.evaluateTemplate(spec.items(), c, "Items");
    }
    if (!items.isArray()) {
      String expr = expression ? JsonataSupport.expressionOf(spec.items().textValue()) : JsonValues.write(spec.items());
      throw StatesError.queryEvaluation("The JSONata expression '" + expr + "' specified for the field 'Items' "
          + "returned an unexpected result type. Expected 'array', but was '" + JsonValues.typeName(items)
          + "' for value: " + JsonValues.write(items));
    }
    return (ArrayNode) items;
  }

  /** MaxConcurrency (or its Path or JSONata form): 0 or more, 0 when absent. */
  static int maxConcurrency(State.MapState m, StateContext c) {
    JsonNode value = m.spec().maxConcurrency();
    String path = m.spec().maxConcurrencyPath();
    String field = "MaxConcurrency";
    if (value != null) {
      JsonNode v = value;
      if (m.isJsonata() && JsonataSupport.isExpression(v)) {
        v = JsonataSupport.evaluateTemplate(v, c, field);
        if (!v.isNumber() || v.doubleValue() != Math.rint(v.doubleValue())) {
          throw StatesError.queryEvaluation("The JSONata expression '"
              + JsonataSupport.expressionOf(value.textValue()) + "' specified for the field '" + field
              + "' returned an unexpected result type. Expected 'integer', but was '" + JsonValues.typeName(v)
              + "' for value: " + JsonValues.write(v));
        }
      }
      if (v.asInt() < 0) {
        throw StatesError.inState(m.isJsonata() ? StatesError.QUERY_EVALUATION_ERROR : StatesError.RUNTIME,
            field + " cannot be negative.");
      }
      return v.asInt();
    }
    if (path != null) {
      JsonNode v = Payloads.selectPath(path, c);
      if (!v.isIntegralNumber() && !(v.isNumber() && v.doubleValue() == Math.rint(v.doubleValue()))) {
        throw StatesError.runtime("The " + field + "Path field refers to value " + JsonValues.write(v)
            + " which is not a valid integer: " + path);
      }
      if (v.asLong() < 0) {
        throw StatesError.runtime(field + " cannot be negative.");
      }
      return (int) Math.min(Integer.MAX_VALUE, v.asLong());
    }
    return 0;
  }

  /**
   * ToleratedFailurePercentage or ToleratedFailureCount (or their Path or JSONata forms), or null when absent. A
   * path may give the number as a string, as AWS accepts.
   */
  static Double tolerance(State.MapState m, StateContext c, JsonNode value, String path, String field,
      boolean percentage) {
    JsonNode v;
    boolean fromPath = false;
    if (value != null) {
      v = value;
      if (m.isJsonata() && JsonataSupport.isExpression(v)) {
        v = JsonataSupport.evaluateTemplate(v, c, field);
      }
    } else if (path != null) {
      v = Payloads.selectPath(path, c);
      fromPath = true;
    } else {
      return null;
    }
    double d;
    if (v.isNumber()) {
      d = v.doubleValue();
    } else if (fromPath) {
      d = parsed(v, path, field, percentage);
    } else {
      throw StatesError.inState(m.isJsonata() ? StatesError.QUERY_EVALUATION_ERROR : StatesError.RUNTIME,
          "The " + field + " field must be a number, but was: " + JsonValues.write(v));
    }
    String err = m.isJsonata() && !fromPath ? StatesError.QUERY_EVALUATION_ERROR : StatesError.RUNTIME;
    if (percentage && (d < 0 || d > 100)) {
      throw StatesError.inState(err, field + " must be between 0 and 100.");
    }
    if (!percentage && d < 0) {
      throw StatesError.inState(err, field + " cannot be negative.");
    }
    return d;
  }

  /** A tolerance a path selected as a string, as AWS accepts it. */
  private static double parsed(JsonNode v, String path, String field, boolean percentage) {
    if (v.isTextual()) {
      try {
        return percentage ? Double.parseDouble(v.textValue()) : Long.parseLong(v.textValue());
      } catch (NumberFormatException e) {
        // AWS's message, below.
      }
    }
    throw StatesError.runtime("The " + field + "Path field refers to value \"" + (v.isTextual() ? v.textValue()
        : JsonValues.write(v)) + "\" which is not a valid " + (percentage ? "float" : "integer") + ": " + path);
  }

  /**
   * The ItemBatcher's batches, {@code {"BatchInput": ..., "Items": [...]}}: a new batch starts when one would
   * exceed MaxItemsPerBatch or MaxInputBytesPerBatch (the items' JSON text, in UTF-8 bytes).
   */
  static ArrayNode batches(State.MapState m, StateContext c, ArrayNode items, JsonNode effective) {
    JsonNode b = m.spec().itemBatcher();
    long maxItems = b.path("MaxItemsPerBatch").asLong(0);
    if (b.has("MaxItemsPerBatchPath")) {
      maxItems = Payloads.selectPath(b.get("MaxItemsPerBatchPath").asText(), c.withInput(effective)).asLong();
    }
    long maxBytes = b.path("MaxInputBytesPerBatch").asLong(Payloads.MAX_PAYLOAD_BYTES);
    if (b.has("MaxInputBytesPerBatchPath")) {
      maxBytes = Payloads.selectPath(b.get("MaxInputBytesPerBatchPath").asText(), c.withInput(effective)).asLong();
    }
    JsonNode batchInput = null;
    if (b.has("BatchInput")) {
      batchInput = m.isJsonata()
          ? JsonataSupport.evaluateTemplate(b.get("BatchInput"), c, "ItemBatcher/BatchInput")
          : PayloadTemplate.evaluate(b.get("BatchInput"), c.withInput(effective));
    }
    ArrayNode batches = JsonValues.array();
    ArrayNode current = JsonValues.array();
    long currentBytes = 0;
    for (JsonNode item : items) {
      long size = JsonValues.write(item).getBytes(StandardCharsets.UTF_8).length;
      if (current.size() > 0 && ((maxItems > 0 && current.size() >= maxItems) || currentBytes + size > maxBytes)) {
        batches.add(batch(current, batchInput));
        current = JsonValues.array();
        currentBytes = 0;
      }
      current.add(item);
      currentBytes += size;
    }
    if (current.size() > 0) {
      batches.add(batch(current, batchInput));
    }
    return batches;
  }

  private static JsonNode batch(ArrayNode items, JsonNode batchInput) {
    ObjectNode o = JsonValues.object();
    if (batchInput != null) {
      o.set("BatchInput", batchInput);
    }
    o.set("Items", items);
    return o;
  }
}
