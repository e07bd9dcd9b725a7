package io.conveyor.programs;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What a program sees of a job: its parameters and its input files, readable whole or by byte range. */
public interface JobInputs {

    String jobId();

    /** Which attempt of the job runs, from 1: each attempt splits, works and aggregates anew. */
    int attempt();

    Map<String, String> parameters();

    /** The declared inputs, in declaration order, with their sizes. */
    List<DeclaredInput> inputs();

    /** The whole input file {@code name}; the caller closes it. */
    InputStream open(String name) throws IOException;

    /** Bytes {@code from} (inclusive) to {@code to} (exclusive) of input {@code name}; the caller closes it. */
    InputStream openRange(String name, long from, long to) throws IOException;

    /** A parameter, if given. */
    default Optional<String> parameter(String name) {
        return Optional.ofNullable(parameters().get(name));
    }

    /**
     * A whole-number parameter, {@code fallback} when absent.
     *
     * @throws InvalidParametersException when present but not a whole number in range
     */
    default long longParameter(String name, long fallback, long min, long max) {
        String text = parameters().get(name);
        if (text == null) {
            return fallback;
        }
        try {
            long value = Long.parseLong(text.trim());
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new InvalidParametersException("parameter '" + name + "' must be a whole number from " + min + " to "
                + max + ", was '" + text + "'");
    }
}
