package io.conveyor.watchdog;

import java.util.List;

/**
 * What one run of {@link ExecutionSweep} did.
 *
 * @param suspects       queued or running jobs whose status had not changed for the quiet period
 * @param stillRunning   suspects whose execution is still running (or waiting for a redrive): left alone
 * @param ended          jobs this run ended because their execution had ended (or no longer exists)
 * @param leftAlone      suspects that changed meanwhile, had already ended, or were never started (a queued job
 *                       whose start failed: resubmitting it starts it)
 * @param errors         suspects this run could not settle; the next run tries again
 * @param stoppedForTime whether the run stopped for lack of time before it had examined every suspect
 * @param endedJobIds    the ids of the jobs it ended, the first {@value #MAX_IDS}
 */
public record SweepReport(int suspects, int stillRunning, int ended, int leftAlone, int errors, boolean stoppedForTime,
        List<String> endedJobIds) {
    public static final int MAX_IDS = 50;

    public SweepReport {
        endedJobIds = List.copyOf(endedJobIds);
    }
}
