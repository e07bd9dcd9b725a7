package io.conveyor.asl.engine.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conveyor.asl.definition.Catcher;
import io.conveyor.asl.definition.Retrier;
import io.conveyor.asl.definition.State;
import io.conveyor.asl.engine.StatesError;
import io.conveyor.asl.json.JsonValues;
import io.conveyor.asl.jsonata.JsonataSupport;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * Retry and Catch around the handler of a Task, Parallel or Map state: a failed attempt is run again after its
 * retrier's backoff, or caught (its error output placed as the catcher says, and on to the catcher's Next), or it
 * fails the state. {@code States.Runtime} and {@code States.DataLimitExceeded} match only by name, and a stopped
 * execution is neither retried nor caught.
 *
 * @param <S> the state type
 */
final class RetryCatch<S extends State> implements StateHandler<S> {
  private final StateHandler<S> handler;
  private final Timers timers;

  RetryCatch(StateHandler<S> handler, Timers timers) {
    this.handler = handler;
    this.timers = timers;
  }

  @Override
  public CompletableFuture<Step> run(S state, StateContext c) {
    CompletableFuture<Step> f = handler.attempt(state, c);
    if (f.isDone() && !f.isCompletedExceptionally()) {
      // Most first attempts succeed at once: no retry or catch to arrange.
      return f;
    }
    Attempts attempts = new Attempts(state, c);
    attempts.settle(f);
    return attempts.result;
  }

  /** Whether an error matches a retrier's or catcher's ErrorEquals, for a state of this kind. */
  static boolean errorMatches(List<String> errorEquals, String error, State state) {
    boolean terminal = StatesError.RUNTIME.equals(error) || StatesError.DATA_LIMIT_EXCEEDED.equals(error);
    for (String e : errorEquals) {
      if (e.equals(error)) {
        return true;
      }
      if (e.equals(StatesError.ALL) && !terminal) {
        return true;
      }
      if (e.equals(StatesError.TASK_FAILED) && state instanceof State.Task && !terminal
          && !StatesError.TIMEOUT.equals(error)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The delay before retry number {@code retriesSoFar + 1}: IntervalSeconds times BackoffRate to the power of the
   * retries so far, at most MaxDelaySeconds, and with full jitter a random part of that.
   *
   * @param random a number in [0, 1), for the jitter
   * @return seconds
   */
  static double delaySeconds(Retrier r, int retriesSoFar, DoubleSupplier random) {
    double delay = r.intervalSeconds() * Math.pow(r.backoffRate(), retriesSoFar);
    if (r.maxDelaySeconds() != null) {
      delay = Math.min(delay, r.maxDelaySeconds());
    }
    return r.jitterFull() ? random.getAsDouble() * delay : delay;
  }

  /** The error output a catcher places (at its ResultPath, or as {@code $states.errorOutput}). */
  static ObjectNode errorOutput(StatesError se) {
    ObjectNode errorOutput = JsonValues.object();
    errorOutput.put("Error", se.error() == null ? "" : se.error());
    errorOutput.put("Cause", se.errorCause() == null ? "" : se.errorCause());
    return errorOutput;
  }

  /** The attempts at one state: how many retries each retrier has made, and the state's eventual step. */
  private final class Attempts {
    final S state;
    final StateContext c;
    final int[] retries;
    final CompletableFuture<Step> result = new CompletableFuture<>();

    Attempts(S state, StateContext c) {
      this.state = state;
      this.c = c;
      this.retries = new int[state.common().retry().size()];
    }

    /** Completes {@link #result} once attempt {@code f} has: with its step, or after retrying or catching. */
    void settle(CompletableFuture<Step> f) {
      if (!f.isDone()) {
        f.whenComplete(this::attemptDone);
        return;
      }
      // Most attempts finish at once: no dependent stage needed.
      Futures.joined(f, (step, err) -> {
        attemptDone(step, err);
        return null;
      });
    }

    private void attemptDone(Step step, Throwable err) {
      if (err == null) {
        result.complete(step);
        return;
      }
      Throwable t = c.scoped(Futures.unwrap(err));
      if (!(t instanceof StatesError se) || StatesError.ABORTED.equals(se.error())
          || c.branch().execution().stopRequested()) {
        result.completeExceptionally(t);
        return;
      }
      List<Retrier> retriers = state.common().retry();
      for (int i = 0; i < retriers.size(); i++) {
        Retrier r = retriers.get(i);
        if (errorMatches(r.errorEquals(), se.error(), state)) {
          if (retries[i] < r.maxAttempts()) {
            double delay = delaySeconds(r, retries[i], ThreadLocalRandom.current()::nextDouble) * 1000;
            Journal journal = c.branch().execution().journal();
            if (journal.durable()) {
              // The backoff's deadline, not its (jittered) length, is what a restart must keep.
              delay = timers.durable(journal, c.effectKey() + "@" + c.retryCount() + ":backoff", delay);
            }
            retries[i]++;
            c.retried();
            timers.schedule(delay, () -> settle(handler.attempt(state, c)));
            return;
          }
          break;
        }
      }
      for (Catcher k : state.common().catchers()) {
        if (errorMatches(k.errorEquals(), se.error(), state)) {
          try {
            result.complete(caught(k, se));
          } catch (Throwable x) {
            result.completeExceptionally(c.scoped(Futures.unwrap(x)));
          }
          return;
        }
      }
      result.completeExceptionally(se);
    }

    private Step caught(Catcher k, StatesError se) {
      ObjectNode errorOutput = errorOutput(se);
      c.errorOutput(errorOutput);
      c.result(null);
      JsonNode out;
      if (state.isJsonata()) {
        out = k.output() != null ? JsonataSupport.evaluateTemplate(k.output(), c, "Output") : errorOutput;
        Payloads.assign(k.assign(), c, null);
      } else {
        Payloads.assign(k.assign(), c, errorOutput);
        out = Payloads.resultPath(k.resultPath(), c.input(), errorOutput);
      }
      return new Step(out, k.next());
    }
  }
}
