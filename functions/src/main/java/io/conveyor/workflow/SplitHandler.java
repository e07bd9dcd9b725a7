package io.conveyor.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import io.conveyor.usage.Usage;
import java.util.Map;

/** The Split state: the program divides the job into subjobs, listed in a manifest in the bucket. */
public final class SplitHandler extends WorkflowHandler {
    public SplitHandler() {
        super(WorkflowComponents.fromEnvironment());
    }

    SplitHandler(WorkflowComponents components) {
        super(components);
    }

    @Override
    protected boolean readsObjects() {
        return true;
    }

    @Override
    protected Map<String, Object> handle(JsonNode input) throws java.io.IOException {
        WorkflowSteps.Split split = components.workflow().split(text(input, "jobId"), number(input, "attempt"));
        return Map.of("bucket", split.bucket(), "manifestKey", split.manifestKey(), "subJobs", split.subJobs(),
                "subJobsPerBatch", split.subJobsPerBatch(), "batchTimeoutSeconds", split.batchTimeoutSeconds());
    }

    /** Its own transition and the RunSubJobs map's, which then reads the manifest from S3 (one GET). */
    @Override
    protected Usage causes() {
        return Usage.transitions(2).plus(Usage.s3(0, 1, 0));
    }
}
