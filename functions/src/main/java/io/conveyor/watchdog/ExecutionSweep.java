package io.conveyor.watchdog;

import io.conveyor.job.Job;
import io.conveyor.job.JobStatus;
import io.conveyor.job.JobStore;
import io.conveyor.watchdog.ExecutionDescriber.ExecutionState;
import io.conveyor.workflow.WorkflowSteps;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The backstop of the {@code ExecutionEnded} rule: Step Functions delivers its status-change events on a best-effort
 * basis, and a delivery can fail, so a job whose execution ended without ending it could stay queued or running for
 * ever. Each run reads the jobs whose status has not changed for {@link SweepSettings#quietPeriod()} from the
 * jobs table's last-change index (never a scan), asks Step Functions how each one's execution stands, and ends those
 * whose execution has ended exactly as the rule's handler does ({@link WorkflowSteps#executionEnded}): a
 * conditional write that changes nothing if the job has ended meanwhile or belongs to a later execution, so a run and
 * a late event (or two runs) end a job once.
 *
 * <p>An execution that no longer exists ends a running job as {@value #LOST}; a queued job that was never started
 * (its start failed and the API asked its owner to submit again) is left for its owner. A job whose execution
 * SUCCEEDED without ending it cannot happen through the workflow (Finalize ends the job first): it is logged as an
 * error and left alone.
 *
 * <p>Thread-safe: it keeps no state between runs.
 */
public final class ExecutionSweep {
    private static final Logger LOG = LoggerFactory.getLogger(ExecutionSweep.class);
    /** The error code of a job whose execution no longer exists. */
    public static final String LOST = "Workflow.Lost";
    private static final Set<String> ENDED = Set.of("FAILED", "TIMED_OUT", "ABORTED");

    private final JobStore jobs;
    private final WorkflowSteps workflow;
    private final ExecutionDescriber executions;
    private final Clock clock;
    private final Duration quietPeriod;
    private final int maxSuspects;

    public ExecutionSweep(JobStore jobs, WorkflowSteps workflow, ExecutionDescriber executions, Clock clock,
            SweepSettings settings) {
        this.jobs = jobs;
        this.workflow = workflow;
        this.executions = executions;
        this.clock = clock;
        this.quietPeriod = settings.quietPeriod();
        this.maxSuspects = settings.maxSuspects();
    }

    /**
     * Examines the suspects, one at a time, until none is left or {@code stopBy} has come.
     *
     * @throws RuntimeException when the index cannot be read. A failure with one suspect is logged and counted
     *     instead, and the run goes on with the next.
     */
    public SweepReport run(Instant stopBy) {
        Instant changedBy = clock.instant().minus(quietPeriod);
        List<String> suspects = jobs.findActiveUnchangedSince(changedBy, maxSuspects);
        Tally tally = new Tally(suspects.size());
        for (String jobId : suspects) {
            if (!clock.instant().isBefore(stopBy)) {
                tally.stoppedForTime = true;
                break;
            }
            try {
                examine(jobId, changedBy, tally);
            } catch (RuntimeException e) {
                tally.errors++;
                LOG.atError().addKeyValue("jobId", jobId).setCause(e)
                        .log("Could not settle a job whose status has not changed for a while; the next run tries again");
            }
        }
        return tally.report();
    }

    private void examine(String jobId, Instant changedBy, Tally tally) {
        Optional<Job> read = jobs.get(jobId);
        if (read.isEmpty() || read.get().status().mayExpire() || read.get().updatedAt().isAfter(changedBy)) {
            tally.leftAlone++;
            return;
        }
        Job job = read.get();
        Optional<ExecutionState> state = executions.describe(job.program(), job.executionName());
        if (state.isEmpty()) {
            if (job.status() == JobStatus.QUEUED && job.attempts().isEmpty()) {
                tally.leftAlone++;
                LOG.atInfo().addKeyValue("jobId", jobId).log("A queued job has no execution: its start failed, and "
                        + "submitting it again starts it");
                return;
            }
            end(job, "FAILED", LOST, "The job's workflow execution " + job.executionName() + " no longer exists, so "
                    + "nothing runs the job any more.", tally);
        } else if (ENDED.contains(state.get().status())) {
            end(job, state.get().status(), state.get().error(), state.get().cause(), tally);
        } else if (state.get().status().equals("SUCCEEDED")) {
            tally.errors++;
            LOG.atError().addKeyValue("jobId", jobId).addKeyValue("status", job.status().name())
                    .log("The job's execution succeeded without ending the job; it is left for an operator");
        } else {
            tally.stillRunning++;
        }
    }

    private void end(Job job, String status, String error, String cause, Tally tally) {
        if (workflow.executionEnded(job.executionName(), status, error, cause).isPresent()) {
            tally.ended(job.id());
            LOG.atWarn().addKeyValue("jobId", job.id()).addKeyValue("executionStatus", status)
                    .log("Ended a job whose execution had ended without its event reaching the ExecutionEnded rule");
        } else {
            tally.leftAlone++;
        }
    }

    private static final class Tally {
        final int suspects;
        int stillRunning;
        int ended;
        int leftAlone;
        int errors;
        boolean stoppedForTime;
        final List<String> endedJobIds = new ArrayList<>();

        Tally(int suspects) {
            this.suspects = suspects;
        }

        void ended(String jobId) {
            ended++;
            if (endedJobIds.size() < SweepReport.MAX_IDS) {
                endedJobIds.add(jobId);
            }
        }

        SweepReport report() {
            return new SweepReport(suspects, stillRunning, ended, leftAlone, errors, stoppedForTime, endedJobIds);
        }
    }
}
