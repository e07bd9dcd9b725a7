package io.conveyor.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/** The AwaitDependencies state: parks the workflow until every dependency has succeeded (or one failed). */
public final class AwaitDependenciesHandler extends WorkflowHandler {
    public AwaitDependenciesHandler() {
        super(WorkflowComponents.fromEnvironment());
    }

    AwaitDependenciesHandler(WorkflowComponents components) {
        super(components);
    }

    @Override
    protected Map<String, Object> handle(JsonNode input) {
        components.dependencies().await(queuedJob(input), text(input, "taskToken"));
        return Map.of();
    }
}
