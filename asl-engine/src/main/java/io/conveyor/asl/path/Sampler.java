package io.conveyor.asl.path;

import com.fasterxml.jackson.databind.JsonNode;
import io.conveyor.asl.engine.StatesError;

/**
 * Evaluates a JSONPath-mode expression string: {@code $...} on the input, {@code $$...} on the context object,
 * {@code $var...} on a variable, or an intrinsic function call.
 */
public final class Sampler {

  private Sampler() {
  }

  /** True when the text names a variable reference ({@code $name}, {@code $name.field}). */
  public static boolean isVariableRef(String p) {
    return p.length() > 1 && p.charAt(0) == '$' && p.charAt(1) != '$' && p.charAt(1) != '.' && p.charAt(1) != '['
        && (Character.isLetter(p.charAt(1)) || p.charAt(1) == '_');
  }

  /**
   * Selects a path (no intrinsic) in the scope.
   *
   * @throws PathNotFoundException when a definite path selects nothing
   */
  public static JsonNode select(String path, PathScope scope) {
    if (path.startsWith("$$")) {
      return JsonPaths.read(path.substring(1), scope.contextObject());
    }
    if (isVariableRef(path)) {
      int end = 1;
      while (end < path.length() && path.charAt(end) != '.' && path.charAt(end) != '[') {
        end++;
      }
      String name = path.substring(1, end);
      JsonNode value = scope.variable(name);
      if (value == null) {
        throw StatesError.runtime("Invalid path '" + path + "': The variable '" + name + "' is not defined.");
      }
      return JsonPaths.read("$" + path.substring(end), value);
    }
    return JsonPaths.read(path, scope.input());
  }

  /** Evaluates a ".$" value: an intrinsic call or a path. */
  public static JsonNode evaluate(String expr, PathScope scope) {
    if (Intrinsics.isCall(expr)) {
      return Intrinsics.evaluate(expr, scope);
    }
    return select(expr, scope);
  }
}
