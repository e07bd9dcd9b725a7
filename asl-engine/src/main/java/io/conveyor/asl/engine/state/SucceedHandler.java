package io.conveyor.asl.engine.state;

import io.conveyor.asl.definition.State;
import java.util.concurrent.CompletableFuture;

/** Succeed: ends its branch with its input (InputPath and OutputPath applied; with JSONata, its Output). */
final class SucceedHandler implements StateHandler<State.Succeed> {

  @Override
  public CompletableFuture<Step> run(State.Succeed s, StateContext c) {
    // A Succeed state assigns nothing: AWS does not accept Assign on it.
    return CompletableFuture.completedFuture(new Step(
        Payloads.passOn(s, c, s.isJsonata() ? c.input() : Payloads.inputPath(s, c), s.common().output(), null),
        null));
  }
}
