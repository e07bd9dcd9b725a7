package io.conveyor.asl.jsonata;

import com.dashjoin.jsonata.JException;
import com.dashjoin.jsonata.Jsonata;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conveyor.asl.engine.StatesError;
import io.conveyor.asl.json.JsonValues;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * JSONata evaluation for the States Language: {@code {% ... %}} templates, the {@code $states} variable, workflow
 * variables, and AWS's extra functions ({@code $partition}, {@code $range}, {@code $hash}, {@code $random},
 * {@code $uuid}, {@code $parse}). Thread-safe; compiled expressions are cached.
 */
public final class JsonataSupport {

  private static final Pattern VAR = Pattern.compile("\\$([A-Za-z_][A-Za-z0-9_]*)");
  private static final Set<String> AWS_FUNCTIONS = Set.of("partition", "range", "hash", "random", "uuid", "parse");

  /** A compiled expression with the variables it mentions. */
  private record Compiled(Jsonata expr, Set<String> names, String source) {
  }

  private static final Map<String, Compiled> CACHE = new ConcurrentHashMap<>();
  /** The same, by the whole {@code {% ... %}} text of a definition's field: no expression to cut out first. */
  private static final Map<String, Compiled> TEMPLATES = new ConcurrentHashMap<>();

  private JsonataSupport() {
  }

  /** Variables an evaluation can see: {@code $states} plus workflow variables by name. */
  public interface Bindings {
    /** The {@code $states} object (input, context, and result/errorOutput where defined). */
    JsonNode states();

    /** A workflow variable, or null when undefined. */
    JsonNode variable(String name);
  }

  /** True when a string value is a JSONata expression ({@code {% ... %}}). */
  public static boolean isExpression(JsonNode v) {
    if (v == null || !v.isTextual()) {
      return false;
    }
    String s = v.textValue();
    return s.startsWith("{%") && s.endsWith("%}") && s.length() >= 4;
  }

  /** The expression inside {@code {% ... %}}, trimmed. */
  public static String expressionOf(String s) {
    return s.substring(2, s.length() - 2).trim();
  }

  /**
   * Evaluates a template: strings in {@code {% %}} are evaluated, objects and arrays recursively, everything else
   * is a literal. {@code field} names the field for error messages (e.g. {@code Output}).
   */
  public static JsonNode evaluateTemplate(JsonNode template, Bindings b, String field) {
    return evaluateTemplate(template, b, (Object) field);
  }

  /**
   * A member's field name for error messages, such as {@code Output/a/0}, written only when a message needs it:
   * templates are evaluated for every state they belong to, errors are rare.
   */
  private record FieldPath(Object parent, Object member) {
    @Override
    public String toString() {
      return parent + "/" + member;
    }
  }

  /** {@code field} is a String or a {@link FieldPath}. */
  private static JsonNode evaluateTemplate(JsonNode template, Bindings b, Object field) {
    if (template == null) {
      return null;
    }
    if (isExpression(template)) {
      Compiled c = compiledTemplate(template.textValue(), field);
      JsonNode r = evaluate(c, b, field);
      if (r == null) {
        throw StatesError.queryEvaluation("The JSONata expression '" + c.source() + "' specified for the field '"
            + field + "' returned nothing (undefined).");
      }
      return r;
    }
    if (template.isObject()) {
      ObjectNode out = JsonValues.object();
      Iterator<Map.Entry<String, JsonNode>> it = template.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        out.set(e.getKey(), evaluateTemplate(e.getValue(), b, new FieldPath(field, e.getKey())));
      }
      return out;
    }
    if (template.isArray()) {
      ArrayNode out = JsonValues.array();
      for (int i = 0; i < template.size(); i++) {
        out.add(evaluateTemplate(template.get(i), b, new FieldPath(field, i)));
      }
      return out;
    }
    return template;
  }

  /** Checks that an expression parses; throws {@link IllegalArgumentException} with JSONata's message if not. */
  public static void validate(String expr) {
    try {
      compile(expr);
    } catch (JException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  private static Compiled compile(String expr) {
    Compiled c = CACHE.get(expr);
    if (c != null) {
      return c;
    }
    Jsonata j = Jsonata.jsonata(expr);
    Set<String> names = new HashSet<>();
    Matcher m = VAR.matcher(expr);
    while (m.find()) {
      names.add(m.group(1));
    }
    return remember(CACHE, expr, new Compiled(j, Set.copyOf(names), expr));
  }

  /** A template's compiled expression; a parse error is the field's evaluation error. */
  private static Compiled compiledTemplate(String text, Object field) {
    Compiled c = TEMPLATES.get(text);
    return c != null ? c : remember(TEMPLATES, text, compiledOrError(expressionOf(text), field));
  }

  /**
   * Keeps {@code compiled} in {@code cache} while it holds fewer than 10,000: definitions are few, but expressions
   * built from data must not grow it forever.
   */
  private static Compiled remember(Map<String, Compiled> cache, String key, Compiled compiled) {
    if (cache.size() < 10_000) {
      cache.put(key, compiled);
    }
    return compiled;
  }

  private static Compiled compiledOrError(String expr, Object field) {
    try {
      return compile(expr);
    } catch (JException e) {
      throw StatesError.queryEvaluation("The JSONata expression '" + expr + "' specified for the field '" + field
          + "' could not be parsed: " + e.getMessage());
    }
  }

  /** Evaluates one expression; returns null when the result is undefined. */
  public static JsonNode evaluate(String expr, Bindings b, String field) {
    return evaluate(compiledOrError(expr, field), b, field);
  }

  private static JsonNode evaluate(Compiled c, Bindings b, Object field) {
    String expr = c.source();
    Object result;
    try {
      Jsonata.Frame frame = c.expr().createFrame();
      bind(frame, c, b);
      result = c.expr().evaluate(null, frame);
      if (result == null) {
        // JSONata in Java folds "undefined" and JSON null together; ask $exists to tell them apart.
        Compiled ex = compile("$exists((" + expr + "))");
        Jsonata.Frame f2 = ex.expr().createFrame();
        bind(f2, c, b);
        Object exists = ex.expr().evaluate(null, f2);
        return Boolean.TRUE.equals(exists) ? JsonValues.NODES.nullNode() : null;
      }
    } catch (JException e) {
      throw StatesError.queryEvaluation("The JSONata expression '" + expr + "' specified for the field '" + field
          + "' threw an error during evaluation: " + e.getMessage());
    } catch (StatesError e) {
      throw e;
    } catch (RuntimeException e) {
      throw StatesError.queryEvaluation("The JSONata expression '" + expr + "' specified for the field '" + field
          + "' threw an error during evaluation: " + e);
    }
    return toNode(result);
  }

  private static void bind(Jsonata.Frame frame, Compiled c, Bindings b) {
    for (String name : c.names()) {
      if (name.equals("states")) {
        frame.bind("states", toJava(b.states()));
        continue;
      }
      JsonNode v = b.variable(name);
      if (v != null) {
        frame.bind(name, toJava(v));
      } else if (AWS_FUNCTIONS.contains(name)) {
        frame.bind(name, awsFunction(name));
      }
    }
  }

  private static Jsonata.JFunction awsFunction(String name) {
    Function<List<?>, Object> f = switch (name) {
      case "partition" -> args -> partition(args);
      case "range" -> args -> range(args);
      case "hash" -> args -> hash(args);
      case "random" -> args -> args.isEmpty() || args.get(0) == null
          ? ThreadLocalRandom.current().nextDouble()
          : new Random(((Number) args.get(0)).longValue()).nextDouble();
      case "uuid" -> args -> UUID.randomUUID().toString();
      case "parse" -> args -> {
        if (args.isEmpty() || !(args.get(0) instanceof String s)) {
          throw new JException("The parse function expects a string argument", 0);
        }
        try {
          return toJava(JsonValues.parse(s));
        } catch (IllegalArgumentException e) {
          throw new JException("The parse function could not parse the string as JSON: " + s, 0);
        }
      };
      default -> throw new IllegalArgumentException(name);
    };
    Jsonata.FnVarArgs<Object> fn = f::apply;
    return Jsonata.function(name, fn, null);
  }

  private static Object partition(List<?> args) {
    if (args.size() != 2 || !(args.get(0) instanceof List<?> list) || !(args.get(1) instanceof Number n)) {
      throw new JException("The partition function expects an array and a positive integer", 0);
    }
    int size = n.intValue();
    if (size <= 0 || n.doubleValue() != size) {
      throw new JException("The partition function expects a positive integer chunk size", 0);
    }
    List<Object> out = new ArrayList<>();
    for (int i = 0; i < list.size(); i += size) {
      out.add(new ArrayList<>(list.subList(i, Math.min(list.size(), i + size))));
    }
    return out;
  }

  private static Object range(List<?> args) {
    if (args.size() != 3 || !(args.get(0) instanceof Number a) || !(args.get(1) instanceof Number e)
        || !(args.get(2) instanceof Number s)) {
      throw new JException("The range function expects three integer arguments", 0);
    }
    long start = a.longValue();
    long end = e.longValue();
    long step = s.longValue();
    if (step == 0) {
      throw new JException("The range function step must not be 0", 0);
    }
    List<Object> out = new ArrayList<>();
    for (long v = start; step > 0 ? v <= end : v >= end; v += step) {
      out.add(v);
      if (out.size() > 1000) {
        throw new JException("The range function produced more than 1000 items", 0);
      }
    }
    return out;
  }

  private static Object hash(List<?> args) {
    if (args.size() != 2 || !(args.get(1) instanceof String alg)) {
      throw new JException("The hash function expects a value and an algorithm name", 0);
    }
    Object v = args.get(0);
    String text = v instanceof String s ? s : JsonValues.write(toNode(v));
    if (!List.of("MD5", "SHA-1", "SHA-256", "SHA-384", "SHA-512").contains(alg)) {
      throw new JException("The hash function does not support the algorithm " + alg, 0);
    }
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance(alg).digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException ex) {
      throw new IllegalStateException(ex);
    }
  }

  /** Converts a node to the values JSONata works on (maps, lists, numbers, strings, booleans, null). */
  public static Object toJava(JsonNode n) {
    if (n == null || n.isNull() || n.isMissingNode()) {
      return null;
    }
    if (n.isObject()) {
      Map<String, Object> m = new LinkedHashMap<>();
      Iterator<Map.Entry<String, JsonNode>> it = n.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        m.put(e.getKey(), toJava(e.getValue()));
      }
      return m;
    }
    if (n.isArray()) {
      List<Object> l = new ArrayList<>(n.size());
      n.forEach(x -> l.add(toJava(x)));
      return l;
    }
    if (n.isTextual()) {
      return n.textValue();
    }
    if (n.isBoolean()) {
      return n.booleanValue();
    }
    if (n.isIntegralNumber()) {
      return n.canConvertToInt() ? (Object) n.intValue() : n.canConvertToLong() ? (Object) n.longValue()
          : (Object) n.doubleValue();
    }
    if (n.isNumber()) {
      return n.doubleValue();
    }
    return n.asText();
  }

  /** Converts a JSONata result into a node; integral doubles become integers, as JavaScript prints them. */
  public static JsonNode toNode(Object o) {
    if (o == null || o == Jsonata.NULL_VALUE) {
      return JsonValues.NODES.nullNode();
    }
    JsonNode scalar = JsonValues.scalarNode(o);
    if (scalar != null) {
      return scalar;
    }
    if (o instanceof BigDecimal bd) {
      return JsonValues.number(bd.doubleValue());
    }
    if (o instanceof Number num) {
      return JsonValues.number(num.doubleValue());
    }
    if (o instanceof Map<?, ?> m) {
      ObjectNode obj = JsonValues.object();
      for (Map.Entry<?, ?> e : m.entrySet()) {
        if (isFunction(e.getValue())) {
          continue;
        }
        obj.set(String.valueOf(e.getKey()), toNode(e.getValue()));
      }
      return obj;
    }
    if (o instanceof List<?> l) {
      ArrayNode arr = JsonValues.array();
      for (Object x : l) {
        if (!isFunction(x)) {
          arr.add(toNode(x));
        }
      }
      return arr;
    }
    if (isFunction(o)) {
      return JsonValues.NODES.textNode("");
    }
    return JsonValues.NODES.textNode(String.valueOf(o));
  }

  private static boolean isFunction(Object o) {
    if (o == null || o instanceof String || o instanceof Number || o instanceof Boolean || o instanceof Map
        || o instanceof List) {
      // Plain values, the usual case, without asking for a class name.
      return false;
    }
    return o instanceof Jsonata.JFunction || o instanceof Jsonata.JLambda
        || (o != null && o.getClass().getName().startsWith("com.dashjoin.jsonata.Parser$Symbol"));
  }
}
