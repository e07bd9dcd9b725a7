package io.conveyor.asl;

import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

/** Waits for a condition by polling with a deadline (tests never sleep blindly). */
public final class Poll {
  private Poll() {
  }

  public static <T> T until(Supplier<T> probe, java.util.function.Predicate<T> done, Duration timeout) {
    Instant deadline = Instant.now().plus(timeout);
    T last = probe.get();
    while (!done.test(last)) {
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("condition not met within " + timeout + "; last value: " + last);
      }
      Thread.onSpinWait();
      java.util.concurrent.locks.LockSupport.parkNanos(5_000_000);
      last = probe.get();
    }
    return last;
  }
}
