package io.conveyor.workflow;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.fasterxml.jackson.databind.JsonNode;
import io.conveyor.logging.InvocationLogging;
import io.conveyor.persistence.StoredJson;
import io.conveyor.snapstart.SnapStartPriming;
import io.conveyor.usage.Usage;
import io.conveyor.usage.UsageMeter;
import java.util.Map;
import org.slf4j.MDC;

/**
 * What every workflow function shares: the event is the JSON the state sends, the answer is the JSON the state
 * receives, and every log line carries the Lambda request id and the job id.
 */
abstract class WorkflowHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {
    protected final WorkflowComponents components;

    protected WorkflowHandler(WorkflowComponents components) {
        this.components = components;
        SnapStartPriming.register(getClass().getSimpleName(), this::prime);
    }

    /**
     * For the SnapStart snapshot: the event's JSON mapping and a read of a job that cannot exist, which runs the
     * SDK's whole request path (DynamoDB client, signer, endpoint rules, HTTP client, the jobs table's schema); and,
     * for a step that {@linkplain #readsObjects reads or writes objects}, the S3 client's and presigner's.
     */
    void prime() {
        JsonNode input = StoredJson.MAPPER.valueToTree(Map.of("jobId", SnapStartPriming.PLACEHOLDER_ID));
        components.jobs().get(input.path("jobId").asText());
        if (readsObjects()) {
            SnapStartPriming.primeObjectStore(components.objects());
        }
    }

    /**
     * Whether this step reads or writes objects in the bucket. The S3 client is built on first use, so the steps that
     * never touch objects leave it unbuilt, and their snapshots without it.
     */
    protected boolean readsObjects() {
        return false;
    }

    @Override
    public final Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        JsonNode input = StoredJson.MAPPER.valueToTree(event);
        return InvocationLogging.withContext(context, () -> {
            String jobId = jobId(input);
            // A step charged for every invocation measures for its job from the start, so one that writes nothing
            // (ConfirmSubJobs, Aggregate) leaves all it consumed to its tail; the others are charged once they write it.
            String chargedTo = chargesEveryInvocation() && !jobId.isEmpty() ? jobId : null;
            return UsageMeter.measure(chargedTo, context.getMemoryLimitInMB(), () -> run(jobId, input));
        });
    }

    private Map<String, Object> run(String jobId, JsonNode input) {
        MDC.put("jobId", jobId);
        UsageMeter.record(causes());
        try {
            return handle(input);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } finally {
            MDC.remove("jobId");
        }
    }

    /**
     * What running this step means beyond its own requests: by default the state transition of its task (each retry
     * of a task is one more, and is one more invocation too).
     */
    protected Usage causes() {
        return Usage.transitions(1);
    }

    /**
     * Whether every invocation of this function is charged to its job, even one that changes nothing of it (by default,
     * since every step of the workflow runs for its job).
     */
    protected boolean chargesEveryInvocation() {
        return true;
    }

    /** The job the event is about, for the log lines. */
    protected String jobId(JsonNode input) {
        return input.path("jobId").asText();
    }

    /** The step itself. */
    protected abstract Map<String, Object> handle(JsonNode input) throws java.io.IOException;

    /** The job the state names, which must still be waiting to start. */
    protected io.conveyor.job.Job queuedJob(JsonNode input) {
        String jobId = text(input, "jobId");
        io.conveyor.job.Job job = components.jobs().get(jobId)
                .orElseThrow(() -> new JobNotRunningException("job " + jobId + " does not exist"));
        if (job.status() != io.conveyor.job.JobStatus.QUEUED) {
            throw new JobNotRunningException("job " + jobId + " is " + job.status() + ", no longer waiting to start");
        }
        return job;
    }

    static String text(JsonNode input, String field) {
        JsonNode value = input.get(field);
        if (value == null || value.isNull()) {
            throw new IllegalArgumentException("the state sent no '" + field + "'");
        }
        return value.asText();
    }

    static JsonNode items(JsonNode input, String field) {
        JsonNode value = input.get(field);
        if (value == null || !value.isArray()) {
            throw new IllegalArgumentException("the state sent no list '" + field + "'");
        }
        return value;
    }

    static int number(JsonNode input, String field) {
        JsonNode value = input.get(field);
        if (value == null || !value.canConvertToInt()) {
            throw new IllegalArgumentException("the state sent no whole number '" + field + "'");
        }
        return value.asInt();
    }
}
