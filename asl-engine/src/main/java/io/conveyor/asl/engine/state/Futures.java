package io.conveyor.asl.engine.state;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/** The wrapping that futures add around a state's failure, taken off and put back. */
public final class Futures {

  private Futures() {
  }

  /** The failure inside any {@link CompletionException}s and {@link ExecutionException}s. */
  public static Throwable unwrap(Throwable t) {
    while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  /** {@code t}'s failure, unwrapped, to throw from a future's stage. */
  static CompletionException rethrow(Throwable t) {
    return new CompletionException(unwrap(t));
  }

  /**
   * {@code then} applied to a completed future's value or failure, at once: the dependent stage and future that
   * {@code handle} would build are not needed for most states, which complete at once.
   */
  static <T, R> R joined(CompletableFuture<T> done, BiFunction<? super T, Throwable, R> then) {
    T value = null;
    Throwable failure = null;
    try {
      value = done.join();
    } catch (Throwable t) {
      failure = t;
    }
    return then.apply(value, failure);
  }

  /** The future {@code work} returned, or a failed one when it threw. */
  static <T> CompletableFuture<T> call(Supplier<CompletableFuture<T>> work) {
    try {
      return work.get();
    } catch (Throwable t) {
      return CompletableFuture.failedFuture(t);
    }
  }
}
