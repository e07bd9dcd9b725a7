package io.conveyor.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.conveyor.deployment.Catalogue;
import io.conveyor.apiclient.JobApiClient;
import io.conveyor.scenarios.ScenarioTarget.Capability;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.SfnClient;

/**
 * Quotas through whole jobs: waiting, fair admission, cancellation while queued and a workflow that ends without
 * ending its job. The target runs one job of a
 * program at a time and registers {@link Scenarios#PROGRAMS}.
 */
public abstract class AdmissionScenarios {
    private JobApiClient alice;
    private JobApiClient bob;

    /** The deployment these scenarios run against, running from before the first scenario to after the last. */
    protected abstract ScenarioTarget target();

    @BeforeEach
    void requireQuotaAndProgramsThenCallAsAliceAndBob() {
        Scenarios.require(target(), Capability.SCENARIO_PROGRAMS);
        Scenarios.require(target(), Capability.ONE_JOB_PER_PROGRAM);
        alice = target().api("alice");
        bob = target().api("bob");
    }

    @Test
    void overQuota_jobsWaitQueued_andFreedSlotsGoRoundRobinBetweenUsers() {
        Map<String, Object> slow = Map.of("subJobs", 1, "workMillis", 700);
        String a1 = Scenarios.submit(alice, "scenario", slow);
        Scenarios.awaitStatus(alice, a1, "RUNNING");
        String a2 = Scenarios.submit(alice, "scenario", slow);
        String a3 = Scenarios.submit(alice, "scenario", slow);
        String b1 = Scenarios.submit(bob, "scenario", slow);
        assertEquals("QUEUED", Scenarios.job(alice, a2).path("status").asText(), "over the program's limit, a job waits");

        List<String> order = new ArrayList<>(List.of(a1, a2, a3, b1));
        for (String id : order) {
            JobApiClient owner = id.equals(b1) ? bob : alice;
            assertEquals("SUCCEEDED", Scenarios.awaitEnd(owner, id).path("status").asText());
        }
        order.sort(Comparator.comparing(id -> startedAt(id.equals(b1) ? bob : alice, id)));
        assertEquals(List.of(a1, b1, a2, a3), order, "after alice's job, bob's turn, although alice submitted first");
    }

    @Test
    void cancellationWhileQueued_leavesTheJobCancelled_andTheQueueMovesOn() {
        Map<String, Object> slow = Map.of("subJobs", 1, "workMillis", 700);
        String running = Scenarios.submit(alice, "scenario-strict", slow);
        Scenarios.awaitStatus(alice, running, "RUNNING");
        String waiting = Scenarios.submit(alice, "scenario-strict", slow);
        String next = Scenarios.submit(alice, "scenario-strict", slow);
        assertEquals("QUEUED", Scenarios.job(alice, waiting).path("status").asText());

        assertEquals(200, alice.delete("/jobs/" + waiting).status());
        JsonNode cancelled = Scenarios.job(alice, waiting);
        assertEquals("CANCELLED", cancelled.path("status").asText());
        assertEquals(0, cancelled.path("attempts").size(), "it never started");
        assertEquals("SUCCEEDED", Scenarios.awaitEnd(alice, next).path("status").asText(), "the next job was admitted");
        assertEquals("CANCELLED", Scenarios.job(alice, waiting).path("status").asText());
        assertTrue(startedAt(alice, next).compareTo(Scenarios.job(alice, running).path("attempts").get(0).path("endedAt").asText()) >= 0);

        assertEquals(202, alice.post("/jobs/" + waiting + "/retry", "").status());
        assertEquals("SUCCEEDED", Scenarios.awaitEnd(alice, waiting).path("status").asText(),
                "a job cancelled before it started runs when retried");
    }

    @Test
    void aWorkflowStoppedOutsideConveyor_failsItsJob_andTheQueueMovesOn() {
        Scenarios.require(target(), Capability.EXECUTION_STATUS_EVENTS);
        String stopped = Scenarios.submit(alice, "scenario", Map.of("subJobs", 1, "workMillis", 5000));
        Scenarios.awaitStatus(alice, stopped, "RUNNING");
        String next = Scenarios.submit(alice, "scenario", Map.of("subJobs", 1));
        assertEquals("QUEUED", Scenarios.job(alice, next).path("status").asText());

        // An operator stops the execution in the console: no state of the workflow runs to end the job.
        String executionArn = target().stateMachineArn(Catalogue.WORKFLOW_PREFIX + "scenario")
                .replace(":stateMachine:", ":execution:") + ":" + stopped + "-1";
        try (SfnClient sfn = target().stepFunctions()) {
            sfn.stopExecution(r -> r.executionArn(executionArn).error("Ops.Stopped").cause("stuck, said the pager"));
        }

        JsonNode failed = Scenarios.awaitEnd(alice, stopped);
        assertEquals("FAILED", failed.path("status").asText(), failed.toString());
        assertEquals("Workflow.Stopped", failed.path("error").path("code").asText());
        assertEquals("The job's workflow was stopped outside Conveyor: stuck, said the pager",
                failed.path("error").path("message").asText());
        assertEquals("SUCCEEDED", Scenarios.awaitEnd(alice, next).path("status").asText(),
                "the stopped job's slot went to the next job");
    }

    private static String startedAt(JobApiClient api, String id) {
        return Scenarios.job(api, id).path("attempts").get(0).path("startedAt").asText();
    }
}
