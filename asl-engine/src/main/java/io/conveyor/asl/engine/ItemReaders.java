package io.conveyor.asl.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conveyor.asl.definition.State;
import io.conveyor.asl.json.Json;
import io.conveyor.asl.jsonata.JsonataSupport;
import io.conveyor.asl.path.PayloadTemplate;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Distributed Map ItemReader (S3 JSON, JSONL, CSV, listing, manifest) and ResultWriter (S3). */
final class ItemReaders {

  private ItemReaders() {
  }

  private static ObjectStore store(Engine engine) {
    if (engine.objectStore == null) {
      throw new StatesError(StatesError.ITEM_READER_FAILED, "No S3 endpoint is configured for ItemReader/ResultWriter");
    }
    return engine.objectStore;
  }

  private static JsonNode params(State.MapState m, Interpreter.Ctx c, JsonNode spec, JsonNode effective,
      String field) {
    JsonNode p = m.isJsonata() ? spec.get("Arguments") : spec.get("Parameters");
    if (p == null) {
      return Json.object();
    }
    return m.isJsonata() ? JsonataSupport.evaluateTemplate(p, c, field + "/Arguments")
        : PayloadTemplate.evaluate(p, c.withInput(effective));
  }

  static JsonNode read(Engine engine, State.MapState m, Interpreter.Ctx c, JsonNode effective) {
    JsonNode spec = m.spec().itemReader();
    JsonNode p = params(m, c, spec, effective, "ItemReader");
    String resource = spec.path("Resource").asText();
    JsonNode cfg = spec.path("ReaderConfig");
    long maxItems = cfg.path("MaxItems").asLong(0);
    if (cfg.has("MaxItemsPath")) {
      maxItems = c.withInput(effective) == null ? 0
          : io.conveyor.asl.path.Sampler.select(cfg.get("MaxItemsPath").asText(),
              c.withInput(effective)).asLong();
    }
    String bucket = p.path("Bucket").asText();
    ArrayNode out = Json.array();
    try {
      if (resource.endsWith("s3:listObjectsV2")) {
        for (ObjectStore.Listed l : store(engine).list(bucket, p.path("Prefix").asText(""))) {
          ObjectNode o = Json.object();
          o.put("Etag", l.etag());
          o.put("Key", l.key());
          o.put("LastModified", l.lastModified());
          o.put("Size", l.size());
          o.put("StorageClass", l.storageClass());
          out.add(o);
        }
      } else {
        String key = p.path("Key").asText();
        String text = new String(store(engine).get(bucket, key), StandardCharsets.UTF_8);
        String type = cfg.path("InputType").asText("JSON");
        switch (type) {
          case "CSV" -> readCsv(text, cfg, out);
          case "JSONL" -> text.lines().filter(l -> !l.isBlank()).forEach(l -> out.add(Json.parse(l)));
          case "MANIFEST" -> text.lines().filter(l -> !l.isBlank()).forEach(l -> out.add(Json.parse(l)));
          default -> {
            JsonNode arr = Json.parse(text);
            if (!arr.isArray()) {
              throw new StatesError(StatesError.ITEM_READER_FAILED,
                  "Attempting to map over non-iterable node.");
            }
            arr.forEach(out::add);
          }
        }
      }
    } catch (StatesError e) {
      throw e;
    } catch (RuntimeException e) {
      throw new StatesError(StatesError.ITEM_READER_FAILED, String.valueOf(e.getMessage()));
    }
    if (maxItems > 0 && out.size() > maxItems) {
      ArrayNode cut = Json.array();
      for (int i = 0; i < maxItems; i++) {
        cut.add(out.get(i));
      }
      return cut;
    }
    return out;
  }

  private static void readCsv(String text, JsonNode cfg, ArrayNode out) {
    List<List<String>> rows = parseCsv(text, cfg.path("CSVDelimiter").asText("COMMA").equals("SEMICOLON") ? ';'
        : cfg.path("CSVDelimiter").asText("COMMA").equals("TAB") ? '\t' : ',');
    List<String> headers;
    int start = 0;
    if ("GIVEN".equals(cfg.path("CSVHeaderLocation").asText("FIRST_ROW"))) {
      headers = new ArrayList<>();
      cfg.path("CSVHeaders").forEach(h -> headers.add(h.asText()));
    } else {
      if (rows.isEmpty()) {
        return;
      }
      headers = rows.get(0);
      start = 1;
    }
    for (int r = start; r < rows.size(); r++) {
      List<String> row = rows.get(r);
      ObjectNode o = Json.object();
      for (int i = 0; i < headers.size(); i++) {
        o.put(headers.get(i), i < row.size() ? row.get(i) : "");
      }
      out.add(o);
    }
  }

  /** RFC 4180 CSV: quoted fields, doubled quotes, CRLF or LF line ends; blank lines skipped. */
  static List<List<String>> parseCsv(String text, char delim) {
    List<List<String>> rows = new ArrayList<>();
    List<String> row = new ArrayList<>();
    StringBuilder f = new StringBuilder();
    boolean quoted = false;
    boolean any = false;
    for (int i = 0; i < text.length(); i++) {
      char ch = text.charAt(i);
      if (quoted) {
        if (ch == '"') {
          if (i + 1 < text.length() && text.charAt(i + 1) == '"') {
            f.append('"');
            i++;
          } else {
            quoted = false;
          }
        } else {
          f.append(ch);
        }
        continue;
      }
      if (ch == '"') {
        quoted = true;
        any = true;
      } else if (ch == delim) {
        row.add(f.toString());
        f.setLength(0);
        any = true;
      } else if (ch == '\n' || ch == '\r') {
        if (ch == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
          i++;
        }
        if (any || f.length() > 0) {
          row.add(f.toString());
          rows.add(row);
        }
        row = new ArrayList<>();
        f.setLength(0);
        any = false;
      } else {
        f.append(ch);
        any = true;
      }
    }
    if (any || f.length() > 0) {
      row.add(f.toString());
      rows.add(row);
    }
    return rows;
  }

  /**
   * Writes a Distributed Map's results to S3 as AWS does: one file of the child executions that succeeded and one
   * of those that did not (failed, timed out or aborted), each entry with the child's ARN, name, input, output or
   * error and cause, status and dates; then the manifest naming them. Returns the state's result.
   */
  static JsonNode writeResults(Engine engine, State.MapState m, Interpreter.Ctx c, MapRun run,
      List<Execution> children) {
    JsonNode spec = m.spec().resultWriter();
    JsonNode p = params(m, c, spec, c.raw, "ResultWriter");
    String bucket = p.path("Bucket").asText();
    String prefix = p.path("Prefix").asText("");
    String runId = run.mapRunArn().substring(run.mapRunArn().lastIndexOf(':') + 1);
    String base = (prefix.isEmpty() || prefix.endsWith("/") ? prefix : prefix + "/") + runId + "/";
    ArrayNode succeeded = Json.array();
    ArrayNode failed = Json.array();
    for (Execution child : children) {
      ObjectNode o = Json.object();
      o.put("ExecutionArn", child.executionArn());
      o.put("Input", Json.write(child.input()));
      o.set("InputDetails", Json.object().put("Included", true));
      o.put("Name", child.name());
      if (child.status() == ExecutionStatus.SUCCEEDED) {
        o.put("Output", Json.write(child.output()));
        o.set("OutputDetails", Json.object().put("Included", true));
      } else {
        if (child.error() != null) {
          o.put("Error", child.error());
        }
        if (child.cause() != null) {
          o.put("Cause", child.cause());
        }
      }
      o.put("RedriveCount", 0);
      o.put("RedriveStatus", "NOT_REDRIVABLE");
      o.put("StartDate", child.startDate().toString());
      o.put("StateMachineArn", child.stateMachineArn());
      o.put("Status", child.status().name());
      o.put("StopDate", child.stopDate().toString());
      (child.status() == ExecutionStatus.SUCCEEDED ? succeeded : failed).add(o);
    }
    try {
      ObjectStore s = store(engine);
      ObjectNode files = Json.object();
      files.set("FAILED", resultFile(s, bucket, base + "FAILED_0.json", failed));
      files.set("PENDING", Json.array());
      files.set("SUCCEEDED", resultFile(s, bucket, base + "SUCCEEDED_0.json", succeeded));
      ObjectNode manifest = Json.object();
      manifest.put("DestinationBucket", bucket);
      manifest.put("MapRunArn", run.mapRunArn());
      manifest.set("ResultFiles", files);
      s.put(bucket, base + "manifest.json", Json.write(manifest).getBytes(StandardCharsets.UTF_8));
    } catch (StatesError e) {
      throw new StatesError(StatesError.RESULT_WRITER_FAILED, e.errorCause());
    } catch (RuntimeException e) {
      throw new StatesError(StatesError.RESULT_WRITER_FAILED, String.valueOf(e.getMessage()));
    }
    ObjectNode out = Json.object();
    out.put("MapRunArn", run.mapRunArn());
    ObjectNode details = Json.object();
    details.put("Bucket", bucket);
    details.put("Key", base + "manifest.json");
    out.set("ResultWriterDetails", details);
    return out;
  }

  /** Writes the entries to {@code key} when there are any; returns the manifest's list of files written. */
  private static ArrayNode resultFile(ObjectStore s, String bucket, String key, ArrayNode entries) {
    ArrayNode written = Json.array();
    if (!entries.isEmpty()) {
      byte[] body = Json.write(entries).getBytes(StandardCharsets.UTF_8);
      s.put(bucket, key, body);
      written.add(Json.object().put("Key", key).put("Size", body.length));
    }
    return written;
  }
}
