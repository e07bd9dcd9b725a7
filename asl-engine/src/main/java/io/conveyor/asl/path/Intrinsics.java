package io.conveyor.asl.path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conveyor.asl.engine.StatesError;
import io.conveyor.asl.json.JsonValues;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The States Language intrinsic functions ({@code States.Format(...)} and the rest): a parser for the call
 * syntax and the functions' AWS semantics. Parsed calls are cached. Thread-safe.
 */
public final class Intrinsics {

  /** A parsed argument or call. */
  sealed interface Node permits Literal, PathRef, Call {
  }

  /** A literal; {@code raw} keeps a string literal's escapes for States.Format's placeholders. */
  record Literal(JsonNode value, String raw) implements Node {
  }

  /** A path argument ($, $$, $var). */
  record PathRef(String path) implements Node {
  }

  /** A nested call. */
  record Call(String name, List<Node> args) implements Node {
  }

  private static final Map<String, Call> CACHE = new ConcurrentHashMap<>();

  private Intrinsics() {
  }

  /** True when the text looks like an intrinsic function call. */
  public static boolean isCall(String s) {
    return s.startsWith("States.") && s.indexOf('(') > 0;
  }

  /** Parses a call, throwing {@link IllegalArgumentException} when the syntax is invalid. */
  public static void validate(String expr) {
    parse(expr);
  }

  public static JsonNode evaluate(String expr, PathScope scope) {
    return eval(parse(expr), scope);
  }

  private static Call parse(String expr) {
    Call c = CACHE.get(expr);
    if (c == null) {
      Parser p = new Parser(expr);
      Node n = p.node();
      p.skipWs();
      if (p.pos != expr.length() || !(n instanceof Call)) {
        throw new IllegalArgumentException("Invalid intrinsic function call: " + expr);
      }
      c = (Call) n;
      if (CACHE.size() < 10_000) {
        CACHE.put(expr, c);
      }
    }
    return c;
  }

  private static final class Parser {
    private final String s;
    private int pos;

    Parser(String s) {
      this.s = s;
    }

    void skipWs() {
      while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
        pos++;
      }
    }

    IllegalArgumentException error() {
      return new IllegalArgumentException("Invalid intrinsic function syntax at position " + pos + ": " + s);
    }

    Node node() {
      skipWs();
      if (pos >= s.length()) {
        throw error();
      }
      char c = s.charAt(pos);
      if (c == '\'') {
        return string();
      }
      if (c == '$') {
        return path();
      }
      if (c == '-' || Character.isDigit(c)) {
        return number();
      }
      if (s.startsWith("States.", pos)) {
        int open = s.indexOf('(', pos);
        if (open < 0) {
          throw error();
        }
        String name = s.substring(pos, open).trim();
        pos = open + 1;
        List<Node> args = new ArrayList<>();
        skipWs();
        if (pos < s.length() && s.charAt(pos) == ')') {
          pos++;
          return new Call(name, List.copyOf(args));
        }
        while (true) {
          args.add(node());
          skipWs();
          if (pos >= s.length()) {
            throw error();
          }
          char d = s.charAt(pos++);
          if (d == ')') {
            break;
          }
          if (d != ',') {
            throw error();
          }
        }
        return new Call(name, List.copyOf(args));
      }
      for (String kw : List.of("true", "false", "null")) {
        if (s.startsWith(kw, pos)) {
          pos += kw.length();
          return new Literal(kw.equals("null") ? JsonValues.NODES.nullNode()
              : JsonValues.NODES.booleanNode(kw.equals("true")), kw);
        }
      }
      throw error();
    }

    Node string() {
      pos++;
      StringBuilder value = new StringBuilder();
      int start = pos;
      while (pos < s.length()) {
        char c = s.charAt(pos);
        if (c == '\\' && pos + 1 < s.length()) {
          value.append(s.charAt(pos + 1));
          pos += 2;
          continue;
        }
        if (c == '\'') {
          String raw = s.substring(start, pos);
          pos++;
          return new Literal(JsonValues.NODES.textNode(value.toString()), raw);
        }
        value.append(c);
        pos++;
      }
      throw error();
    }

    Node path() {
      int start = pos;
      int depth = 0;
      boolean quote = false;
      while (pos < s.length()) {
        char c = s.charAt(pos);
        if (quote) {
          if (c == '\'') {
            quote = false;
          }
        } else if (c == '\'') {
          quote = true;
        } else if (c == '[' || c == '(') {
          depth++;
        } else if (c == ']' || c == ')') {
          if (depth == 0) {
            break;
          }
          depth--;
        } else if (c == ',' && depth == 0) {
          break;
        } else if (Character.isWhitespace(c) && depth == 0) {
          break;
        }
        pos++;
      }
      return new PathRef(s.substring(start, pos));
    }

    Node number() {
      int start = pos;
      pos++;
      while (pos < s.length() && (Character.isDigit(s.charAt(pos)) || "+-.eE".indexOf(s.charAt(pos)) >= 0)) {
        pos++;
      }
      String t = s.substring(start, pos);
      try {
        return new Literal(JsonValues.parse(t), t);
      } catch (IllegalArgumentException e) {
        throw error();
      }
    }
  }

  private static JsonNode eval(Node n, PathScope scope) {
    if (n instanceof Literal l) {
      return l.value();
    }
    if (n instanceof PathRef p) {
      return Sampler.select(p.path(), scope);
    }
    Call c = (Call) n;
    List<JsonNode> args = new ArrayList<>(c.args().size());
    for (Node a : c.args()) {
      args.add(eval(a, scope));
    }
    return apply(c, args);
  }

  private static StatesError failure(String message) {
    return StatesError.inState(StatesError.INTRINSIC_FAILURE, message);
  }

  private static void arity(Call c, List<JsonNode> args, int min, int max) {
    if (args.size() < min || args.size() > max) {
      String expected = min == max ? String.valueOf(min) : min + (max == Integer.MAX_VALUE ? " or more" : "-" + max);
      throw failure("Invalid number of arguments for " + c.name() + ": expected " + expected + " but got "
          + args.size() + ".");
    }
  }

  private static String str(Call c, JsonNode v, int i) {
    if (!v.isTextual()) {
      throw failure("The " + ordinal(i) + " argument of " + c.name() + " must be a string, but was: "
          + JsonValues.typeName(v) + ".");
    }
    return v.textValue();
  }

  private static ArrayNode arr(Call c, JsonNode v, int i) {
    if (!v.isArray()) {
      throw failure("The " + ordinal(i) + " argument of " + c.name() + " must be an array, but was: "
          + JsonValues.typeName(v) + ".");
    }
    return (ArrayNode) v;
  }

  private static long integer(Call c, JsonNode v, int i) {
    if (!v.isNumber()) {
      throw failure("The " + ordinal(i) + " argument of " + c.name() + " must be a number, but was: "
          + JsonValues.typeName(v) + ".");
    }
    if (!v.isIntegralNumber() && v.doubleValue() != Math.rint(v.doubleValue())) {
      throw failure("The " + ordinal(i) + " argument of " + c.name() + " must be an integer, but was: "
          + JsonValues.write(v) + ".");
    }
    return v.longValue();
  }

  private static String ordinal(int i) {
    return switch (i) {
      case 0 -> "first";
      case 1 -> "second";
      case 2 -> "third";
      default -> (i + 1) + "th";
    };
  }

  private static JsonNode apply(Call c, List<JsonNode> a) {
    switch (c.name()) {
      case "States.Format": {
        arity(c, a, 1, Integer.MAX_VALUE);
        String template;
        boolean rawTemplate = c.args().get(0) instanceof Literal;
        if (rawTemplate) {
          template = ((Literal) c.args().get(0)).raw();
        } else {
          template = str(c, a.get(0), 0);
        }
        StringBuilder out = new StringBuilder();
        int argi = 1;
        for (int i = 0; i < template.length(); i++) {
          char ch = template.charAt(i);
          if (rawTemplate && ch == '\\' && i + 1 < template.length()) {
            out.append(template.charAt(++i));
            continue;
          }
          if (ch == '{' && i + 1 < template.length() && template.charAt(i + 1) == '}') {
            if (argi >= a.size()) {
              throw failure("Number of arguments in States.Format does not match the number of '{}' in the "
                  + "format string.");
            }
            out.append(formatValue(a.get(argi++)));
            i++;
            continue;
          }
          out.append(ch);
        }
        if (argi != a.size()) {
          throw failure("Number of arguments in States.Format does not match the number of '{}' in the "
              + "format string.");
        }
        return JsonValues.NODES.textNode(out.toString());
      }
      case "States.StringToJson": {
        arity(c, a, 1, 1);
        String s = str(c, a.get(0), 0);
        try {
          return JsonValues.parse(s);
        } catch (IllegalArgumentException e) {
          throw failure("Invalid JSON string passed to States.StringToJson: " + s);
        }
      }
      case "States.JsonToString":
        arity(c, a, 1, 1);
        return JsonValues.NODES.textNode(JsonValues.write(a.get(0)));
      case "States.Array": {
        ArrayNode out = JsonValues.array();
        a.forEach(out::add);
        return out;
      }
      case "States.ArrayPartition": {
        arity(c, a, 2, 2);
        ArrayNode in = arr(c, a.get(0), 0);
        long size = integer(c, a.get(1), 1);
        if (size <= 0) {
          throw failure("The chunk size of States.ArrayPartition must be greater than 0, but was: " + size + ".");
        }
        ArrayNode out = JsonValues.array();
        ArrayNode cur = null;
        for (int i = 0; i < in.size(); i++) {
          if (i % size == 0) {
            cur = JsonValues.array();
            out.add(cur);
          }
          cur.add(in.get(i));
        }
        return out;
      }
      case "States.ArrayContains": {
        arity(c, a, 2, 2);
        ArrayNode in = arr(c, a.get(0), 0);
        for (JsonNode x : in) {
          if (JsonValues.valueEquals(x, a.get(1))) {
            return JsonValues.NODES.booleanNode(true);
          }
        }
        return JsonValues.NODES.booleanNode(false);
      }
      case "States.ArrayRange": {
        arity(c, a, 3, 3);
        long start = integer(c, a.get(0), 0);
        long end = integer(c, a.get(1), 1);
        long step = integer(c, a.get(2), 2);
        if (step == 0) {
          throw failure("The step of States.ArrayRange must not be 0.");
        }
        ArrayNode out = JsonValues.array();
        for (long v = start; step > 0 ? v <= end : v >= end; v += step) {
          out.add(v);
          if (out.size() > 1000) {
            throw failure("The array produced by States.ArrayRange exceeds the maximum of 1000 items.");
          }
        }
        return out;
      }
      case "States.ArrayGetItem": {
        arity(c, a, 2, 2);
        ArrayNode in = arr(c, a.get(0), 0);
        long idx = integer(c, a.get(1), 1);
        if (idx < 0 || idx >= in.size()) {
          throw failure("The index " + idx + " is out of bounds for the array of length " + in.size() + ".");
        }
        return in.get((int) idx);
      }
      case "States.ArrayLength":
        arity(c, a, 1, 1);
        return JsonValues.NODES.numberNode(arr(c, a.get(0), 0).size());
      case "States.ArrayUnique": {
        arity(c, a, 1, 1);
        ArrayNode in = arr(c, a.get(0), 0);
        ArrayNode out = JsonValues.array();
        outer:
        for (JsonNode x : in) {
          for (JsonNode y : out) {
            if (JsonValues.valueEquals(x, y)) {
              continue outer;
            }
          }
          out.add(x);
        }
        return out;
      }
      case "States.Base64Encode": {
        arity(c, a, 1, 1);
        String s = str(c, a.get(0), 0);
        if (s.length() > 10_000) {
          throw failure("The input of States.Base64Encode exceeds 10000 characters.");
        }
        return JsonValues.NODES.textNode(Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8)));
      }
      case "States.Base64Decode": {
        arity(c, a, 1, 1);
        String s = str(c, a.get(0), 0);
        try {
          return JsonValues.NODES.textNode(new String(Base64.getDecoder().decode(s), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
          throw failure("The input of States.Base64Decode is not valid Base64: " + s);
        }
      }
      case "States.Hash": {
        arity(c, a, 2, 2);
        JsonNode data = a.get(0);
        String text = data.isTextual() ? data.textValue() : JsonValues.write(data);
        String alg = str(c, a.get(1), 1);
        if (!List.of("MD5", "SHA-1", "SHA-256", "SHA-384", "SHA-512").contains(alg)) {
          throw failure("The hash algorithm '" + alg + "' is not supported. Supported algorithms are: MD5, "
              + "SHA-1, SHA-256, SHA-384, SHA-512.");
        }
        try {
          byte[] d = MessageDigest.getInstance(alg).digest(text.getBytes(StandardCharsets.UTF_8));
          return JsonValues.NODES.textNode(HexFormat.of().formatHex(d));
        } catch (NoSuchAlgorithmException e) {
          throw new IllegalStateException(e);
        }
      }
      case "States.JsonMerge": {
        arity(c, a, 3, 3);
        if (!a.get(0).isObject() || !a.get(1).isObject()) {
          throw failure("The first two arguments of States.JsonMerge must be JSON objects.");
        }
        if (!a.get(2).isBoolean()) {
          throw failure("The third argument of States.JsonMerge must be a boolean.");
        }
        if (a.get(2).booleanValue()) {
          throw failure("States.JsonMerge does not support deep merging: the third argument must be false.");
        }
        ObjectNode out = ((ObjectNode) a.get(0)).deepCopy();
        Iterator<Map.Entry<String, JsonNode>> it = a.get(1).fields();
        while (it.hasNext()) {
          Map.Entry<String, JsonNode> e = it.next();
          out.set(e.getKey(), e.getValue());
        }
        return out;
      }
      case "States.MathRandom": {
        arity(c, a, 2, 3);
        long start = integer(c, a.get(0), 0);
        long end = integer(c, a.get(1), 1);
        if (end <= start) {
          throw failure("The end of States.MathRandom must be greater than its start.");
        }
        long v;
        if (a.size() == 3) {
          v = start + (long) (new Random(integer(c, a.get(2), 2)).nextDouble() * (end - start));
        } else {
          v = ThreadLocalRandom.current().nextLong(start, end);
        }
        return JsonValues.NODES.numberNode(v);
      }
      case "States.MathAdd": {
        arity(c, a, 2, 2);
        for (int i = 0; i < 2; i++) {
          if (!a.get(i).isNumber()) {
            throw failure("The " + ordinal(i) + " argument of States.MathAdd must be a number, but was: "
                + JsonValues.typeName(a.get(i)) + ".");
          }
        }
        return JsonValues.NODES.numberNode(round(a.get(0)) + round(a.get(1)));
      }
      case "States.StringSplit": {
        arity(c, a, 2, 2);
        String s = str(c, a.get(0), 0);
        String delims = str(c, a.get(1), 1);
        ArrayNode out = JsonValues.array();
        StringBuilder cur = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
          char ch = s.charAt(i);
          if (delims.indexOf(ch) >= 0) {
            if (cur.length() > 0) {
              out.add(cur.toString());
            }
            cur.setLength(0);
          } else {
            cur.append(ch);
          }
        }
        if (cur.length() > 0) {
          out.add(cur.toString());
        }
        return out;
      }
      case "States.UUID":
        arity(c, a, 0, 0);
        return JsonValues.NODES.textNode(UUID.randomUUID().toString());
      default:
        throw failure("The function '" + c.name() + "' is not supported.");
    }
  }

  /** Java's Math.round: half up, so -3.5 becomes -3 as on AWS. */
  private static long round(JsonNode n) {
    if (n.isIntegralNumber()) {
      return n.longValue();
    }
    return Math.round(n.doubleValue());
  }

  /** States.Format prints strings bare, and other values as Java's Map/List toString does. */
  static String formatValue(JsonNode v) {
    if (v.isTextual()) {
      return v.textValue();
    }
    if (v.isArray()) {
      StringBuilder sb = new StringBuilder("[");
      for (int i = 0; i < v.size(); i++) {
        if (i > 0) {
          sb.append(", ");
        }
        sb.append(formatValue(v.get(i)));
      }
      return sb.append(']').toString();
    }
    if (v.isObject()) {
      StringBuilder sb = new StringBuilder("{");
      Iterator<Map.Entry<String, JsonNode>> it = v.fields();
      boolean first = true;
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        if (!first) {
          sb.append(", ");
        }
        first = false;
        sb.append(e.getKey()).append('=').append(formatValue(e.getValue()));
      }
      return sb.append('}').toString();
    }
    return JsonValues.write(v);
  }
}
