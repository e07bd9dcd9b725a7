package io.conveyor.asl.engine;

/**
 * Hears of the status changes (started, ended, redriven) of the standard executions that {@link Engine#start}
 * starts, as Step Functions sends EventBridge its {@code Step Functions Execution Status Change} events; express
 * executions and a Distributed Map's child executions are not told. Called on the engine's threads: return quickly.
 */
@FunctionalInterface
public interface ExecutionListener {
  /** {@code execution} now has {@code status} (read the rest of it from the execution). */
  void statusChanged(Execution execution, ExecutionStatus status);
}
