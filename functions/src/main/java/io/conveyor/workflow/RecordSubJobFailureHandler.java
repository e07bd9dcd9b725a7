package io.conveyor.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/** The RecordSubJobFailure state: a subjob failed after its retries; its error is recorded. */
public final class RecordSubJobFailureHandler extends WorkflowHandler {
    public RecordSubJobFailureHandler() {
        super(WorkflowComponents.fromEnvironment());
    }

    RecordSubJobFailureHandler(WorkflowComponents components) {
        super(components);
    }

    @Override
    protected Map<String, Object> handle(JsonNode input) {
        components.workflow().recordSubJobFailure(text(input, "jobId"), number(input, "attempt"), number(input, "index"),
                input.path("error").asText(null), input.path("cause").asText(null));
        return Map.of();
    }
}
