package io.conveyor.programs.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conveyor.aws.AwsHttpService;
import io.conveyor.programs.DeclaredInput;
import io.conveyor.persistence.StoredJson;
import io.conveyor.program.ProgramDefinition;
import io.conveyor.program.ProgramFunction;
import io.conveyor.program.ProgramOperation;
import io.conveyor.programs.InvalidParametersException;
import io.conveyor.programs.JobInputs;
import io.conveyor.programs.Program;
import io.conveyor.programs.ResultRejectedException;
import io.conveyor.programs.SubJobDeclinedException;
import io.conveyor.programs.SubJobOutputs;
import io.conveyor.storage.JobObjectLayout;
import io.conveyor.storage.ObjectStore;
import io.conveyor.storage.PresignedRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.utils.http.SdkHttpUtils;

/**
 * A program whose operations are Lambda functions, in any language, invoked synchronously with the JSON of the
 * program function contract {@value #CONTRACT} (README, "Programs as Lambda functions"). What each function
 * reports maps onto the exceptions Java programs throw, so the workflow, its retries and the error codes users see
 * are the same for both:
 *
 * <ul>
 *   <li>{@code errorType} {@value #DECLINED} or {@value #RESULT_REJECTED} (or {@code SubJobDeclined},
 *       {@code SubJobResultRejected}, for runtimes whose error types cannot hold a dot, such as Python's class names):
 *       {@link SubJobDeclinedException}, {@link ResultRejectedException}, retried;
 *   <li>{@value #INVALID_PARAMETERS} (or {@code ProgramInvalidParameters}): {@link InvalidParametersException};
 *   <li>the function running out of time ({@value #FUNCTION_TIMED_OUT}): {@link SubJobDeclinedException}, retried,
 *       as a Java worker that passes its subjob timeout is;
 *   <li>any other function error: {@link ProgramFunctionException}, permanent;
 *   <li>Lambda throttling (429), its service errors (5xx) and network failures: {@link SubJobDeclinedException},
 *       so the state machine's Retry applies; Lambda refusing the call otherwise (4xx): permanent.
 * </ul>
 *
 * <p>Each call is Lambda's Invoke operation ({@code POST /2015-03-31/functions/<name>/invocations}), signed and sent
 * through {@link AwsHttpService}: the SDK's Lambda client would add 3 MB of model classes to the functions' jar for
 * this one operation. Throttling, service errors and network failures are first retried as a generated client
 * retries them (the SDK's default retry strategy).
 *
 * <p>Thread-safe.
 */
public final class LambdaProgram implements Program {
    /** The contract's name and version, sent as {@code "contract"} in every event. */
    public static final String CONTRACT = "conveyor.program/1";
    public static final String DECLINED = "SubJob.Declined";
    public static final String RESULT_REJECTED = "SubJob.ResultRejected";
    public static final String INVALID_PARAMETERS = "Program.InvalidParameters";
    /** The {@code errorType} Lambda reports for a function that ran out of its configured time. */
    static final String FUNCTION_TIMED_OUT = "Sandbox.Timedout";
    /** Presigned URLs last as long as the longest Lambda invocation, so a function can read until its end. */
    static final Duration URL_LIFETIME = Duration.ofMinutes(15);

    private final ProgramDefinition definition;
    private final AwsHttpService lambda;
    private final ObjectStore objects;

    /** @param lambda the Lambda service ({@code AwsClients.lambda()}) */
    public LambdaProgram(ProgramDefinition definition, AwsHttpService lambda, ObjectStore objects) {
        this.definition = definition;
        this.lambda = lambda;
        this.objects = objects;
    }

    /** Split: {@code {"subJobs": [input, ...]}}, each input a JSON value of at most {@code SubJobInputs.MAX_BYTES}. */
    @Override
    public List<JsonNode> split(JobInputs job) {
        JsonNode subJobs = invoke(ProgramOperation.SPLIT, event(ProgramOperation.SPLIT, job)).get("subJobs");
        if (subJobs == null || !subJobs.isArray()) {
            throw contractBroken(ProgramOperation.SPLIT, "{\"subJobs\": [<subjob input>, ...]}");
        }
        List<JsonNode> inputs = new ArrayList<>();
        subJobs.forEach(inputs::add);
        return inputs;
    }

    /** A worker function is always told its subjob's index: the workflow calls {@link #work(int, JsonNode, JobInputs)}. */
    @Override
    public JsonNode work(JsonNode input, JobInputs job) {
        throw new IllegalStateException("a worker function receives its subjob's index: call work(index, input, job)");
    }

    /** Work: {@code {"output": <JSON>}}. */
    @Override
    public JsonNode work(int index, JsonNode input, JobInputs job) {
        ObjectNode event = event(ProgramOperation.WORK, job);
        event.putObject("subJob").put("index", index).set("input", input);
        JsonNode output = invoke(ProgramOperation.WORK, event).get("output");
        if (output == null) {
            throw contractBroken(ProgramOperation.WORK, "{\"output\": <JSON>}");
        }
        return output;
    }

    /**
     * Aggregate: the outputs go to one JSON Lines object ({@code {"index": n, "output": ...}} per line, in subjob
     * order) under the attempt's prefix, and the function gets where it is; it answers {@code {"result": <JSON>}}.
     */
    @Override
    public JsonNode aggregate(SubJobOutputs outputs, JobInputs job) throws IOException {
        ByteArrayOutputStream lines = new ByteArrayOutputStream();
        outputs.forEach((index, output) -> {
            ObjectNode line = StoredJson.MAPPER.createObjectNode().put("index", index);
            line.set("output", output);
            lines.write(StoredJson.write(line).getBytes(StandardCharsets.UTF_8));
            lines.write('\n');
        });
        String key = JobObjectLayout.collectedOutputs(job.jobId(), job.attempt());
        objects.put(key, lines.toByteArray(), "application/x-ndjson");
        ObjectNode event = event(ProgramOperation.AGGREGATE, job);
        ObjectNode where = event.putObject("outputs").put("count", outputs.count()).put("format", "jsonl");
        located(where, key);
        JsonNode result = invoke(ProgramOperation.AGGREGATE, event).get("result");
        if (result == null) {
            throw contractBroken(ProgramOperation.AGGREGATE, "{\"result\": <JSON>}");
        }
        return result;
    }

    /** What every event carries: the contract, the operation, and the job with where to read each input. */
    private ObjectNode event(ProgramOperation operation, JobInputs job) {
        ObjectNode event = StoredJson.MAPPER.createObjectNode().put("contract", CONTRACT).put("operation", operation.operationName());
        ObjectNode about = event.putObject("job").put("id", job.jobId()).put("program", definition.name())
                .put("attempt", job.attempt());
        ObjectNode parameters = about.putObject("parameters");
        job.parameters().forEach(parameters::put);
        ArrayNode inputs = about.putArray("inputs");
        for (DeclaredInput input : job.inputs()) {
            ObjectNode described = inputs.addObject().put("name", input.name()).put("size", input.size())
                    .put("contentType", input.contentType()).put("sha256", input.sha256());
            located(described, JobObjectLayout.input(job.jobId(), input.name()));
        }
        return event;
    }

    /** Where an object is: bucket and key for a function allowed to read the bucket, a presigned GET for any other. */
    private void located(ObjectNode node, String key) {
        PresignedRequest get = objects.presignGet(key, URL_LIFETIME, null);
        node.put("bucket", objects.bucket()).put("key", key).put("url", get.url().toString())
                .put("urlExpiresAt", get.expiresAt().toString());
    }

    private JsonNode invoke(ProgramOperation operation, ObjectNode event) {
        ProgramFunction function = definition.function(operation);
        AwsHttpService.Response response;
        try {
            // The name may be a function name, name:alias or an ARN: one path segment, its colons percent-encoded.
            response = lambda.post("/2015-03-31/functions/" + SdkHttpUtils.urlEncode(function.target()) + "/invocations",
                    Map.of("X-Amz-Invocation-Type", "RequestResponse", "Content-Type", "application/json"),
                    StoredJson.write(event).getBytes(StandardCharsets.UTF_8));
        } catch (AwsServiceException e) {
            String why = "Lambda refused to invoke " + describe(operation) + ": " + e.awsErrorDetails().errorCode() + ": "
                    + e.awsErrorDetails().errorMessage();
            if (e.statusCode() == 429 || e.statusCode() >= 500) {
                throw new SubJobDeclinedException(why + " (worth another try)");
            }
            throw new ProgramFunctionException(why);
        } catch (SdkClientException e) {
            throw new SubJobDeclinedException("invoking " + describe(operation) + " failed, worth another try: " + e.getMessage());
        }
        String payload = new String(response.body(), StandardCharsets.UTF_8);
        if (response.header("X-Amz-Function-Error").isPresent()) {
            throw functionError(operation, payload);
        }
        try {
            JsonNode answer = StoredJson.MAPPER.readTree(payload);
            if (answer != null && answer.isObject()) {
                return answer;
            }
        } catch (IOException notJson) {
            // reported below
        }
        throw contractBroken(operation, "a JSON object");
    }

    private RuntimeException functionError(ProgramOperation operation, String payload) {
        String type = "";
        String message = payload;
        try {
            JsonNode error = StoredJson.MAPPER.readTree(payload);
            type = error.path("errorType").asText("");
            message = error.path("errorMessage").asText(payload);
        } catch (IOException notJson) {
            // an error payload that is not Lambda's error document: its text is the message
        }
        if (type.equals(FUNCTION_TIMED_OUT)) {
            return new SubJobDeclinedException(describe(operation) + " ran out of time (worth another try): " + message);
        }
        return switch (ERROR_TYPES.getOrDefault(type, "")) {
            case DECLINED -> new SubJobDeclinedException(message);
            case RESULT_REJECTED -> new ResultRejectedException(message);
            case INVALID_PARAMETERS -> new InvalidParametersException(message);
            default -> new ProgramFunctionException(describe(operation) + " failed with "
                    + (type.isEmpty() ? "an error" : type) + ": " + message);
        };
    }

    /** The contract's error types, and the spellings of runtimes whose error types cannot hold a dot. */
    private static final Map<String, String> ERROR_TYPES = Map.of(
            DECLINED, DECLINED, "SubJobDeclined", DECLINED,
            RESULT_REJECTED, RESULT_REJECTED, "SubJobResultRejected", RESULT_REJECTED,
            INVALID_PARAMETERS, INVALID_PARAMETERS, "ProgramInvalidParameters", INVALID_PARAMETERS);

    private ProgramFunctionException contractBroken(ProgramOperation operation, String expected) {
        return new ProgramFunctionException(describe(operation) + " answered the " + operation.operationName()
                + " operation with JSON that " + CONTRACT + " does not allow: it must answer " + expected);
    }

    private String describe(ProgramOperation operation) {
        return "the " + operation.role() + " function " + definition.function(operation).target() + " of program "
                + definition.name();
    }
}
