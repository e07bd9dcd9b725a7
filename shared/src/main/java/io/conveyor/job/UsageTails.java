package io.conveyor.job;

import io.conveyor.usage.Usage;
import java.util.Map;

/**
 * What a job's invocations consumed after their last write of it ({@link UsageTailStore}), by the attempt it belongs
 * to: the attempt that was open (or, when none was, the one to come) as each invocation last saw the job, the attempt
 * its job writes credited. Read beside the job, never written back into it.
 */
public record UsageTails(Map<Integer, Usage> byAttempt) {
    public static final UsageTails NONE = new UsageTails(Map.of());

    public UsageTails {
        byAttempt = Map.copyOf(byAttempt);
    }

    /** Everything recorded, whatever the attempt. */
    public Usage total() {
        return byAttempt.values().stream().reduce(Usage.NONE, Usage::plus);
    }

    /**
     * What the tails add to {@code attempt} as the job shows it: an ended attempt holds its tails; a running one, like
     * the job's own usage since the last attempt ended, shows nothing until it ends.
     */
    public Usage of(Attempt attempt) {
        return attempt.isOpen() ? Usage.NONE : byAttempt.getOrDefault(attempt.number(), Usage.NONE);
    }

    /** What {@code job} consumed in all, its tails included. */
    public Usage totalOf(Job job) {
        return job.totalUsage().plus(total());
    }
}
