package io.conveyor.admission;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * A job's workflow waiting in a lane, parked on a Step Functions task token until someone wakes it.
 *
 * @param lane       what it waits for: {@link WaitlistStore#ADMISSION} or {@link WaitlistStore#after} a job
 * @param jobId      the waiting job
 * @param owner      its owner
 * @param program    its program
 * @param taskToken  the token that resumes its workflow
 * @param enqueuedAt when it started waiting; the lane is ordered by it
 */
public record Waiter(String lane, String jobId, String owner, String program, String taskToken, Instant enqueuedAt) {
    public Waiter {
        Objects.requireNonNull(lane, "lane");
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(program, "program");
        Objects.requireNonNull(taskToken, "taskToken");
        enqueuedAt = enqueuedAt.truncatedTo(ChronoUnit.MILLIS);
    }
}
