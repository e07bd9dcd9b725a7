package io.conveyor.asl.engine.state;

import com.fasterxml.jackson.databind.JsonNode;
import io.conveyor.asl.definition.State;
import io.conveyor.asl.engine.StatesError;
import io.conveyor.asl.json.JsonValues;
import io.conveyor.asl.jsonata.JsonataSupport;
import io.conveyor.asl.path.PathScope;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/**
 * Wait: for Seconds (or SecondsPath), or until Timestamp (or TimestampPath). Holds no thread: a timer completes
 * the step, or a stop of the execution aborts it.
 */
final class WaitHandler implements StateHandler<State.Wait> {
  private final Clock clock;
  private final Timers timers;

  WaitHandler(Clock clock, Timers timers) {
    this.clock = clock;
    this.timers = timers;
  }

  @Override
  public CompletableFuture<Step> run(State.Wait w, StateContext c) {
    JsonNode effective = w.isJsonata() ? c.input() : Payloads.inputPath(w, c);
    double millis;
    if (w.seconds() != null) {
      millis = seconds(w, c) * 1000.0;
    } else if (w.secondsPath() != null) {
      millis = secondsPath(w, c.withInput(effective)) * 1000.0;
    } else {
      Instant until = w.timestamp() != null ? timestamp(w, c) : timestampPath(w, c, effective);
      millis = Math.max(0, until.toEpochMilli() - clock.millis());
    }
    Step step = new Step(Payloads.passOn(w, c, effective, w.common().output(), w.common().assign()),
        Payloads.next(w));
    if (millis <= 0) {
      return CompletableFuture.completedFuture(step);
    }
    CompletableFuture<Step> f = new CompletableFuture<>();
    RunningExecution exec = c.branch().execution();
    exec.track(f);
    Journal journal = exec.journal();
    double delay = journal.durable() ? timers.durable(journal, c.effectKey() + ":wait", millis) : millis;
    timers.schedule(delay, () -> f.complete(step));
    f.whenComplete((x, y) -> exec.untrack(f));
    return f;
  }

  private static double seconds(State.Wait w, StateContext c) {
    JsonNode sv = w.seconds();
    if (w.isJsonata() && JsonataSupport.isExpression(sv)) {
      sv = JsonataSupport.evaluateTemplate(sv, c, "Seconds");
      if (!sv.isIntegralNumber() && !(sv.isNumber() && sv.doubleValue() == Math.rint(sv.doubleValue()))) {
        throw StatesError.queryEvaluation("The JSONata expression '"
            + JsonataSupport.expressionOf(w.seconds().textValue())
            + "' specified for the field 'Seconds' returned an unexpected result type. Expected 'integer', "
            + "but was '" + JsonValues.typeName(sv) + "' for value: " + JsonValues.write(sv));
      }
      if (sv.longValue() < 0) {
        throw StatesError.queryEvaluation("The Seconds field must be a non-negative integer, but was: "
            + sv.longValue());
      }
    }
    return sv.asDouble();
  }

  private static long secondsPath(State.Wait w, PathScope scope) {
    JsonNode v = Payloads.selectPath(w.secondsPath(), scope);
    if (!v.isNumber() || !v.isIntegralNumber() && v.doubleValue() != Math.rint(v.doubleValue())) {
      throw StatesError.runtime("The SecondsPath parameter cannot be parsed as a long value: "
          + w.secondsPath() + " == " + JsonValues.write(v));
    }
    if (v.longValue() < 0) {
      throw StatesError.runtime("The SecondsPath parameter references a negative value: " + w.secondsPath()
          + " == " + v.longValue());
    }
    return v.longValue();
  }

  private static Instant timestamp(State.Wait w, StateContext c) {
    JsonNode tv = w.timestamp();
    if (w.isJsonata() && JsonataSupport.isExpression(tv)) {
      tv = JsonataSupport.evaluateTemplate(tv, c, "Timestamp");
    }
    String ts = tv.isTextual() ? tv.textValue() : JsonValues.write(tv);
    Instant until = Rfc3339.parse(ts);
    if (until == null) {
      String message = "The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time format "
          + "string: " + ts;
      throw w.isJsonata() ? StatesError.queryEvaluation(message) : StatesError.runtime(message);
    }
    return until;
  }

  private static Instant timestampPath(State.Wait w, StateContext c, JsonNode effective) {
    JsonNode v = Payloads.selectPath(w.timestampPath(), c.withInput(effective));
    String ts = v.isTextual() ? v.textValue() : JsonValues.write(v);
    Instant until = v.isTextual() ? Rfc3339.parse(ts) : null;
    if (until == null) {
      throw StatesError.runtime("The TimestampPath parameter does not reference a valid ISO-8601 extended "
          + "offset date-time format string: " + w.timestampPath() + " == " + ts);
    }
    return until;
  }
}
