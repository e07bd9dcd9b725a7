package io.conveyor.asl.path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.jayway.jsonpath.Configuration;
import com.jayway.jsonpath.InvalidPathException;
import com.jayway.jsonpath.JsonPath;
import com.jayway.jsonpath.spi.json.JacksonJsonNodeJsonProvider;
import com.jayway.jsonpath.spi.mapper.JacksonMappingProvider;
import io.conveyor.asl.json.JsonValues;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * JSONPath evaluation over Jackson nodes with the Jayway engine, which is what AWS Step Functions uses (its
 * "No results for path" wording comes from Jayway), plus the States Language reference-path writer for
 * ResultPath. Thread-safe; compiled paths are cached.
 */
public final class JsonPaths {

  private static final Configuration CONF = Configuration.builder()
      .jsonProvider(new JacksonJsonNodeJsonProvider(JsonValues.MAPPER))
      .mappingProvider(new JacksonMappingProvider(JsonValues.MAPPER))
      .build();

  private static final Map<String, JsonPath> CACHE = new ConcurrentHashMap<>();
  private static final int CACHE_LIMIT = 10_000;
  /** Jayway's message for each path it could not parse. */
  private static final Map<String, String> INVALID = new ConcurrentHashMap<>();
  /** Each path's reference steps (empty when it is not a reference path), parsed once. */
  private static final Map<String, List<Step>> REFERENCE_STEPS = new ConcurrentHashMap<>();

  private JsonPaths() {
  }

  /**
   * Selects {@code path} from {@code doc}.
   *
   * @throws PathNotFoundException when a definite path selects nothing
   * @throws InvalidPathException when the path does not parse
   */
  public static JsonNode read(String path, JsonNode doc) {
    if ("$".equals(path)) {
      return doc;
    }
    JsonNode found = walk(cachedReferenceSteps(path), doc);
    if (found != null) {
      return found;
    }
    JsonPath compiled = compile(path);
    try {
      Object r = compiled.read(doc, CONF);
      return toNode(r);
    } catch (com.jayway.jsonpath.PathNotFoundException e) {
      if (!compiled.isDefinite()) {
        // An indefinite path (wildcard, slice, filter) that matches nothing selects an empty list on AWS.
        return JsonValues.array();
      }
      throw new PathNotFoundException(path, e.getMessage());
    }
  }

  /**
   * Follows a reference path's steps; null when it has none or a step finds nothing (Jayway then says why). Most
   * paths in state machines are reference paths, and walking them costs a fraction of a Jayway evaluation.
   */
  private static JsonNode walk(List<Step> steps, JsonNode doc) {
    if (steps.isEmpty()) {
      return null;
    }
    JsonNode cur = doc;
    for (Step s : steps) {
      if (s.field() != null) {
        cur = cur instanceof ObjectNode ? cur.get(s.field()) : null;
      } else {
        cur = cur instanceof ArrayNode && s.index() >= 0 && s.index() < cur.size() ? cur.get(s.index()) : null;
      }
      if (cur == null) {
        return null;
      }
    }
    return cur;
  }

  private static List<Step> cachedReferenceSteps(String path) {
    List<Step> steps = REFERENCE_STEPS.get(path);
    if (steps == null) {
      List<Step> parsed = referenceSteps(path);
      steps = parsed == null ? List.of() : parsed;
      if (REFERENCE_STEPS.size() < CACHE_LIMIT) {
        REFERENCE_STEPS.put(path, steps);
      }
    }
    return steps;
  }

  /** True when the path is definite (selects at most one value). */
  public static boolean isDefinite(String path) {
    return "$".equals(path) || compile(path).isDefinite();
  }

  /** Parses a path, caching it; throws Jayway's {@link InvalidPathException} when it does not parse. */
  public static JsonPath compile(String path) {
    JsonPath p = CACHE.get(path);
    if (p == null) {
      String invalid = INVALID.get(path);
      if (invalid != null) {
        throw new InvalidPathException(invalid);
      }
      try {
        p = JsonPath.compile(path);
      } catch (InvalidPathException e) {
        // A definition's invalid path fails each time it is evaluated: parse it once.
        if (INVALID.size() < CACHE_LIMIT) {
          INVALID.put(path, e.getMessage());
        }
        throw e;
      }
      if (CACHE.size() < CACHE_LIMIT) {
        CACHE.put(path, p);
      }
    }
    return p;
  }

  /** Converts what Jayway's Jackson provider returns (nodes, or unwrapped primitives) into a node. */
  public static JsonNode toNode(Object o) {
    if (o == null) {
      return JsonValues.NODES.nullNode();
    }
    if (o instanceof JsonNode n) {
      return n;
    }
    JsonNode scalar = JsonValues.scalarNode(o);
    if (scalar != null) {
      return scalar;
    }
    if (o instanceof Double d) {
      return JsonValues.NODES.numberNode(d);
    }
    if (o instanceof Float f) {
      return JsonValues.NODES.numberNode(f);
    }
    if (o instanceof BigDecimal d) {
      return JsonValues.NODES.numberNode(d);
    }
    if (o instanceof List<?> list) {
      ArrayNode a = JsonValues.array();
      list.forEach(x -> a.add(toNode(x)));
      return a;
    }
    if (o instanceof Map<?, ?> m) {
      ObjectNode obj = JsonValues.object();
      m.forEach((k, v) -> obj.set(String.valueOf(k), toNode(v)));
      return obj;
    }
    return JsonValues.MAPPER.valueToTree(o);
  }

  /** One step of a reference path: a field name or an array index. */
  private record Step(String field, int index) {
  }

  /**
   * Parses a reference path ({@code $}, {@code $.a.b}, {@code $['a'][0]}); returns null when it is not a
   * reference path.
   */
  static List<Step> referenceSteps(String path) {
    if (path == null || !path.startsWith("$")) {
      return null;
    }
    List<Step> steps = new ArrayList<>();
    int i = 1;
    int n = path.length();
    while (i < n) {
      char c = path.charAt(i);
      if (c == '.') {
        int j = i + 1;
        while (j < n && path.charAt(j) != '.' && path.charAt(j) != '[') {
          j++;
        }
        String f = path.substring(i + 1, j);
        if (f.isEmpty() || f.equals("*")) {
          return null;
        }
        steps.add(new Step(f, -1));
        i = j;
      } else if (c == '[') {
        int j = path.indexOf(']', i);
        if (j < 0) {
          return null;
        }
        String inner = path.substring(i + 1, j).trim();
        if ((inner.startsWith("'") && inner.endsWith("'") || inner.startsWith("\"") && inner.endsWith("\""))
            && inner.length() >= 2) {
          steps.add(new Step(inner.substring(1, inner.length() - 1), -1));
        } else {
          try {
            steps.add(new Step(null, Integer.parseInt(inner)));
          } catch (NumberFormatException e) {
            return null;
          }
        }
        i = j + 1;
      } else {
        return null;
      }
    }
    return steps;
  }

  /** True when the path is a valid reference path usable as a ResultPath. */
  public static boolean isReferencePath(String path) {
    return referenceSteps(path) != null;
  }

  /**
   * Writes {@code value} at the reference path into a copy of {@code input}, creating missing objects; returns
   * null when the path cannot be applied (a step crosses a non-object). Only the containers on the path are
   * copied: the rest is shared with {@code input}, which values flowing through an execution allow, since none is
   * changed once produced.
   */
  public static JsonNode write(String path, JsonNode input, JsonNode value) {
    List<Step> steps = referenceSteps(path);
    if (steps == null) {
      throw new IllegalArgumentException("Invalid reference path: " + path);
    }
    if (steps.isEmpty()) {
      return value;
    }
    JsonNode root = input == null || input.isNull() || input.isMissingNode() ? JsonValues.object() : shallowCopy(input);
    if (!root.isContainerNode()) {
      return null;
    }
    JsonNode cur = root;
    for (int k = 0; k < steps.size(); k++) {
      Step s = steps.get(k);
      boolean last = k == steps.size() - 1;
      if (s.field() != null) {
        if (!(cur instanceof ObjectNode obj)) {
          return null;
        }
        if (last) {
          obj.set(s.field(), value);
        } else {
          JsonNode nxt = obj.get(s.field());
          nxt = nxt == null || !nxt.isContainerNode() ? JsonValues.object() : shallowCopy(nxt);
          obj.set(s.field(), nxt);
          cur = nxt;
        }
      } else {
        if (!(cur instanceof ArrayNode arr) || s.index() < 0 || s.index() >= arr.size()) {
          return null;
        }
        if (last) {
          arr.set(s.index(), value);
        } else {
          JsonNode nxt = shallowCopy(arr.get(s.index()));
          arr.set(s.index(), nxt);
          cur = nxt;
        }
      }
    }
    return root;
  }

  /** A copy of a container that shares its members; any other node itself. */
  private static JsonNode shallowCopy(JsonNode node) {
    if (node instanceof ObjectNode obj) {
      ObjectNode copy = JsonValues.object();
      copy.setAll(obj);
      return copy;
    }
    if (node instanceof ArrayNode arr) {
      ArrayNode copy = JsonValues.array();
      copy.addAll(arr);
      return copy;
    }
    return node;
  }
}
