package io.conveyor.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import io.conveyor.subjob.SubJobRunner;
import java.util.Map;

/**
 * The AwaitWorker state: a worker claimed the subjob; it starts, and the token the worker's answer resumes is stored
 * with the claim.
 */
public final class StartOnWorkerHandler extends WorkflowHandler {
    public StartOnWorkerHandler() {
        super(WorkflowComponents.fromEnvironment());
    }

    StartOnWorkerHandler(WorkflowComponents components) {
        super(components);
    }

    @Override
    protected Map<String, Object> handle(JsonNode input) {
        components.externalSubJobs().start(text(input, "jobId"), number(input, "attempt"), number(input, "index"),
                text(input, "claimId"), new SubJobRunner.Worker(text(input, "workerId"), input.path("workerName").textValue()),
                text(input, "taskToken"));
        return Map.of();
    }
}
