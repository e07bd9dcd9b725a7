package io.conveyor.asl.engine.state;

import io.conveyor.asl.definition.State;
import java.util.concurrent.CompletableFuture;

/**
 * Runs one kind of state. The {@link Interpreter} has already recorded the StateEntered event; it records
 * StateExited and checks the output's size once the returned future completes.
 *
 * <p>A handler that finishes at once returns a completed future, so the interpreter goes on without a thread
 * hand-off; it may also throw, which fails the state the same way as a failed future. Handlers are shared by
 * every execution and must be thread-safe.
 *
 * @param <S> the state type handled
 */
@FunctionalInterface
public interface StateHandler<S extends State> {

  /** Runs {@code state} in {@code c}: its step, now or later. */
  CompletableFuture<Step> run(S state, StateContext c);

  /** {@link #run}, with what it throws as a failed future. */
  default CompletableFuture<Step> attempt(S state, StateContext c) {
    try {
      return run(state, c);
    } catch (Throwable t) {
      return CompletableFuture.failedFuture(t);
    }
  }
}
