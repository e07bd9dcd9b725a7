package io.conveyor.asl.definition;

import java.util.List;

/**
 * A definition that AWS would reject, with its diagnostics in AWS's {@code InvalidDefinition} message form:
 * {@code Invalid State Machine Definition: 'CODE: message at /path'}.
 */
public final class InvalidDefinitionException extends RuntimeException {

  /** One validation problem: AWS's code (e.g. SCHEMA_VALIDATION_FAILED), message and JSON pointer-ish location. */
  public record Diagnostic(String code, String message, String location) {
    @Override
    public String toString() {
      return code + ": " + message + (location == null || location.isEmpty() ? "" : " at " + location);
    }
  }

  private final List<Diagnostic> diagnostics;

  public InvalidDefinitionException(String code, String message, String location) {
    this(List.of(new Diagnostic(code, message, location)));
  }

  public InvalidDefinitionException(List<Diagnostic> diagnostics) {
    super(format(diagnostics));
    this.diagnostics = List.copyOf(diagnostics);
  }

  public List<Diagnostic> diagnostics() {
    return diagnostics;
  }

  private static String format(List<Diagnostic> ds) {
    StringBuilder sb = new StringBuilder("Invalid State Machine Definition: '");
    for (int i = 0; i < ds.size(); i++) {
      if (i > 0) {
        sb.append(", ");
      }
      sb.append(ds.get(i));
    }
    return sb.append('\'').toString();
  }
}
