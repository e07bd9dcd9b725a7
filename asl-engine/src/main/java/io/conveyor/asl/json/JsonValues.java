package io.conveyor.asl.json;

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
import java.math.BigInteger;
import java.util.Iterator;
import java.util.Map;

/**
 * The engine's JSON value model: one shared {@link ObjectMapper} and helpers on Jackson {@link JsonNode}s.
 *
 * <p>Values flowing through an execution are treated as immutable once produced; helpers that change a
 * value copy it first. Thread-safe.
 */
public final class JsonValues {

  /** Shared mapper; integers stay integral nodes and decimals stay floating nodes, as AWS keeps them. */
  public static final ObjectMapper MAPPER = JsonMapper.builder()
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
      .build();

  public static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private JsonValues() {
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

  /**
   * True when the UTF-8 JSON text of {@code node} ({@link #write}) is longer than {@code limit} bytes. Exact: it
   * first adds up upper bounds of the text's size over the tree, which cost far less than writing it, and writes
   * the text only when they pass the limit, so a value is never wrongly judged too large.
   */
  public static boolean exceedsUtf8Size(JsonNode node, int limit) {
    return sizeBound(node, limit, false) > limit && sizeBound(node, limit, true) > limit && utf8Size(node) > limit;
  }

  /**
   * An upper bound of the UTF-8 size of {@code node}'s JSON text as {@link #MAPPER} writes it, or any value above
   * {@code budget} once the bound passes it (the walk stops there). Numbers count the length of their longest text
   * form. Strings count 6 bytes per character unless {@code scan}, which reads them to count 6 per control
   * character (a six-character escape), 2 per quote or backslash and 1 to 3 per other character (the mapper does
   * not escape non-ASCII): the first bound costs nothing per character and settles most values.
   */
  static long sizeBound(JsonNode node, long budget, boolean scan) {
    switch (node.getNodeType()) {
      case OBJECT: {
        long size = 2 + Math.max(0, node.size() - 1);
        Iterator<Map.Entry<String, JsonNode>> it = node.fields();
        while (it.hasNext() && size <= budget) {
          Map.Entry<String, JsonNode> e = it.next();
          size += stringBound(e.getKey(), scan) + 1;
          size += sizeBound(e.getValue(), budget - size, scan);
        }
        return size;
      }
      case ARRAY: {
        long size = 2 + Math.max(0, node.size() - 1);
        for (int i = 0; i < node.size() && size <= budget; i++) {
          size += sizeBound(node.get(i), budget - size, scan);
        }
        return size;
      }
      case STRING:
        return stringBound(node.textValue(), scan);
      case BOOLEAN:
        return 5;
      case NULL:
        return 4;
      case NUMBER:
        return numberBound(node);
      default:
        // Binary, POJO or missing nodes: no bound is known, so the caller measures the text.
        return Long.MAX_VALUE / 4;
    }
  }

  private static long numberBound(JsonNode node) {
    switch (node.numberType()) {
      case INT:
        return 11;
      case LONG:
        return 20;
      case FLOAT:
      case DOUBLE:
        // Double.toString is at most 24 characters; non-finite values are written as quoted names.
        return 25;
      case BIG_INTEGER:
        return node.bigIntegerValue().toString().length();
      default:
        BigDecimal d = node.decimalValue();
        return d.toString().length() + (long) d.precision() + Math.abs((long) d.scale()) + 3;
    }
  }

  private static long stringBound(String s, boolean scan) {
    if (!scan) {
      return 2 + 6L * s.length();
    }
    long size = 2;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20) {
        size += 6;
      } else if (c == '"' || c == '\\') {
        size += 2;
      } else if (c < 0x80) {
        size += 1;
      } else if (c < 0x800) {
        size += 2;
      } else {
        size += 3;
      }
    }
    return size;
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

  /**
   * The node of a Java string, boolean or integral number (Integer, Long, BigInteger), which every conversion of
   * plain Java values makes alike; null for any other value, whose node the caller decides (JSONata's results and
   * Jayway's differ on fractions, nulls and containers).
   */
  public static JsonNode scalarNode(Object o) {
    if (o instanceof String s) {
      return NODES.textNode(s);
    }
    if (o instanceof Boolean b) {
      return NODES.booleanNode(b);
    }
    if (o instanceof Integer i) {
      return NODES.numberNode(i);
    }
    if (o instanceof Long l) {
      return NODES.numberNode(l);
    }
    if (o instanceof BigInteger bi) {
      return NODES.numberNode(bi);
    }
    return null;
  }
}
