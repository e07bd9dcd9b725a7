package io.conveyor.programs;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.List;

/**
 * A program written in Java and run inside the workflow's own functions: its splitter, worker and aggregator.
 * Implementations are stateless and thread-safe; one instance serves every job of the program.
 *
 * <p>Errors: a worker throws {@link SubJobDeclinedException} or {@link ResultRejectedException} for failures
 * worth retrying (the workflow retries them with the program's backoff), and anything else for a failure that
 * retrying cannot fix.
 */
public interface Program {

    /**
     * Divides a job into subjobs. Each element describes one subjob's input and must stay small (at most
     * {@link SubJobInputs#MAX_BYTES} as JSON): describe where the data is (a file name, a byte range), do not
     * copy it.
     */
    List<JsonNode> split(JobInputs job) throws IOException;

    /** Runs one subjob: reads what {@code input} describes and returns its output, a JSON document. */
    JsonNode work(JsonNode input, JobInputs job) throws IOException;

    /**
     * Runs subjob {@code index} (its position in the splitter's list); the workflow calls this one. By default the
     * index is not needed and {@link #work(JsonNode, JobInputs)} runs; a worker that wants it overrides this.
     */
    default JsonNode work(int index, JsonNode input, JobInputs job) throws IOException {
        return work(input, job);
    }

    /** Combines the outputs of the subjobs that succeeded, in subjob order, into the job's result. */
    JsonNode aggregate(SubJobOutputs outputs, JobInputs job) throws IOException;
}
