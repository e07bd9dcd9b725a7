package io.conveyor.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Map;

/** The RecordWorkerOutcome state: the output an external worker answered a subjob with is recorded. */
public final class RecordWorkerOutcomeHandler extends WorkflowHandler {
    public RecordWorkerOutcomeHandler() {
        super(WorkflowComponents.fromEnvironment());
    }

    RecordWorkerOutcomeHandler(WorkflowComponents components) {
        super(components);
    }

    @Override
    protected Map<String, Object> handle(JsonNode input) {
        JsonNode outcome = input.path("outcome");
        components.workflow().recordWorkerOutcome(text(input, "jobId"), number(input, "attempt"), number(input, "index"),
                outcome.hasNonNull("output") ? outcome.get("output").asText() : null,
                outcome.hasNonNull("outputKey") ? outcome.get("outputKey").asText() : null,
                Duration.ofMillis(outcome.path("durationMillis").asLong(0)));
        return Map.of();
    }
}
