package io.conveyor.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conveyor.job.Job;
import io.conveyor.job.JobStatus;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A job whose workflow execution ended without ending it, on the DynamoDB emulator, through the rule's handler. */
class ExecutionEndedTest {
    private final WorkflowHarness h = new WorkflowHarness(Map.of("CONVEYOR_MAX_ACTIVE_JOBS_PER_USER", "1"));
    private final ExecutionEndedHandler handler = new ExecutionEndedHandler(h.components);

    /** The event Step Functions sends the default bus when an execution's status changes. */
    private static Map<String, Object> statusChange(String executionName, String status, String error, String cause) {
        Map<String, Object> detail = new java.util.HashMap<>();
        detail.put("executionArn", "arn:aws:states:us-east-1:123456789012:execution:conveyor-job-primes:" + executionName);
        detail.put("stateMachineArn", "arn:aws:states:us-east-1:123456789012:stateMachine:conveyor-job-primes");
        detail.put("name", executionName);
        detail.put("status", status);
        detail.put("error", error);
        detail.put("cause", cause);
        return Map.of("version", "0", "detail-type", "Step Functions Execution Status Change", "source", "aws.states",
                "detail", detail);
    }

    private Map<String, Object> deliver(Map<String, Object> event) {
        return handler.handleRequest(event, new io.conveyor.testing.FixedContext(30_000));
    }

    @Test
    void anUncatchableError_failsTheRunningJob_releasesItsSlot_andAdmitsTheNextJob() {
        Job running = h.queued("alice", "primes", Map.of(), List.of());
        h.admit(running);
        Job next = h.queued("alice", "primes", Map.of(), List.of());
        String nextToken = h.admit(next);
        assertFalse(h.resumed(nextToken), "alice's one slot is taken");

        Map<String, Object> answer = deliver(statusChange(running.executionName(), "FAILED", "States.Runtime",
                "An error occurred while executing the state 'RunSubJobs'. The JSONPath '$.split.subJobsPerBatch' "
                        + "could not be found in the input."));

        assertEquals(Map.of("jobFailed", true), answer);
        Job failed = h.stored(running.id());
        assertEquals(JobStatus.FAILED, failed.status());
        assertEquals("States.Runtime", failed.error().code());
        assertTrue(failed.error().message().contains("'RunSubJobs'"), failed.error().message());
        assertEquals(1, h.counters.activeForUser("alice"), "the slot went to the next job");
        assertTrue(h.resumed(nextToken), "the next waiting job is admitted");
        assertEquals(JobStatus.FAILED, h.events.published.get(h.events.published.size() - 1).to());
    }

    @Test
    void aTimeoutOrAStopOutsideConveyor_failsTheJob_withCodesThatSaySo() {
        Job timedOut = h.queued("alice", "primes", Map.of(), List.of());
        h.admit(timedOut);
        deliver(statusChange(timedOut.executionName(), "TIMED_OUT", null, null));
        assertEquals("States.Timeout", h.stored(timedOut.id()).error().code());

        Job queued = h.queued("bob", "primes", Map.of(), List.of());
        deliver(statusChange(queued.executionName(), "ABORTED", "Ops", "stopped from the console"));
        Job stopped = h.stored(queued.id());
        assertEquals(JobStatus.FAILED, stopped.status(), "a job still waiting to start fails too");
        assertEquals("Workflow.Stopped", stopped.error().code());
        assertEquals("The job's workflow was stopped outside Conveyor: stopped from the console", stopped.error().message());
    }

    @Test
    void anExecutionThatEndedItsJob_orAnOlderExecution_changesNothing() {
        Job failedByWorkflow = h.queued("alice", "primes", Map.of(), List.of());
        h.admit(failedByWorkflow);
        h.workflow().handleFailure(failedByWorkflow.id(), "io.conveyor.programs.InvalidParametersException", "bad");
        int published = h.events.published.size();
        Job before = h.stored(failedByWorkflow.id());

        assertEquals(Map.of("jobFailed", false), deliver(statusChange(failedByWorkflow.executionName(), "FAILED",
                "Job.Failed", "the Fail state after HandleFailure")));
        assertEquals(before, h.stored(failedByWorkflow.id()), "the workflow's own error stays");
        assertEquals(published, h.events.published.size(), "no second JobStatusChanged");

        Job retried = h.jobs.update(h.stored(failedByWorkflow.id()).retry(h.clock.instant()));
        assertEquals(failedByWorkflow.id() + "-2", retried.executionName());
        assertEquals(Map.of("jobFailed", false), deliver(statusChange(failedByWorkflow.executionName(), "ABORTED",
                null, null)));
        assertEquals(JobStatus.QUEUED, h.stored(retried.id()).status(), "an event of the first run leaves the retry alone");

        assertEquals(Map.of("jobFailed", false), deliver(statusChange("nobody-1", "FAILED", "States.Runtime", "x")),
                "a job that no longer exists");
    }

    @Test
    void anExecutionNotNamedAfterAJob_isRefused() {
        assertThrows(IllegalArgumentException.class, () -> deliver(statusChange("not-a-job", "FAILED", null, null)));
        assertThrows(IllegalArgumentException.class, () -> Job.idOfExecution("-1"));
        assertEquals("a-b-c", Job.idOfExecution("a-b-c-12"));
    }
}
