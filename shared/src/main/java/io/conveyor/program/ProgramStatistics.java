package io.conveyor.program;

import java.time.Duration;

/**
 * Subjob execution times of one program over a recent window or in one hour.
 *
 * @param window    the period the figures cover: the day up to now, or one hour
 * @param subJobs   subjobs that ended in the window
 * @param failed    of those, how many failed
 * @param p50       median duration; approximate (from a histogram with buckets √2 apart), {@code null} if none ran
 * @param p95       95th percentile duration, approximate as {@code p50}
 * @param max       the longest duration, exact
 */
public record ProgramStatistics(Duration window, long subJobs, long failed, Duration p50, Duration p95, Duration max) {

    /** The share of subjobs that failed, 0 when none ran. */
    public double errorRate() {
        return subJobs == 0 ? 0 : (double) failed / subJobs;
    }
}
