package io.conveyor.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/** The OfferSubJob state: a subjob of a program with an external worker goes into the work queue with its task token. */
public final class OfferSubJobHandler extends WorkflowHandler {
    public OfferSubJobHandler() {
        super(WorkflowComponents.fromEnvironment());
    }

    OfferSubJobHandler(WorkflowComponents components) {
        super(components);
    }

    @Override
    protected Map<String, Object> handle(JsonNode input) {
        JsonNode subJob = input.path("subJob");
        components.externalSubJobs().offer(text(input, "jobId"), number(input, "attempt"), number(subJob, "index"),
                subJob.path("input"), number(input, "timeoutSeconds"), text(input, "taskToken"));
        return Map.of();
    }
}
