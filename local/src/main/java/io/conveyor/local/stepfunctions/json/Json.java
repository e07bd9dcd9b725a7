package io.conveyor.local.stepfunctions.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.Iterator;
import java.util.Map;

/**
 * The engine's JSON value model: one shared {@link ObjectMapper} and helpers on Jackson {@link JsonNode}s.
 *
 * <p>Values flowing through an execution are treated as immutable once produced; helpers that change a
 * value copy it first. Thread-safe.
 */
public final class Json {

  /** Shared mapper; integers stay integral nodes and decimals stay floating nodes, as AWS keeps them. */
  public static final ObjectMapper MAPPER = JsonMapper.builder()
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
      .build();

  public static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private Json() {
  }

  /** Parses JSON text; throws {@link IllegalArgumentException} with Jackson's message when it is not JSON. */
  public static JsonNode parse(String text) {
    try {
      JsonNode node = MAPPER.readTree(text);
      if (node == null || node.isMissingNode()) {
        throw new IllegalArgumentException("empty JSON text");
      }
      return node;
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e.getOriginalMessage(), e);
    }
  }

  /** Compact JSON text, as AWS prints payloads (no spaces). */
  public static String write(JsonNode node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  public static String writePretty(JsonNode node) {
    try {
      return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  public static ObjectNode object() {
    return NODES.objectNode();
  }

  public static ArrayNode array() {
    return NODES.arrayNode();
  }

  public static JsonNode text(String s) {
    return s == null ? NODES.nullNode() : NODES.textNode(s);
  }

  /** Size in bytes of the UTF-8 JSON text, for the 256 KiB payload limit. */
  public static int utf8Size(JsonNode node) {
    return write(node).getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
  }

  /** The JSON type name as AWS messages use it: object, array, string, number, boolean, null. */
  public static String typeName(JsonNode node) {
    if (node == null || node.isMissingNode() || node.isNull()) {
      return "null";
    }
    if (node.isObject()) {
      return "object";
    }
    if (node.isArray()) {
      return "array";
    }
    if (node.isTextual()) {
      return "string";
    }
    if (node.isNumber()) {
      return "number";
    }
    if (node.isBoolean()) {
      return "boolean";
    }
    return "unknown";
  }

  /**
   * Value equality with numeric equality ({@code 1 == 1.0}), as the States Language compares values.
   */
  public static boolean valueEquals(JsonNode a, JsonNode b) {
    if (a == b) {
      return true;
    }
    if (a == null || b == null) {
      return false;
    }
    if (a.isNumber() && b.isNumber()) {
      return compareNumbers(a, b) == 0;
    }
    if (a.getNodeType() != b.getNodeType()) {
      return false;
    }
    if (a.isArray()) {
      if (a.size() != b.size()) {
        return false;
      }
      for (int i = 0; i < a.size(); i++) {
        if (!valueEquals(a.get(i), b.get(i))) {
          return false;
        }
      }
      return true;
    }
    if (a.isObject()) {
      if (a.size() != b.size()) {
        return false;
      }
      Iterator<Map.Entry<String, JsonNode>> it = a.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        JsonNode other = b.get(e.getKey());
        if (other == null || !valueEquals(e.getValue(), other)) {
          return false;
        }
      }
      return true;
    }
    return a.equals(b);
  }

  public static int compareNumbers(JsonNode a, JsonNode b) {
    if (a.isIntegralNumber() && b.isIntegralNumber() && a.canConvertToLong() && b.canConvertToLong()) {
      return Long.compare(a.longValue(), b.longValue());
    }
    if (isNonFinite(a) || isNonFinite(b)) {
      return Double.compare(a.doubleValue(), b.doubleValue());
    }
    return a.decimalValue().compareTo(b.decimalValue());
  }

  private static boolean isNonFinite(JsonNode n) {
    return (n.isDouble() || n.isFloat()) && !Double.isFinite(n.doubleValue());
  }

  /** A number node for a double that is integral when it has no fraction, as JSON parsers of AWS print it. */
  public static JsonNode number(double d) {
    if (Double.isFinite(d) && d == Math.rint(d) && Math.abs(d) < 1e15) {
      return NODES.numberNode((long) d);
    }
    return NODES.numberNode(d);
  }

  public static JsonNode number(BigDecimal d) {
    return NODES.numberNode(d);
  }
}
