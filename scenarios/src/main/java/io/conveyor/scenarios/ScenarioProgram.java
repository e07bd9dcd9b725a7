package io.conveyor.scenarios;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.conveyor.programs.JobInputs;
import io.conveyor.programs.Program;
import io.conveyor.programs.SubJobDeclinedException;
import io.conveyor.programs.SubJobOutputs;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * A program whose subjobs misbehave on request, to drive the workflow's failure paths through whole jobs.
 * Parameters: {@code subJobs} (how many, default 4); {@code declines} (each subjob declines its first N invocations,
 * default 0); {@code failIndexes} (comma-separated subjobs that fail permanently); {@code workMillis} (how long each
 * invocation works, default 0). Invocations are counted per job and subjob across attempts, in this JVM (the local
 * runtime runs every function in-process).
 */
public final class ScenarioProgram implements Program {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final Map<String, AtomicInteger> INVOCATIONS = new ConcurrentHashMap<>();

    @Override
    public List<JsonNode> split(JobInputs job) {
        long count = job.longParameter("subJobs", 4, 0, 100_000);
        List<JsonNode> inputs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            inputs.add(JSON.objectNode().put("n", i));
        }
        return inputs;
    }

    @Override
    public JsonNode work(JsonNode input, JobInputs job) {
        int n = input.path("n").asInt();
        int invocation = INVOCATIONS.computeIfAbsent(job.jobId() + "#" + n, k -> new AtomicInteger()).incrementAndGet();
        long workMillis = job.longParameter("workMillis", 0, 0, 600_000);
        if (workMillis > 0) {
            try {
                Thread.sleep(workMillis); // stands in for real work that takes time
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Set<Integer> failing = Arrays.stream(job.parameter("failIndexes").orElse("").split(","))
                .filter(s -> !s.isBlank()).map(s -> Integer.parseInt(s.trim())).collect(Collectors.toSet());
        if (failing.contains(n)) {
            throw new IllegalStateException("subjob " + n + " cannot be done");
        }
        if (invocation <= job.longParameter("declines", 0, 0, 100)) {
            throw new SubJobDeclinedException("subjob " + n + " declined invocation " + invocation);
        }
        return JSON.objectNode().put("n", n).put("invocations", invocation);
    }

    @Override
    public JsonNode aggregate(SubJobOutputs outputs, JobInputs job) throws IOException {
        long[] sum = {0};
        outputs.forEach((index, output) -> sum[0] += output.path("n").asLong());
        return JSON.objectNode().put("subJobsSucceeded", outputs.count()).put("sumOfIndexes", sum[0]);
    }
}
