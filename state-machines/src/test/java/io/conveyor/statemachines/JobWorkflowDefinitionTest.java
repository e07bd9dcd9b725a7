package io.conveyor.statemachines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.conveyor.deployment.Catalogue;
import io.conveyor.deployment.Definitions;
import io.conveyor.deployment.FunctionSpec;
import io.conveyor.deployment.StateMachineSpec;
import io.conveyor.deployment.WorkflowErrors;
import io.conveyor.persistence.StoredJson;
import io.conveyor.program.ProgramRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The job workflow file, rendered for every program as the deployment renders it. */
class JobWorkflowDefinitionTest {
    private static final String ARN_PREFIX = "arn:aws:lambda:eu-west-1:123456789012:function:";

    /** A program whose subjobs run on external workers, beside the samples. */
    private static final String RENDER = """
            [{"name": "render", "implementation": "java:com.example.Render", "worker": "external",
              "external": {"capabilities": ["gpu", "memoryGiB>=64"], "heartbeatSeconds": 45}, "subJobTimeoutSeconds": 7200,
              "retry": {"intervalSeconds": 2, "maxAttempts": 4}}]""";

    private static final ProgramRegistry REGISTRY = ProgramRegistry.from(Map.of(ProgramRegistry.SETTING, RENDER));

    static Stream<StateMachineSpec> machines() {
        return Catalogue.stateMachines(REGISTRY).stream();
    }

    private static String render(StateMachineSpec machine) {
        return Definitions.render(machine, name -> ARN_PREFIX + name);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("machines")
    void everyTaskInvokesAFunctionOfTheCatalogue(StateMachineSpec machine) throws IOException {
        JsonNode definition = StoredJson.MAPPER.readTree(render(machine));
        Set<String> invoked = new TreeSet<>();
        collectFunctionNames(definition, invoked);
        Set<String> catalogued = new HashSet<>();
        Catalogue.FUNCTIONS.forEach(f -> catalogued.add(ARN_PREFIX + f.name()));
        assertFalse(invoked.isEmpty());
        for (String function : invoked) {
            assertTrue(catalogued.contains(function), function + " is not a function of the deployment catalogue");
        }
        Set<String> workflowFunctions = new TreeSet<>();
        Catalogue.WORKFLOW_FUNCTIONS.stream().map(FunctionSpec::name).forEach(n -> workflowFunctions.add(ARN_PREFIX + n));
        assertEquals(workflowFunctions, invoked, "the workflow invokes exactly the catalogue's workflow functions");
    }

    @Test
    void everyPlaceholder_isOneTheCatalogueSubstitutes() throws IOException {
        String template = Definitions.load(Catalogue.WORKFLOW_DEFINITION);
        Set<String> placeholders = new TreeSet<>();
        Matcher m = Pattern.compile("\\$\\{([A-Za-z0-9_]+)}").matcher(template);
        while (m.find()) {
            placeholders.add(m.group(1));
        }
        StateMachineSpec machine = machines().findFirst().orElseThrow();
        Set<String> given = new TreeSet<>(machine.substitutions(function -> ARN_PREFIX + function).keySet());
        assertEquals(given, placeholders);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("machines")
    void retryPolicy_isTheProgramsOwn(StateMachineSpec machine) throws IOException {
        JsonNode retry = StoredJson.MAPPER.readTree(render(machine)).at("/States/RunSubJobs/ItemProcessor/States/RunSubJob/Retry/0");
        assertEquals(machine.substitutions().get("RetryMaxAttempts"), retry.path("MaxAttempts").asText());
        assertEquals(machine.substitutions().get("RetryJitterStrategy"), retry.path("JitterStrategy").asText());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("machines")
    void runSubJob_retriesExactlyTheErrorNamesTheWorkflowErrorsGive(StateMachineSpec machine) throws IOException {
        JsonNode retry = StoredJson.MAPPER.readTree(render(machine)).at("/States/RunSubJobs/ItemProcessor/States/RunSubJob/Retry");
        assertEquals(1, retry.size());
        assertEquals(WorkflowErrors.SUBJOB_RETRIED, texts(retry.get(0).path("ErrorEquals")));
    }

    /** Every Lambda task retries Lambda's transient failures; HandleFailure, the last resort, retries everything. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("machines")
    void everyTask_retriesLambdasTransientFailures(StateMachineSpec machine) throws IOException {
        Map<String, JsonNode> tasks = new TreeMap<>();
        collectTasks(StoredJson.MAPPER.readTree(render(machine)), tasks);
        assertEquals(Set.of("Admit", "Aggregate", "AwaitDependencies", "AwaitWorker", "ConfirmSubJobs", "Finalize",
                "HandleFailure", "OfferSubJob", "RecordSubJobFailure", "RecordWorkerOutcome", "Resume", "RunSubJob", "Split"),
                tasks.keySet());
        tasks.forEach((name, task) -> {
            List<String> retried = new ArrayList<>();
            task.path("Retry").forEach(retrier -> retried.addAll(texts(retrier.path("ErrorEquals"))));
            if (name.equals("HandleFailure")) {
                assertEquals(List.of("States.ALL"), retried, name);
            } else {
                assertTrue(retried.containsAll(WorkflowErrors.LAMBDA_TRANSIENT), name + " retries " + retried);
            }
        });
    }

    /**
     * A program with an external worker takes RunOnExternalWorker: its subjobs wait on a task token with the program's
     * heartbeat, and a missed heartbeat, a decline or a retryable failure offers the subjob again with the program's
     * retry policy; any other program takes RunSubJob.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("machines")
    void externalWorkers_waitOnATaskTokenWithTheProgramsHeartbeat_andAreOfferedAgainByItsRetry(StateMachineSpec machine)
            throws IOException {
        JsonNode definition = StoredJson.MAPPER.readTree(render(machine));
        boolean external = REGISTRY.find(machine.name().substring(Catalogue.WORKFLOW_PREFIX.length())).orElseThrow()
                .hasExternalWorker();
        assertEquals(external, definition.at("/States/RunSubJobs/ItemBatcher/BatchInput/externalWorker").asBoolean());
        JsonNode processor = definition.at("/States/RunSubJobs/ItemProcessor");
        assertEquals("WhereSubJobsRun", processor.path("StartAt").asText());
        JsonNode runOnWorker = processor.at("/States/RunOnExternalWorker");
        JsonNode await = runOnWorker.at("/Branches/0/States/AwaitWorker");
        assertEquals("arn:aws:states:::lambda:invoke.waitForTaskToken", await.path("Resource").asText());
        assertEquals("arn:aws:states:::lambda:invoke.waitForTaskToken",
                runOnWorker.at("/Branches/0/States/OfferSubJob/Resource").asText());
        assertFalse(runOnWorker.at("/Branches/0/States/OfferSubJob").has("HeartbeatSeconds"),
                "a subjob waiting for a worker is not timed by a heartbeat");
        JsonNode retry = runOnWorker.path("Retry");
        assertEquals(1, retry.size());
        assertEquals(WorkflowErrors.EXTERNAL_SUBJOB_RETRIED, texts(retry.get(0).path("ErrorEquals")));
        assertTrue(WorkflowErrors.EXTERNAL_SUBJOB_RETRIED.containsAll(List.of("States.HeartbeatTimeout",
                WorkflowErrors.SUBJOB_DECLINED)));
        if (machine.name().equals(Catalogue.WORKFLOW_PREFIX + "render")) {
            assertEquals(45, await.path("HeartbeatSeconds").asInt());
            assertEquals(2, retry.get(0).path("IntervalSeconds").asInt());
            assertEquals(4, retry.get(0).path("MaxAttempts").asInt());
        }
        assertEquals("RecordSubJobFailure", runOnWorker.at("/Catch/0/Next").asText());
        assertEquals("RecordWorkerOutcome", runOnWorker.path("Next").asText());
    }

    /** The States Language schema check of the npm asl-validator, on every rendered definition. */
    @Test
    void renderedDefinitions_validateAgainstTheStatesLanguageSchema(@TempDir Path dir) throws Exception {
        List<String> command = new ArrayList<>(List.of("npx", "--yes", "asl-validator@4.0.0"));
        for (StateMachineSpec machine : machines().toList()) {
            Path file = dir.resolve(machine.name() + ".asl.json");
            Files.writeString(file, render(machine), StandardCharsets.UTF_8);
            command.add("--json-path");
            command.add(file.toString());
        }
        Process validator = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(validator.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(validator.waitFor(180, TimeUnit.SECONDS), "asl-validator did not finish in time");
        assertEquals(0, validator.exitValue(), "asl-validator rejected a definition:\n" + output);
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(element -> texts.add(element.asText()));
        return texts;
    }

    /** The Task states of {@code states}' definition and its map's, by name. */
    private static void collectTasks(JsonNode definition, Map<String, JsonNode> tasks) {
        definition.path("States").fields().forEachRemaining(state -> {
            if (state.getValue().path("Type").asText().equals("Task")) {
                tasks.put(state.getKey(), state.getValue());
            }
            collectTasks(state.getValue().path("ItemProcessor"), tasks);
            state.getValue().path("Branches").forEach(branch -> collectTasks(branch, tasks));
        });
    }

    private static void collectFunctionNames(JsonNode node, Set<String> names) {
        if (node.isObject()) {
            JsonNode name = node.get("FunctionName");
            if (name != null && name.isTextual()) {
                names.add(name.asText());
            }
            node.forEach(child -> collectFunctionNames(child, names));
        } else if (node.isArray()) {
            node.forEach(child -> collectFunctionNames(child, names));
        }
    }
}
