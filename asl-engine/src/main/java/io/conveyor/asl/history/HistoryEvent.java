package io.conveyor.asl.history;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conveyor.asl.json.JsonValues;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * One execution history event, named and shaped as AWS's {@code GetExecutionHistory} returns it.
 *
 * <p>The payload members of the details ({@code input}, {@code output}, {@code parameters}) hold the values
 * themselves, not their JSON text: most events are never read, so the text is written only when an event is
 * rendered ({@link #renderedDetails}). The values are never changed once an execution produced them. The
 * details of the StateEntered and StateExited events, two for every state, are only built when read.
 */
public final class HistoryEvent {

  /** The details members that AWS gives as JSON text. */
  private static final Set<String> PAYLOADS = Set.of("input", "output", "parameters");
  private static final ObjectNode NOT_TRUNCATED = JsonValues.object().put("truncated", false);

  private final long id;
  private final long previousEventId;
  private final Instant timestamp;
  private final String type;
  private final String detailsKey;
  private final ObjectNode details;
  /** For a state event: the state's name and its payload's member name ({@code input} or {@code output}). */
  private final String stateName;
  private final String payloadKey;
  private final JsonNode payload;

  /**
   * @param id 1-based event id
   * @param previousEventId id of the event this one follows (0 for the first)
   * @param timestamp when it happened
   * @param type AWS event type name, e.g. {@code TaskScheduled}
   * @param detailsKey the name of the details member, e.g. {@code taskScheduledEventDetails}, or null
   * @param details the details object, payloads as values, or null
   */
  HistoryEvent(long id, long previousEventId, Instant timestamp, String type, String detailsKey,
      ObjectNode details) {
    this(id, previousEventId, timestamp, type, detailsKey, details, null, null, null);
  }

  /** A state event, such as {@code PassStateEntered}: details {@code name}, the payload and its truncation flag. */
  HistoryEvent(long id, long previousEventId, Instant timestamp, String type, String detailsKey, String stateName,
      String payloadKey, JsonNode payload) {
    this(id, previousEventId, timestamp, type, detailsKey, null, stateName, payloadKey, payload);
  }

  private HistoryEvent(long id, long previousEventId, Instant timestamp, String type, String detailsKey,
      ObjectNode details, String stateName, String payloadKey, JsonNode payload) {
    this.id = id;
    this.previousEventId = previousEventId;
    this.timestamp = timestamp;
    this.type = type;
    this.detailsKey = detailsKey;
    this.details = details;
    this.stateName = stateName;
    this.payloadKey = payloadKey;
    this.payload = payload;
  }

  /** 1-based event id. */
  public long id() {
    return id;
  }

  /** Id of the event this one follows (0 for the first). */
  public long previousEventId() {
    return previousEventId;
  }

  public Instant timestamp() {
    return timestamp;
  }

  /** AWS event type name, e.g. {@code TaskStateEntered}. */
  public String type() {
    return type;
  }

  /** The name of the details member, e.g. {@code stateEnteredEventDetails}, or null. */
  public String detailsKey() {
    return detailsKey;
  }

  /** The details object, payloads as values, or null when the event has none. */
  public ObjectNode details() {
    if (stateName == null) {
      return details;
    }
    ObjectNode d = JsonValues.object();
    d.put("name", stateName);
    d.set(payloadKey, payload);
    d.set(payloadKey + "Details", NOT_TRUNCATED);
    return d;
  }

  /**
   * The details as AWS returns them, payloads as JSON text, or null when the event has none.
   *
   * @param includeData false to leave out {@code input} and {@code output} ({@code includeExecutionData})
   */
  public ObjectNode renderedDetails(boolean includeData) {
    ObjectNode d = details();
    if (d == null) {
      return null;
    }
    ObjectNode out = JsonValues.object();
    Iterator<Map.Entry<String, JsonNode>> it = d.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      String key = e.getKey();
      if (!PAYLOADS.contains(key)) {
        out.set(key, e.getValue());
      } else if (includeData || key.equals("parameters")) {
        out.put(key, JsonValues.write(e.getValue()));
      }
    }
    return out;
  }
}
