package io.conveyor.cli.output;

/** A running count shown to the user while bytes move; {@link #NONE} shows nothing. Not thread-safe. */
public interface ProgressDisplay extends AutoCloseable {
    /** Adds {@code n} to the count. */
    void step(long n);

    /** Sets an extra message shown after the bar (such as subjob counts). */
    default void message(String text) {}

    /** Sets the count. */
    default void stepTo(long n) {}

    /** Sets the total, when it changes (a job's subjob count becomes known). */
    default void total(long total) {}

    /** Ends the display. */
    @Override
    void close();

    ProgressDisplay NONE = new ProgressDisplay() {
        @Override
        public void step(long n) {}

        @Override
        public void close() {}
    };
}
