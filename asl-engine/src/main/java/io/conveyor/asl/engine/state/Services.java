package io.conveyor.asl.engine.state;

import io.conveyor.asl.engine.AwsActionListener;
import io.conveyor.asl.engine.DistributedMapStorage;
import io.conveyor.asl.engine.ObservedStorage;
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
 * @param actions told of each AWS action an execution takes under its state machine's role
 */
public record Services(Clock clock, Executor workers, Timers timers, TaskExecutor tasks, String region,
    DistributedMapStorage objectStore, int inlineMapConcurrency, Callbacks callbacks, AwsActionListener actions) {

  /** S3 as a Distributed Map of an execution of {@code stateMachineArn} reaches it: its reads and writes are told to {@link #actions}. */
  public DistributedMapStorage objectStoreActingFor(String stateMachineArn) {
    return objectStore == null ? null : new ObservedStorage(objectStore, AwsActionListener.roleStateMachine(stateMachineArn), actions);
  }
}
