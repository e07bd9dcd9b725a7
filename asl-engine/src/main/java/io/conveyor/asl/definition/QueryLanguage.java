package io.conveyor.asl.definition;

/** The query language of a state: JSONPath (the default) or JSONata. */
public enum QueryLanguage {
  JSONPATH, JSONATA;

  public static QueryLanguage parse(String s) {
    if ("JSONPath".equals(s)) {
      return JSONPATH;
    }
    if ("JSONata".equals(s)) {
      return JSONATA;
    }
    throw new InvalidDefinitionException("SCHEMA_VALIDATION_FAILED",
        "Value is not a valid query language: " + s, "/QueryLanguage");
  }
}
