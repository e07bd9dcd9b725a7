package io.conveyor.worker;

import java.time.Instant;
import java.util.Iterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Announces the workers that missed their registration deadline, each once, whoever finds it first: a call of the dead
 * worker or of its owner ({@code WorkerService}), or the {@link #sweep} a schedule runs, which finds the deaths nobody
 * calls about. Their held subjobs need none of this: their tasks' heartbeats time out and re-register them.
 */
public final class WorkerDeaths {
    private static final Logger LOG = LoggerFactory.getLogger(WorkerDeaths.class);
    /** Workers read per query of the deadlines index. */
    private static final int PAGE = 100;

    private final WorkQueue queue;
    private final WorkerEvents events;

    public WorkerDeaths(WorkQueue queue, WorkerEvents events) {
        this.queue = queue;
        this.events = events;
    }

    /**
     * Publishes {@code WorkerDied} for {@code worker}, found past its deadline at {@code now}, unless another call
     * marked it dead first ({@link WorkQueue#markDead}).
     *
     * @return whether this call announced it
     */
    public boolean announceIfNewlyDead(WorkQueue.Worker worker, Instant now) {
        if (!queue.markDead(worker.id(), now)) {
            return false;
        }
        LOG.info("worker {} of {} missed its deadline {}: dead", worker.id(), worker.owner(), worker.deadline());
        events.died(worker, now);
        return true;
    }

    /**
     * What a sweep did.
     *
     * @param announced the deaths it announced
     * @param more      whether it stopped at its limit with overdue workers left for the next sweep
     */
    public record Sweep(int announced, boolean more) {}

    /**
     * Announces every worker past its deadline at {@code now} that nobody has found dead yet, up to {@code limit} of
     * them: a query of the deadlines index per {@value #PAGE} workers, and a conditional update and an event per death.
     */
    public Sweep sweep(Instant now, int limit) {
        Iterator<WorkQueue.Worker> overdue = queue.overdue(now, PAGE).iterator();
        int announced = 0;
        for (int seen = 0; seen < limit && overdue.hasNext(); seen++) {
            if (announceIfNewlyDead(overdue.next(), now)) {
                announced++;
            }
        }
        return new Sweep(announced, overdue.hasNext());
    }
}
