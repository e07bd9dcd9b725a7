package io.conveyor.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/** The Resume state: the re-registration delay passed and the next attempt starts. */
public final class ResumeHandler extends WorkflowHandler {
    public ResumeHandler() {
        super(WorkflowComponents.fromEnvironment());
    }

    ResumeHandler(WorkflowComponents components) {
        super(components);
    }

    @Override
    protected Map<String, Object> handle(JsonNode input) {
        return Map.of("attempt", components.workflow().resume(text(input, "jobId")));
    }
}
