package io.conveyor.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conveyor.job.Job;
import io.conveyor.job.JobStatus;
import io.conveyor.testing.FixedContext;
import io.conveyor.watchdog.ExecutionDescriber;
import io.conveyor.watchdog.ExecutionDescriber.ExecutionState;
import io.conveyor.watchdog.ExecutionSweep;
import io.conveyor.watchdog.SweepReport;
import io.conveyor.watchdog.SweepSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The sweep that ends jobs whose execution ended while the {@code ExecutionEnded} rule's event was lost, on the
 * DynamoDB emulator, with Step Functions' answers to DescribeExecution given by each test.
 */
class ExecutionSweepTest {
    private static final Duration QUIET = Duration.ofMinutes(15);
    private static final Instant NO_LIMIT = Instant.MAX;

    private final WorkflowHarness h = new WorkflowHarness(Map.of("CONVEYOR_MAX_ACTIVE_JOBS_PER_USER", "1"));
    private final Map<String, ExecutionState> executions = new HashMap<>();
    private final List<String> described = new ArrayList<>();
    private final ExecutionDescriber stepFunctions = (program, executionName) -> {
        described.add(executionName);
        return Optional.ofNullable(executions.get(executionName));
    };
    private final ExecutionSweep sweep = new ExecutionSweep(h.jobs, h.workflow(), stepFunctions, h.clock,
            new SweepSettings(QUIET, 5, 100, Duration.ofSeconds(30)));
    private final ExecutionEndedHandler rule = new ExecutionEndedHandler(h.components);

    private Map<String, Object> lateEvent(Job job, String status, String error, String cause) {
        Map<String, Object> detail = new HashMap<>();
        detail.put("name", job.executionName());
        detail.put("status", status);
        detail.put("error", error);
        detail.put("cause", cause);
        return rule.handleRequest(Map.of("detail-type", "Step Functions Execution Status Change", "source", "aws.states",
                "detail", detail), new FixedContext(30_000));
    }

    @Test
    void aJobWhoseExecutionFailedUnseen_isEndedAsTheRuleWould_andTheLateEventChangesNothing() {
        Job running = h.queued("alice", "primes", Map.of(), List.of());
        h.admit(running);
        Job next = h.queued("alice", "primes", Map.of(), List.of());
        String nextToken = h.admit(next);
        executions.put(running.executionName(), new ExecutionState("FAILED", "States.Runtime",
                "An error occurred while executing the state 'RunSubJobs'."));
        executions.put(next.executionName(), new ExecutionState("RUNNING", null, null));
        h.clock.advance(QUIET.plusMinutes(1));

        SweepReport report = sweep.run(NO_LIMIT);

        assertEquals(2, report.suspects());
        assertEquals(List.of(running.id()), report.endedJobIds());
        // The next job is still running if examined first, or was just admitted (a fresh change) if examined after.
        assertEquals(1, report.stillRunning() + report.leftAlone());
        Job failed = h.stored(running.id());
        assertEquals(JobStatus.FAILED, failed.status());
        assertEquals("States.Runtime", failed.error().code());
        assertEquals("An error occurred while executing the state 'RunSubJobs'.", failed.error().message());
        assertTrue(h.resumed(nextToken), "the freed slot went to the next job, as when the event arrives");
        int published = h.events.published.size();

        assertEquals(Map.of("jobFailed", false), lateEvent(running, "FAILED", "States.Runtime", "the lost event"));
        assertEquals(failed, h.stored(running.id()), "the late event leaves the job as the sweep ended it");
        assertEquals(published, h.events.published.size(), "no second JobStatusChanged");
        assertEquals(1, h.counters.activeForUser("alice"), "the slot was released once");
    }

    @Test
    void theEventFirst_thenTheSweep_endsTheJobOnce() {
        Job running = h.queued("alice", "primes", Map.of(), List.of());
        h.admit(running);
        executions.put(running.executionName(), new ExecutionState("ABORTED", null, "stopped from the console"));
        assertEquals(Map.of("jobFailed", true), lateEvent(running, "ABORTED", null, "stopped from the console"));
        Job ended = h.stored(running.id());
        int published = h.events.published.size();
        h.clock.advance(QUIET.plusMinutes(1));

        assertEquals(new SweepReport(0, 0, 0, 0, 0, false, List.of()), sweep.run(NO_LIMIT));
        assertEquals(ended, h.stored(running.id()));
        assertEquals(published, h.events.published.size());
        assertEquals(List.of(), described, "an ended job is not a suspect: nothing is asked of Step Functions");
    }

    @Test
    void twoRunsAtOnceOnTheSameSuspect_endItOnce() {
        Job running = h.queued("alice", "primes", Map.of(), List.of());
        h.admit(running);
        executions.put(running.executionName(), new ExecutionState("TIMED_OUT", null, null));
        h.clock.advance(QUIET.plusMinutes(1));
        ExecutionSweep other = new ExecutionSweep(h.jobs, h.workflow(), (program, name) -> {
            // The other run reads the same suspect, then this run ends it before the other writes.
            Optional<ExecutionState> state = stepFunctions.describe(program, name);
            assertEquals(1, sweep.run(NO_LIMIT).ended());
            return state;
        }, h.clock, new SweepSettings(QUIET, 5, 100, Duration.ofSeconds(30)));
        int publishedBefore = h.events.published.size();

        SweepReport report = other.run(NO_LIMIT);

        assertEquals(0, report.ended(), "the conditional write found the job ended already");
        assertEquals(1, report.leftAlone());
        assertEquals(ErrorNames.TIMEOUT, h.stored(running.id()).error().code());
        assertEquals(publishedBefore + 1, h.events.published.size(), "one JobStatusChanged");
    }

    @Test
    void aRunningExecution_orARecentChange_isLeftAlone() {
        Job old = h.queued("alice", "primes", Map.of(), List.of());
        executions.put(old.executionName(), new ExecutionState("RUNNING", null, null));
        h.clock.advance(QUIET.plusMinutes(1));
        Job recent = h.queued("bob", "primes", Map.of(), List.of());
        executions.put(recent.executionName(), new ExecutionState("FAILED", "States.Runtime", "x"));

        assertEquals(new SweepReport(1, 1, 0, 0, 0, false, List.of()), sweep.run(NO_LIMIT));
        assertEquals(List.of(old.executionName()), described, "only a job quiet for the whole period is a suspect");
        assertEquals(JobStatus.QUEUED, h.stored(recent.id()).status(), "its event may still come");
    }

    @Test
    void aRunningJobWithoutAnExecution_isLost_butAQueuedJobNeverStarted_waitsForItsOwner() {
        Job running = h.queued("alice", "primes", Map.of(), List.of());
        h.admit(running);
        Job neverStarted = h.queued("bob", "primes", Map.of(), List.of());
        h.clock.advance(QUIET.plusMinutes(1));

        SweepReport report = sweep.run(NO_LIMIT);

        assertEquals(List.of(running.id()), report.endedJobIds());
        assertEquals(1, report.leftAlone());
        Job lost = h.stored(running.id());
        assertEquals(JobStatus.FAILED, lost.status());
        assertEquals(ExecutionSweep.LOST, lost.error().code());
        assertEquals("The job's workflow execution " + running.executionName() + " no longer exists, so nothing runs "
                + "the job any more.", lost.error().message());
        assertEquals(JobStatus.QUEUED, h.stored(neverStarted.id()).status(), "submitting it again starts it");
    }

    @Test
    void aSucceededExecutionWithAnActiveJob_isReportedAndLeftForAnOperator() {
        Job running = h.queued("alice", "primes", Map.of(), List.of());
        h.admit(running);
        executions.put(running.executionName(), new ExecutionState("SUCCEEDED", null, null));
        h.clock.advance(QUIET.plusMinutes(1));

        assertEquals(new SweepReport(1, 0, 0, 0, 1, false, List.of()), sweep.run(NO_LIMIT));
        assertFalse(h.stored(running.id()).status().isTerminal());
    }

    @Test
    void aRunOutOfTime_asksNothing_andSaysSo() {
        Job running = h.queued("alice", "primes", Map.of(), List.of());
        executions.put(running.executionName(), new ExecutionState("FAILED", "States.Runtime", "x"));
        h.clock.advance(QUIET.plusMinutes(1));

        SweepReport report = sweep.run(h.clock.instant());

        assertTrue(report.stoppedForTime());
        assertEquals(List.of(), described);
        assertEquals(JobStatus.QUEUED, h.stored(running.id()).status(), "the next run ends it");
    }
}
