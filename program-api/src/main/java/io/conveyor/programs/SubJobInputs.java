package io.conveyor.programs;

/** Limits on what a splitter may put in one subjob's input. */
public final class SubJobInputs {
    /** One subjob input, as JSON, at most this many bytes: it travels in the manifest and the Map item. */
    public static final int MAX_BYTES = 8 * 1024;

    private SubJobInputs() {}
}
