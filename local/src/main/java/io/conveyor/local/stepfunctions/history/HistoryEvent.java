package io.conveyor.local.stepfunctions.history;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * One execution history event, named and shaped as AWS's {@code GetExecutionHistory} returns it.
 *
 * @param id 1-based event id
 * @param previousEventId id of the event this one follows (0 for the first)
 * @param timestamp when it happened
 * @param type AWS event type name, e.g. {@code TaskStateEntered}
 * @param detailsKey the name of the details member, e.g. {@code stateEnteredEventDetails}, or null
 * @param details the details object, or null
 */
public record HistoryEvent(long id, long previousEventId, Instant timestamp, String type, String detailsKey,
    ObjectNode details) {
}
