package io.conveyor.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/** The Aggregate state: the program combines the subjob outputs into the result. */
public final class AggregateHandler extends WorkflowHandler {
    public AggregateHandler() {
        super(WorkflowComponents.fromEnvironment());
    }

    AggregateHandler(WorkflowComponents components) {
        super(components);
    }

    @Override
    protected boolean readsObjects() {
        return true;
    }

    @Override
    protected Map<String, Object> handle(JsonNode input) throws java.io.IOException {
        return Map.of("resultKey", components.workflow().aggregate(text(input, "jobId"), number(input, "attempt")));
    }
}
