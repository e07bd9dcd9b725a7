package io.conveyor.asl.engine.state;

import io.conveyor.asl.engine.DistributedMapStorage;
import io.conveyor.asl.engine.TaskExecutor;
import java.time.Clock;
import java.util.concurrent.Executor;

/**
 * What the engine lends its states, passed to them explicitly.
 *
 * @param clock timestamps and Wait deadlines
 * @param workers the pool states run on
 * @param timers delayed work, on the engine's time scale
 * @param tasks carries out Task resources
 * @param region the region in Task events
 * @param objectStore S3 for ItemReader and ResultWriter, or null when none is configured
 * @param inlineMapConcurrency how many iterations of an inline Map run at once when MaxConcurrency is 0
 * @param callbacks the tasks waiting for a task token
 */
public record Services(Clock clock, Executor workers, Timers timers, TaskExecutor tasks, String region,
    DistributedMapStorage objectStore, int inlineMapConcurrency, Callbacks callbacks) {
}
