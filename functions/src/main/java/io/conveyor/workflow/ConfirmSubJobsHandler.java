package io.conveyor.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/** The ConfirmSubJobs state: every subjob has an outcome and failures are within tolerance. */
public final class ConfirmSubJobsHandler extends WorkflowHandler {
    public ConfirmSubJobsHandler() {
        super(WorkflowComponents.fromEnvironment());
    }

    ConfirmSubJobsHandler(WorkflowComponents components) {
        super(components);
    }

    @Override
    protected Map<String, Object> handle(JsonNode input) {
        io.conveyor.job.Progress p = components.workflow().confirmSubJobs(text(input, "jobId"), number(input, "attempt"));
        return Map.of("total", p.total(), "succeeded", p.succeeded(), "failed", p.failed());
    }
}
