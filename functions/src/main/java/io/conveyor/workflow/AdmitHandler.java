package io.conveyor.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import io.conveyor.job.Job;
import io.conveyor.job.JobStatus;
import java.util.Map;
import java.util.Optional;

/** The Admit state: parks the workflow until the job gets a quota slot, in fair order. */
public final class AdmitHandler extends WorkflowHandler {
    public AdmitHandler() {
        super(WorkflowComponents.fromEnvironment());
    }

    AdmitHandler(WorkflowComponents components) {
        super(components);
    }

    @Override
    protected Map<String, Object> handle(JsonNode input) {
        String taskToken = text(input, "taskToken");
        Optional<Job> admitted = components.jobs().get(text(input, "jobId")).filter(j -> j.status() == JobStatus.RUNNING);
        if (admitted.isPresent()) {
            components.admissions().resumeAdmitted(admitted.get(), taskToken);
        } else {
            components.admissions().enqueue(queuedJob(input), taskToken);
        }
        return Map.of();
    }
}
