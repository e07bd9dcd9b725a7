package io.conveyor.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import io.conveyor.usage.Usage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The RecordSubJobFailure state: a batch of subjobs failed after its retries; the error is recorded with each. */
public final class RecordSubJobFailureHandler extends WorkflowHandler {
    public RecordSubJobFailureHandler() {
        super(WorkflowComponents.fromEnvironment());
    }

    RecordSubJobFailureHandler(WorkflowComponents components) {
        super(components);
    }

    @Override
    protected Map<String, Object> handle(JsonNode input) {
        List<Integer> indices = new ArrayList<>();
        for (JsonNode index : items(input, "indices")) {
            indices.add(index.asInt());
        }
        components.workflow().recordSubJobFailures(text(input, "jobId"), number(input, "attempt"), indices,
                input.path("error").asText(null), input.path("cause").asText(null));
        return Map.of();
    }

    /** Its own transition and that of SubJobFailed, the Fail state that follows it. */
    @Override
    protected Usage causes() {
        return Usage.transitions(2);
    }
}
