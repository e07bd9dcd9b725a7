package io.conveyor.asl.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conveyor.asl.definition.State;
import io.conveyor.asl.engine.state.ItemReader;
import io.conveyor.asl.engine.state.StateContext;
import io.conveyor.asl.json.JsonValues;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** A Distributed Map's ResultWriter: its child executions' results written to S3, as AWS writes them. */
final class ResultWriter {

  private ResultWriter() {
  }

  /**
   * Writes a Distributed Map's results to S3 as AWS does: one file of the child executions that succeeded and one
   * of those that did not (failed, timed out or aborted), each entry with the child's ARN, name, input, output or
   * error and cause, status and dates; then the manifest naming them. Returns the state's result.
   */
  static JsonNode write(DistributedMapStorage objectStore, State.MapState m, StateContext c, MapRun run,
      List<Execution> children) {
    JsonNode spec = m.spec().resultWriter();
    JsonNode p = ItemReader.parameters(m, c, spec, c.input(), "ResultWriter");
    String bucket = p.path("Bucket").asText();
    String prefix = p.path("Prefix").asText("");
    String runId = run.mapRunArn().substring(run.mapRunArn().lastIndexOf(':') + 1);
    String base = (prefix.isEmpty() || prefix.endsWith("/") ? prefix : prefix + "/") + runId + "/";
    ArrayNode succeeded = JsonValues.array();
    ArrayNode failed = JsonValues.array();
    for (Execution child : children) {
      ObjectNode o = JsonValues.object();
      o.put("ExecutionArn", child.executionArn());
      o.put("Input", JsonValues.write(child.input()));
      o.set("InputDetails", JsonValues.object().put("Included", true));
      o.put("Name", child.name());
      if (child.status() == ExecutionStatus.SUCCEEDED) {
        o.put("Output", JsonValues.write(child.output()));
        o.set("OutputDetails", JsonValues.object().put("Included", true));
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
      DistributedMapStorage s = ItemReader.store(objectStore);
      ObjectNode files = JsonValues.object();
      files.set("FAILED", resultFile(s, bucket, base + "FAILED_0.json", failed));
      files.set("PENDING", JsonValues.array());
      files.set("SUCCEEDED", resultFile(s, bucket, base + "SUCCEEDED_0.json", succeeded));
      ObjectNode manifest = JsonValues.object();
      manifest.put("DestinationBucket", bucket);
      manifest.put("MapRunArn", run.mapRunArn());
      manifest.set("ResultFiles", files);
      s.put(bucket, base + "manifest.json", JsonValues.write(manifest).getBytes(StandardCharsets.UTF_8));
    } catch (StatesError e) {
      throw new StatesError(StatesError.RESULT_WRITER_FAILED, e.errorCause());
    } catch (RuntimeException e) {
      throw new StatesError(StatesError.RESULT_WRITER_FAILED, String.valueOf(e.getMessage()));
    }
    ObjectNode out = JsonValues.object();
    out.put("MapRunArn", run.mapRunArn());
    ObjectNode details = JsonValues.object();
    details.put("Bucket", bucket);
    details.put("Key", base + "manifest.json");
    out.set("ResultWriterDetails", details);
    return out;
  }

  /** Writes the entries to {@code key} when there are any; returns the manifest's list of files written. */
  private static ArrayNode resultFile(DistributedMapStorage s, String bucket, String key, ArrayNode entries) {
    ArrayNode written = JsonValues.array();
    if (!entries.isEmpty()) {
      byte[] body = JsonValues.write(entries).getBytes(StandardCharsets.UTF_8);
      s.put(bucket, key, body);
      written.add(JsonValues.object().put("Key", key).put("Size", body.length));
    }
    return written;
  }
}
