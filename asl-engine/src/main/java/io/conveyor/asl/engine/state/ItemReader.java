package io.conveyor.asl.engine.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conveyor.asl.definition.State;
import io.conveyor.asl.engine.DistributedMapStorage;
import io.conveyor.asl.engine.StatesError;
import io.conveyor.asl.json.JsonValues;
import io.conveyor.asl.jsonata.JsonataSupport;
import io.conveyor.asl.path.PayloadTemplate;
import io.conveyor.asl.path.Sampler;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A Distributed Map's ItemReader: its items from S3 (JSON, JSONL, CSV, manifest, or a {@code listObjectsV2}). */
public final class ItemReader {

  private ItemReader() {
  }

  /** The S3 access, failing as AWS would when there is none. */
  public static DistributedMapStorage store(DistributedMapStorage s) {
    if (s == null) {
      throw new StatesError(StatesError.ITEM_READER_FAILED, "No S3 endpoint is configured for ItemReader/ResultWriter");
    }
    return s;
  }

  /** An ItemReader's or ResultWriter's Parameters (JSONPath) or Arguments (JSONata), {} when it has none. */
  public static JsonNode parameters(State.MapState m, StateContext c, JsonNode spec, JsonNode effective,
      String field) {
    JsonNode p = m.isJsonata() ? spec.get("Arguments") : spec.get("Parameters");
    if (p == null) {
      return JsonValues.object();
    }
    return m.isJsonata() ? JsonataSupport.evaluateTemplate(p, c, field + "/Arguments")
        : PayloadTemplate.evaluate(p, c.withInput(effective));
  }

  /** The items, at most ReaderConfig's MaxItems (or MaxItemsPath). */
  static ArrayNode read(DistributedMapStorage objectStore, State.MapState m, StateContext c, JsonNode effective) {
    JsonNode spec = m.spec().itemReader();
    JsonNode p = parameters(m, c, spec, effective, "ItemReader");
    String resource = spec.path("Resource").asText();
    JsonNode cfg = spec.path("ReaderConfig");
    long maxItems = cfg.path("MaxItems").asLong(0);
    if (cfg.has("MaxItemsPath")) {
      maxItems = Sampler.select(cfg.get("MaxItemsPath").asText(), c.withInput(effective)).asLong();
    }
    String bucket = p.path("Bucket").asText();
    ArrayNode out = JsonValues.array();
    try {
      if (resource.endsWith("s3:listObjectsV2")) {
        for (DistributedMapStorage.Listed l : store(objectStore).list(bucket, p.path("Prefix").asText(""))) {
          ObjectNode o = JsonValues.object();
          o.put("Etag", l.etag());
          o.put("Key", l.key());
          o.put("LastModified", l.lastModified());
          o.put("Size", l.size());
          o.put("StorageClass", l.storageClass());
          out.add(o);
        }
      } else {
        String key = p.path("Key").asText();
        String text = new String(store(objectStore).get(bucket, key), StandardCharsets.UTF_8);
        String type = cfg.path("InputType").asText("JSON");
        switch (type) {
          case "CSV" -> readCsv(text, cfg, out);
          case "JSONL" -> text.lines().filter(l -> !l.isBlank()).forEach(l -> out.add(JsonValues.parse(l)));
          case "MANIFEST" -> text.lines().filter(l -> !l.isBlank()).forEach(l -> out.add(JsonValues.parse(l)));
          default -> {
            JsonNode arr = JsonValues.parse(text);
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
      ArrayNode cut = JsonValues.array();
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
      ObjectNode o = JsonValues.object();
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
}
