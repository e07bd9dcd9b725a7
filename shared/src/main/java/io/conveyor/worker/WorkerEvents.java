package io.conveyor.worker;

import java.time.Instant;

/** Where {@code WorkerRegistered} and {@code WorkerDied} events go, beside the jobs' {@code JobStatusChanged}. */
public interface WorkerEvents {
    String REGISTERED = "WorkerRegistered";
    String DIED = "WorkerDied";

    /** Announces that {@code worker} registered at {@code at}. */
    void registered(WorkQueue.Worker worker, Instant at);

    /** Announces, once, that {@code worker} missed its registration deadline, found so at {@code at}. */
    void died(WorkQueue.Worker worker, Instant at);
}
