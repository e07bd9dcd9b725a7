package io.conveyor.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The RunSubJob state, once per batch of subjobs: the program's worker runs each. */
public final class RunSubJobHandler extends WorkflowHandler {
    public RunSubJobHandler() {
        super(WorkflowComponents.fromEnvironment());
    }

    RunSubJobHandler(WorkflowComponents components) {
        super(components);
    }

    @Override
    protected boolean readsObjects() {
        return true;
    }

    @Override
    protected Map<String, Object> handle(JsonNode input) {
        List<WorkflowSteps.BatchItem> batch = new ArrayList<>();
        for (JsonNode item : items(input, "subJobs")) {
            batch.add(new WorkflowSteps.BatchItem(number(item, "index"), item.path("input")));
        }
        components.workflow().runSubJobs(text(input, "jobId"), number(input, "attempt"), batch);
        return Map.of();
    }
}
