package io.conveyor.local.stepfunctions.history;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conveyor.local.stepfunctions.json.Json;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * One execution history event, named and shaped as AWS's {@code GetExecutionHistory} returns it.
 *
 * <p>The payload members of the details ({@code input}, {@code output}, {@code parameters}) hold the values
 * themselves, not their JSON text: most events are never read, so the text is written only when an event is
 * rendered ({@link #renderedDetails}). The values are never changed once an execution produced them.
 *
 * @param id 1-based event id
 * @param previousEventId id of the event this one follows (0 for the first)
 * @param timestamp when it happened
 * @param type AWS event type name, e.g. {@code TaskStateEntered}
 * @param detailsKey the name of the details member, e.g. {@code stateEnteredEventDetails}, or null
 * @param details the details object, payloads as values, or null
 */
public record HistoryEvent(long id, long previousEventId, Instant timestamp, String type, String detailsKey,
    ObjectNode details) {

  /** The details members that AWS gives as JSON text. */
  private static final Set<String> PAYLOADS = Set.of("input", "output", "parameters");

  /**
   * The details as AWS returns them, payloads as JSON text, or null when the event has none.
   *
   * @param includeData false to leave out {@code input} and {@code output} ({@code includeExecutionData})
   */
  public ObjectNode renderedDetails(boolean includeData) {
    if (details == null) {
      return null;
    }
    ObjectNode out = Json.object();
    Iterator<Map.Entry<String, JsonNode>> it = details.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      String key = e.getKey();
      if (!PAYLOADS.contains(key)) {
        out.set(key, e.getValue());
      } else if (includeData || key.equals("parameters")) {
        out.put(key, Json.write(e.getValue()));
      }
    }
    return out;
  }
}
