package io.conveyor.asl.engine.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conveyor.asl.definition.State;
import io.conveyor.asl.engine.StatesError;
import io.conveyor.asl.json.JsonValues;
import io.conveyor.asl.jsonata.JsonataSupport;
import io.conveyor.asl.path.PayloadTemplate;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What inline and distributed Maps share: iterations started with bounded concurrency, each with its item's
 * input ({@code $$.Map.Item}, ItemSelector), their outputs gathered in item order, failures counted against the
 * tolerated ones, and the state's end (MapStateSucceeded or MapStateFailed, then its result processed). How an
 * iteration runs is the subclass's: a nested branch, or a child execution.
 */
public abstract class MapIterations {
  protected final MapPlan plan;
  private final Executor workers;
  private final int limit;
  private final JsonNode[] results;
  private final CompletableFuture<Step> done = new CompletableFuture<>();
  private final AtomicInteger nextIndex = new AtomicInteger();
  private final AtomicInteger completed = new AtomicInteger();
  private final AtomicInteger failures = new AtomicInteger();
  private final AtomicBoolean finished = new AtomicBoolean();
  private final long totalWeight;

  /**
   * @param workers the pool iterations are started on
   * @param defaultConcurrency how many run at once when MaxConcurrency is 0
   */
  protected MapIterations(MapPlan plan, Executor workers, int defaultConcurrency) {
    this.plan = plan;
    this.workers = workers;
    this.limit = plan.maxConcurrency() <= 0 ? defaultConcurrency : plan.maxConcurrency();
    this.results = new JsonNode[plan.iterations().size()];
    this.totalWeight = plan.totalWeight();
  }

  /** Starts the first iterations; the future completes with the state's step once all have ended. */
  public CompletableFuture<Step> start() {
    int n = plan.iterations().size();
    if (n == 0) {
      complete();
      return done;
    }
    for (int i = 0; i < Math.min(limit, n); i++) {
      workers.execute(this::launchNext);
    }
    return done;
  }

  /** Completes when the Map state has ended, however it ended. */
  protected final CompletableFuture<Step> done() {
    return done;
  }

  /** Runs iteration {@code i} on {@code input}; it must call {@link #iterationDone} once it ended. */
  protected abstract void launch(int i, JsonNode input, ObjectNode mapContext);

  /** The state's failure when an iteration's failure exceeds the tolerated ones: by default, that failure. */
  protected StatesError intolerable(StatesError failure) {
    return failure;
  }

  /** Called (once) as the state fails, before MapStateFailed; may add events. */
  protected void failing(Throwable t) {
  }

  /** Called (once) after the state failed: iterations still running are to be stopped. */
  protected void abandon() {
  }

  /** Called (once) as the state succeeds, before MapStateSucceeded; may add events. */
  protected void succeeding() {
  }

  /** The state's result from the iterations' outputs (in item order; a tolerated failure's error output). */
  protected JsonNode result(ArrayNode outputs) {
    return outputs;
  }

  private void launchNext() {
    StateContext c = plan.context();
    if (finished.get() || c.branch().execution().stopRequested()) {
      return;
    }
    int i = nextIndex.getAndIncrement();
    if (i >= plan.iterations().size()) {
      return;
    }
    JsonNode item = plan.iterations().get(i);
    ObjectNode mapContext = JsonValues.object();
    ObjectNode itemContext = JsonValues.object();
    itemContext.put("Index", i);
    itemContext.set("Value", item);
    mapContext.set("Item", itemContext);
    JsonNode input;
    try {
      input = itemInput(item, mapContext);
    } catch (Throwable t) {
      fail(c.scoped(Futures.unwrap(t)));
      return;
    }
    launch(i, input, mapContext);
  }

  /** The item through ItemSelector (which sees the item's {@code $$.Map}), or the item itself. */
  private JsonNode itemInput(JsonNode item, ObjectNode mapContext) {
    State.MapState m = plan.state();
    JsonNode selector = m.spec().itemSelector();
    if (selector == null) {
      return item;
    }
    StateContext c = plan.context();
    StateContext seen = c.in(c.branch().seenAs(mapContext));
    if (m.isJsonata()) {
      return JsonataSupport.evaluateTemplate(selector, seen, "ItemSelector");
    }
    return PayloadTemplate.evaluate(selector, seen.withInput(plan.effective()));
  }

  /** Records how iteration {@code i} ended, and starts the next one or ends the state. */
  protected final void iterationDone(int i, JsonNode out, Throwable err) {
    try {
      if (err != null) {
        Throwable u = Futures.unwrap(err);
        StatesError se = u instanceof StatesError s ? s : new StatesError(StatesError.RUNTIME, String.valueOf(u));
        // A failed batch counts as failed items, every one of them, against the tolerated failures.
        int failed = failures.addAndGet(plan.weight(i));
        if (!tolerated(failed)) {
          fail(intolerable(se));
          return;
        }
        results[i] = RetryCatch.errorOutput(se);
      } else {
        results[i] = out;
      }
      if (completed.incrementAndGet() == results.length) {
        complete();
      } else {
        // Through the pool, not recursion: synchronous iterations would otherwise nest without bound.
        workers.execute(this::launchNext);
      }
    } catch (Throwable t) {
      fail(t);
    }
  }

  private boolean tolerated(int failed) {
    Double count = plan.toleratedCount();
    Double percentage = plan.toleratedPercentage();
    return count != null && failed <= count || percentage != null && failed * 100.0 / totalWeight <= percentage;
  }

  /** Fails the state with {@code t}, once. */
  protected final void fail(Throwable t) {
    if (!finished.compareAndSet(false, true)) {
      return;
    }
    try {
      failing(t);
      plan.context().branch().event("MapStateFailed", null, null);
    } catch (Throwable ignored) {
      // The history is full; the state still fails with its own error.
    }
    abandon();
    done.completeExceptionally(t);
  }

  private void complete() {
    if (!finished.compareAndSet(false, true)) {
      return;
    }
    try {
      succeeding();
      plan.context().branch().event("MapStateSucceeded", null, null);
      ArrayNode outputs = JsonValues.array();
      for (JsonNode r : results) {
        outputs.add(r);
      }
      done.complete(Payloads.finish(plan.context(), result(outputs)));
    } catch (Throwable t) {
      done.completeExceptionally(t);
    }
  }
}
