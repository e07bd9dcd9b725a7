package io.conveyor.asl.engine.state;

import com.fasterxml.jackson.databind.JsonNode;
import io.conveyor.asl.definition.State;
import io.conveyor.asl.path.PayloadTemplate;
import java.util.concurrent.CompletableFuture;

/** Pass: its Result (or Parameters, or effective input) placed at ResultPath; with JSONata, its Output. */
final class PassHandler implements StateHandler<State.Pass> {

  @Override
  public CompletableFuture<Step> run(State.Pass p, StateContext c) {
    if (p.isJsonata()) {
      return CompletableFuture.completedFuture(new Step(
          Payloads.passOn(p, c, c.input(), p.common().output(), p.common().assign()), Payloads.next(p)));
    }
    JsonNode effective = Payloads.inputPath(p, c);
    JsonNode result;
    if (p.common().parameters() != null) {
      result = PayloadTemplate.evaluate(p.common().parameters(), c.withInput(effective));
    } else if (p.result() != null) {
      result = p.result();
    } else {
      result = effective;
    }
    Payloads.assign(p.common().assign(), c, result);
    JsonNode out = Payloads.resultPath(p.common().resultPath(), c.input(), result);
    return CompletableFuture.completedFuture(new Step(Payloads.outputPath(p, out, c), Payloads.next(p)));
  }
}
