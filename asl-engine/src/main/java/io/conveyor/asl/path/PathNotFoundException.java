package io.conveyor.asl.path;

/** A definite JSONPath that selected nothing; the message is Jayway's, as AWS prints it. */
public final class PathNotFoundException extends RuntimeException {
  private final String path;

  public PathNotFoundException(String path, String message) {
    super(message, null, false, false);
    this.path = path;
  }

  public String path() {
    return path;
  }
}
