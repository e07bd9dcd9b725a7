package io.conveyor.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/** The RunSubJob state, once per subjob: the program's worker runs it. */
public final class RunSubJobHandler extends WorkflowHandler {
    public RunSubJobHandler() {
        super(WorkflowComponents.fromEnvironment());
    }

    RunSubJobHandler(WorkflowComponents components) {
        super(components);
    }

    @Override
    protected Map<String, Object> handle(JsonNode input) {
        components.workflow().runSubJob(text(input, "jobId"), number(input, "attempt"), number(input, "index"), input.path("input"));
        return Map.of();
    }
}
