package io.conveyor.asl.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conveyor.asl.json.JsonValues;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Loads AWS-recorded conformance cases and compares results the way their README prescribes. */
final class ConformanceCases {

  /** System property naming a folder of cases to run instead of the bundled ones. */
  static final String DIR_PROPERTY = "asl.conformance.dir";

  private ConformanceCases() {
  }

  static Path root() {
    String dir = System.getProperty(DIR_PROPERTY);
    if (dir != null && !dir.isBlank()) {
      return Path.of(dir);
    }
    URL url = ConformanceCases.class.getResource("/asl-aws-recorded");
    if (url == null) {
      throw new IllegalStateException("No conformance cases on the test classpath (asl-aws-recorded)");
    }
    try {
      return Path.of(url.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Every case file below the root, sorted by path. */
  static List<JsonNode> load() {
    List<JsonNode> out = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root())) {
      for (Path p : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
        JsonNode c = JsonValues.parse(Files.readString(p));
        if (c.isObject() && c.has("definition") && c.has("expected")) {
          if (!c.has("name")) {
            ((ObjectNode) c).put("name", root().relativize(p).toString().replace(".json", ""));
          }
          out.add(c);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /** Removes the keys at any depth (the volatile SDK metadata of lambda:invoke results). */
  static JsonNode withoutKeys(JsonNode n, List<String> keys) {
    if (n == null || keys.isEmpty()) {
      return n;
    }
    if (n.isObject()) {
      ObjectNode o = JsonValues.object();
      Iterator<Map.Entry<String, JsonNode>> it = n.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        if (!keys.contains(e.getKey())) {
          o.set(e.getKey(), withoutKeys(e.getValue(), keys));
        }
      }
      return o;
    }
    if (n.isArray()) {
      var a = JsonValues.array();
      n.forEach(x -> a.add(withoutKeys(x, keys)));
      return a;
    }
    return n;
  }
}
