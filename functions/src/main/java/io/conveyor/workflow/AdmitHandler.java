package io.conveyor.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/** The Admit state: parks the workflow until the job gets a quota slot, in fair order. */
public final class AdmitHandler extends WorkflowHandler {
    public AdmitHandler() {
        super(WorkflowComponents.fromEnvironment());
    }

    AdmitHandler(WorkflowComponents components) {
        super(components);
    }

    @Override
    protected Map<String, Object> handle(JsonNode input) {
        components.admissions().enqueue(queuedJob(input), text(input, "taskToken"));
        return Map.of();
    }
}
