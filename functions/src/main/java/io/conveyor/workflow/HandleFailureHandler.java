package io.conveyor.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import io.conveyor.usage.Usage;
import java.util.Map;

/** The HandleFailure state: re-register the job for another attempt, or fail it for good. */
public final class HandleFailureHandler extends WorkflowHandler {
    public HandleFailureHandler() {
        super(WorkflowComponents.fromEnvironment());
    }

    HandleFailureHandler(WorkflowComponents components) {
        super(components);
    }

    @Override
    protected Map<String, Object> handle(JsonNode input) {
        WorkflowSteps.FailureDecision d = components.workflow().handleFailure(text(input, "jobId"),
                input.path("failure").path("Error").asText(null), input.path("failure").path("Cause").asText(null));
        return Map.of("decision", d.decision(), "waitSeconds", d.waitSeconds(), "error", d.error(), "cause", d.cause());
    }

    /** Its own transition, the ReregisterOrFail choice's and the next state's: the wait before Resume, or JobFailed. */
    @Override
    protected Usage causes() {
        return Usage.transitions(3);
    }
}
