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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A program whose subjobs end as their job asks, every time they run: parameter {@code outcomes} lists one of
 * {@code ok}, {@code declined}, {@code rejected} or {@code busy} (retryable errors: {@code busy} is a program's own
 * kind of decline) or {@code failed} (a permanent one) per subjob, comma-separated; {@code gated} succeeds, its first
 * run once the test opens the {@link Gate}.
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
            case "gated" -> Gate.current.pass();
            default -> JsonNodeFactory.instance.objectNode().put("ok", true);
        };
    }

    /**
     * Where {@code gated} subjobs run: the first run waits until the test opens the gate, as a slow worker still at work
     * when its task times out; later runs pass at once. It counts the runs.
     */
    static final class Gate {
        private static volatile Gate current = new Gate();

        final AtomicInteger runs = new AtomicInteger();
        /** Counted down when the first run is at work. */
        final CountDownLatch entered = new CountDownLatch(1);
        private final CountDownLatch opened = new CountDownLatch(1);

        /** A closed gate for the {@code gated} subjobs that run from now on. */
        static Gate closed() {
            current = new Gate();
            return current;
        }

        void open() {
            opened.countDown();
        }

        private JsonNode pass() {
            if (runs.incrementAndGet() == 1) {
                entered.countDown();
                try {
                    opened.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted at the gate", e);
                }
            }
            return JsonNodeFactory.instance.objectNode().put("ok", true);
        }
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
