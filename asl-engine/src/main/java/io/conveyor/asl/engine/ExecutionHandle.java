package io.conveyor.asl.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conveyor.asl.engine.state.Journal;
import io.conveyor.asl.engine.state.RunningExecution;
import io.conveyor.asl.history.History;
import java.util.concurrent.CompletableFuture;

/** An execution as the interpreter sees it: the part of {@link Execution} its states read or tell. */
final class ExecutionHandle implements RunningExecution {
  private final Execution execution;
  private final ExecutionRegistry registry;

  /** @param registry where the Map Runs the execution starts are found by ARN */
  ExecutionHandle(Execution execution, ExecutionRegistry registry) {
    this.execution = execution;
    this.registry = registry;
  }

  @Override
  public String executionArn() {
    return execution.executionArn();
  }

  @Override
  public String stateMachineArn() {
    return execution.stateMachineArn();
  }

  @Override
  public String stateMachineName() {
    return execution.stateMachineName();
  }

  @Override
  public History history() {
    return execution.history();
  }

  @Override
  public ObjectNode contextExecution() {
    return execution.contextExecution();
  }

  @Override
  public boolean stopRequested() {
    return execution.stopRequested();
  }

  @Override
  public boolean running() {
    return execution.status() == ExecutionStatus.RUNNING;
  }

  @Override
  public void track(CompletableFuture<?> work) {
    execution.track(work);
  }

  @Override
  public void untrack(CompletableFuture<?> work) {
    execution.untrack(work);
  }

  @Override
  public void failedAt(String stateName, JsonNode input) {
    execution.failedAt(stateName, input);
  }

  @Override
  public Journal journal() {
    return execution.journal();
  }

  @Override
  public void startedMapRun(MapRun run) {
    registry.addMapRun(execution, run);
  }
}
