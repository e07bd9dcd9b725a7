package io.conveyor.local.stepfunctions.engine;

/**
 * Hears of every execution's status changes (started, ended, redriven), as Step Functions sends EventBridge its
 * {@code Step Functions Execution Status Change} events. Called on the engine's threads: return quickly.
 */
@FunctionalInterface
public interface ExecutionListener {
  /** {@code execution} now has {@code status} (read the rest of it from the execution). */
  void statusChanged(Execution execution, ExecutionStatus status);
}
