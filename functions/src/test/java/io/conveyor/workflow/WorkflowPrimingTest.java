package io.conveyor.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.conveyor.snapstart.SnapStartPriming;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What a workflow handler runs before the SnapStart snapshot: reads on DynamoDB Local, and nothing else. */
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
}
