package io.conveyor.scenarios;

import java.time.Duration;
import java.util.function.Supplier;

/** Waits for a condition by polling it until a deadline: tests never sleep for a fixed time. */
public final class Await {
    private Await() {}

    /**
     * Polls {@code value} every few milliseconds until it returns a non-null result and returns that.
     *
     * @throws AssertionError naming {@code what} when {@code timeout} passes first
     */
    public static <T> T until(String what, Duration timeout, Supplier<T> value) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long pause = 2;
        while (true) {
            T v = value.get();
            if (v != null && !Boolean.FALSE.equals(v)) {
                return v;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what, e);
            }
            pause = Math.min(50, pause * 2);
        }
    }
}
