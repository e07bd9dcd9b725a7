package io.conveyor.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.conveyor.snapstart.SnapStartPriming;
import io.conveyor.storage.ObjectStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** What a workflow handler runs before the SnapStart snapshot: reads on the DynamoDB emulator, and nothing else. */
class WorkflowPrimingTest {

    @Test
    void priming_readsAJobThatCannotExist_andCallsBackOrPublishesNothing() {
        WorkflowHarness h = new WorkflowHarness();

        new FinalizeHandler(h.components).prime();

        assertEquals(Optional.empty(), h.jobs.get(SnapStartPriming.PLACEHOLDER_ID));
        assertEquals(Map.of(), h.callbacks.outcomes);
        assertEquals(List.of(), h.callbacks.ignored);
        assertEquals(List.of(), h.events.published);
    }

    /**
     * The S3 client and presigner are built on first use: a step that never touches objects must not build them for
     * its snapshot, and a step that does must find them built and their request path run.
     */
    @Test
    void priming_buildsTheS3ClientOnlyForTheStepsThatReadOrWriteObjects() {
        WorkflowHarness h = new WorkflowHarness();
        Map<String, Function<WorkflowComponents, WorkflowHandler>> steps = new LinkedHashMap<>();
        steps.put("AwaitDependencies", AwaitDependenciesHandler::new);
        steps.put("Admit", AdmitHandler::new);
        steps.put("Split", SplitHandler::new);
        steps.put("RunSubJob", RunSubJobHandler::new);
        steps.put("RecordSubJobFailure", RecordSubJobFailureHandler::new);
        steps.put("ConfirmSubJobs", ConfirmSubJobsHandler::new);
        steps.put("Aggregate", AggregateHandler::new);
        steps.put("Finalize", FinalizeHandler::new);
        steps.put("HandleFailure", HandleFailureHandler::new);
        steps.put("Resume", ResumeHandler::new);
        steps.put("ExecutionEnded", ExecutionEndedHandler::new);

        Map<String, List<String>> builtForSnapshot = new LinkedHashMap<>();
        steps.forEach((step, handler) -> {
            List<String> built = new ArrayList<>();
            ObjectStore objects = ObjectStore.builtOnFirstUse(
                    () -> { built.add("s3"); return h.deployment.s3(); },
                    () -> { built.add("presigner"); return h.deployment.presigner(); },
                    h.deployment.settings().bucket(), h.clock);
            handler.apply(h.componentsOver(objects)).prime();
            builtForSnapshot.put(step, built.stream().sorted().toList());
        });

        List<String> both = List.of("presigner", "s3");
        Map<String, List<String>> expected = new LinkedHashMap<>();
        steps.keySet().forEach(step -> expected.put(step, List.of()));
        expected.put("Split", both);
        expected.put("RunSubJob", both);
        expected.put("Aggregate", both);
        assertEquals(expected, builtForSnapshot);
    }
}
