package io.conveyor.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.conveyor.programs.JobInputs;
import io.conveyor.programs.Program;
import io.conveyor.programs.ResultRejectedException;
import io.conveyor.programs.SubJobDeclinedException;
import io.conveyor.programs.SubJobOutputs;
import java.util.ArrayList;
import java.util.List;

/**
 * A program whose subjobs end as their job asks, every time they run: parameter {@code outcomes} lists one of
 * {@code ok}, {@code declined}, {@code rejected} or {@code busy} (retryable errors: {@code busy} is a program's own
 * kind of decline) or {@code failed} (a permanent one) per subjob, comma-separated.
 * The result counts the outputs it was given.
 */
public final class OutcomeProgram implements Program {
    static final String REGISTRATION = "[{\"name\": \"outcomes\", \"implementation\": \"java:" + OutcomeProgram.class.getName() + "\"}]";

    @Override
    public List<JsonNode> split(JobInputs job) {
        List<JsonNode> inputs = new ArrayList<>();
        for (String outcome : job.parameter("outcomes").orElse("ok").split(",")) {
            inputs.add(JsonNodeFactory.instance.objectNode().put("outcome", outcome.trim()));
        }
        return inputs;
    }

    @Override
    public JsonNode work(JsonNode input, JobInputs job) {
        return switch (input.path("outcome").asText()) {
            case "declined" -> throw new SubJobDeclinedException("busy, try later");
            case "rejected" -> throw new ResultRejectedException("the output failed its checksum");
            case "busy" -> throw new Busy();
            case "failed" -> throw new IllegalStateException("this subjob cannot be done");
            default -> JsonNodeFactory.instance.objectNode().put("ok", true);
        };
    }

    /** A program's own subclass of the decline. */
    static final class Busy extends SubJobDeclinedException {
        Busy() {
            super("the database is busy");
        }
    }

    @Override
    public JsonNode aggregate(SubJobOutputs outputs, JobInputs job) {
        return JsonNodeFactory.instance.objectNode().put("outputs", outputs.count());
    }
}
