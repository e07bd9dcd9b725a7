package io.conveyor.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import io.conveyor.usage.Usage;
import io.conveyor.job.Job;
import java.util.Map;

/**
 * The target of the rule on Step Functions' {@code Execution Status Change} events for the job workflows' FAILED,
 * TIMED_OUT and ABORTED executions: fails the job if its workflow ended without ending it (see
 * {@link WorkflowSteps#executionEnded}). The event's {@code detail} is what DescribeExecution returns.
 */
public final class ExecutionEndedHandler extends WorkflowHandler {
    public ExecutionEndedHandler() {
        super(WorkflowComponents.fromEnvironment());
    }

    ExecutionEndedHandler(WorkflowComponents components) {
        super(components);
    }

    @Override
    protected String jobId(JsonNode event) {
        return Job.idOfExecution(event.path("detail").path("name").asText());
    }

    @Override
    protected Map<String, Object> handle(JsonNode event) {
        JsonNode detail = event.path("detail");
        boolean failed = components.workflow().executionEnded(text(detail, "name"), text(detail, "status"),
                detail.path("error").asText(null), detail.path("cause").asText(null)).isPresent();
        return Map.of("jobFailed", failed);
    }

    /**
     * Charged only when it ends the job: an execution's end is reported for every job the workflow failed itself, and
     * that report may come after the owner's retry, so charging it would put it in the wrong attempt.
     */
    @Override
    protected boolean chargesEveryInvocation() {
        return false;
    }

    /** An EventBridge rule's target: no state of the workflow runs it. */
    @Override
    protected Usage causes() {
        return Usage.NONE;
    }
}
