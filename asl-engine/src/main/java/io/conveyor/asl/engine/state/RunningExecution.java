package io.conveyor.asl.engine.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conveyor.asl.engine.MapRun;
import io.conveyor.asl.history.History;
import java.util.concurrent.CompletableFuture;

/**
 * An execution as its states see it: what they read of it and the few things they tell it. The engine implements
 * it over its execution; the interpreter never touches the execution's own fields.
 */
public interface RunningExecution {

  String executionArn();

  String stateMachineArn();

  String stateMachineName();

  /** The history every branch of the execution adds its events to. */
  History history();

  /** {@code $$.Execution}. */
  ObjectNode contextExecution();

  /** True once StopExecution, a timeout or a failed Map Run asked it to stop. */
  boolean stopRequested();

  /** True while the execution has not reached a terminal status. */
  boolean running();

  /**
   * Registers work that a stop must end: it is completed exceptionally with {@code States.Aborted} when the
   * execution stops. {@link #untrack} it once done.
   */
  void track(CompletableFuture<?> work);

  void untrack(CompletableFuture<?> work);

  /** Records where a redrive resumes: the top-level state that failed and its input. */
  void failedAt(String stateName, JsonNode input);

  /** What the execution did that must not be done twice (see {@link Journal}); {@link Journal#NONE} in memory. */
  Journal journal();

  /** Records a Map Run one of the execution's Distributed Map states started. */
  void startedMapRun(MapRun run);
}
