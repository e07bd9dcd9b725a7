package io.conveyor.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import io.conveyor.aws.AwsHttpService;
import io.conveyor.program.ProgramDefinition;
import io.conveyor.program.ProgramFunction;
import io.conveyor.program.ProgramOperation;
import io.conveyor.programs.JobInputs;
import io.conveyor.programs.Program;
import io.conveyor.programs.SubJobOutputs;
import io.conveyor.programs.lambda.LambdaProgram;
import io.conveyor.storage.ObjectStore;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * What runs each program's operations: Java classes, loaded once by class name and shared (programs are stateless),
 * and Lambda functions, invoked through one {@link LambdaProgram} per program. A program whose splitter, worker and
 * aggregator are not all the same Java class gets each operation from what its definition names for it.
 */
final class ProgramResolver {
    private final Map<String, Program> classes = new ConcurrentHashMap<>();
    private final Map<String, Program> programs = new ConcurrentHashMap<>();
    private final ObjectStore objects;
    private final Supplier<AwsHttpService> lambdaFactory;
    private AwsHttpService lambda;

    /** @param lambda builds the Lambda service; called once, when the first program function is resolved */
    ProgramResolver(ObjectStore objects, Supplier<AwsHttpService> lambda) {
        this.objects = objects;
        this.lambdaFactory = lambda;
    }

    Program of(ProgramDefinition definition) {
        return programs.computeIfAbsent(definition.name(), name -> resolve(definition));
    }

    private Program resolve(ProgramDefinition definition) {
        LambdaProgram functions = List.of(ProgramOperation.values()).stream()
                .anyMatch(op -> definition.function(op).isLambda()) ? new LambdaProgram(definition, lambda(), objects) : null;
        Program splitter = implementation(definition.function(ProgramOperation.SPLIT), functions);
        Program worker = implementation(definition.function(ProgramOperation.WORK), functions);
        Program aggregator = implementation(definition.function(ProgramOperation.AGGREGATE), functions);
        if (splitter == worker && worker == aggregator) {
            return worker;
        }
        return new Composed(splitter, worker, aggregator);
    }

    private Program implementation(ProgramFunction function, LambdaProgram functions) {
        if (function.isExternal()) {
            return EXTERNAL;
        }
        return function.isLambda() ? functions : classes.computeIfAbsent(function.target(), ProgramResolver::instantiate);
    }

    /**
     * The worker of a program whose subjobs run on external workers: the workflow offers them in the work queue and
     * never runs them here, so reaching this is a fault of the workflow.
     */
    private static final Program EXTERNAL = new Program() {
        @Override
        public List<JsonNode> split(JobInputs job) {
            throw new IllegalStateException("an external worker splits nothing");
        }

        @Override
        public JsonNode work(JsonNode input, JobInputs job) {
            throw new IllegalStateException("this program's subjobs run on external workers, never in RunSubJob");
        }

        @Override
        public JsonNode aggregate(SubJobOutputs outputs, JobInputs job) {
            throw new IllegalStateException("an external worker aggregates nothing");
        }
    };

    private synchronized AwsHttpService lambda() {
        if (lambda == null) {
            lambda = lambdaFactory.get();
        }
        return lambda;
    }

    private static Program instantiate(String className) {
        try {
            Object program = Class.forName(className).getDeclaredConstructor().newInstance();
            if (program instanceof Program p) {
                return p;
            }
            throw new IllegalStateException(className + " does not implement " + Program.class.getName());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot load program class " + className
                    + " (it needs a public no-argument constructor and must be in the functions jar)", e);
        }
    }

    /** Each operation from its own implementation. */
    private record Composed(Program splitter, Program worker, Program aggregator) implements Program {
        @Override
        public List<JsonNode> split(JobInputs job) throws IOException {
            return splitter.split(job);
        }

        @Override
        public JsonNode work(JsonNode input, JobInputs job) throws IOException {
            return worker.work(input, job);
        }

        @Override
        public JsonNode work(int index, JsonNode input, JobInputs job) throws IOException {
            return worker.work(index, input, job);
        }

        @Override
        public JsonNode aggregate(SubJobOutputs outputs, JobInputs job) throws IOException {
            return aggregator.aggregate(outputs, job);
        }
    }
}
