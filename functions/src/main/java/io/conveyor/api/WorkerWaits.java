package io.conveyor.api;

import io.conveyor.job.Job;
import io.conveyor.program.ProgramDefinition;
import io.conveyor.program.ProgramRegistry;
import io.conveyor.worker.WorkQueue;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * Why an active job of a program on external workers does not move: its subjobs wait in the work queue until a
 * worker of its owner whose capabilities match takes them. Waiting is not a failure (a job may wait for its workers
 * to come), so {@code GET /jobs/{id}} says it, with what a worker needs, instead of leaving the owner to guess.
 *
 * <p>Thread-safe.
 */
final class WorkerWaits {
    /** Subjobs of a job waiting for a worker, what a worker must advertise to take them, and what to do. */
    public record View(int subJobs, List<String> capabilities, String message) {}

    private final WorkQueue queue;
    private final ProgramRegistry programs;
    private final Clock clock;

    WorkerWaits(WorkQueue queue, ProgramRegistry programs, Clock clock) {
        this.queue = queue;
        this.programs = programs;
        this.clock = clock;
    }

    /** The job's waiting subjobs, when it is active, its program's worker is external, and some wait now. */
    Optional<View> of(Job job) {
        Optional<ProgramDefinition> program = programs.find(job.program()).filter(ProgramDefinition::hasExternalWorker);
        if (program.isEmpty() || job.status().mayExpire()) {
            return Optional.empty();
        }
        int waiting = queue.waiting(job.program(), job.owner(), job.id(), clock.instant());
        if (waiting == 0) {
            return Optional.empty();
        }
        List<String> capabilities = program.get().external().requires().stream().map(Object::toString).toList();
        StringBuilder command = new StringBuilder("conveyor worker --program ").append(job.program());
        capabilities.forEach(c -> command.append(" --capability '").append(c).append('\''));
        return Optional.of(new View(waiting, capabilities, waiting + (waiting == 1 ? " subjob waits" : " subjobs wait")
                + " for an external worker of " + job.owner() + (capabilities.isEmpty() ? "" : " with " + capabilities)
                + ": none has taken " + (waiting == 1 ? "it" : "them") + " yet. Start one as " + job.owner()
                + " (or as a worker identity allowed to work for " + job.owner() + "), such as: " + command
                + " -- COMMAND."));
    }
}
