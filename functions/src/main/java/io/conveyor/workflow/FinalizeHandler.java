package io.conveyor.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/** The Finalize state: the job succeeded; its slot is released, dependents woken, the event published. */
public final class FinalizeHandler extends WorkflowHandler {
    public FinalizeHandler() {
        super(WorkflowComponents.fromEnvironment());
    }

    FinalizeHandler(WorkflowComponents components) {
        super(components);
    }

    @Override
    protected Map<String, Object> handle(JsonNode input) {
        components.workflow().finalizeJob(text(input, "jobId"), number(input, "attempt"), text(input, "resultKey"));
        return Map.of();
    }
}
