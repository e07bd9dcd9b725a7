package io.conveyor.storage;

import java.util.regex.Pattern;

/**
 * Where a job's objects live in the bucket. Everything of a job is under {@link #jobPrefix}, so deleting a job
 * is deleting one prefix, and the layout is decided here only.
 *
 * <pre>
 * jobs/{jobId}/inputs/{name}                                  the owner's input files
 * jobs/{jobId}/attempts/{n}/manifest.json                     the splitter's subjob manifest
 * jobs/{jobId}/attempts/{n}/subjobs/{index}/output.json       one subjob's output, written by the worker
 * jobs/{jobId}/attempts/{n}/outputs.jsonl                     the subjobs' outputs for an aggregator function
 * jobs/{jobId}/attempts/{n}/result.json                       the aggregator's result
 * </pre>
 */
public final class JobObjectLayout {
    private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    private JobObjectLayout() {}

    /** The prefix under which every object of {@code jobId} lives; ends with {@code /}. */
    public static String jobPrefix(String jobId) {
        return "jobs/" + checkedId(jobId) + "/";
    }

    /** An input file; {@code name} has already been checked to be a plain file name. */
    public static String input(String jobId, String name) {
        if (name.isEmpty() || name.contains("/") || name.contains("\\") || name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException("input name must be a plain file name, was '" + name + "'");
        }
        return jobPrefix(jobId) + "inputs/" + name;
    }

    /** The prefix of one attempt's objects. */
    public static String attemptPrefix(String jobId, int attempt) {
        if (attempt < 1) {
            throw new IllegalArgumentException("attempts are numbered from 1, was " + attempt);
        }
        return jobPrefix(jobId) + "attempts/" + attempt + "/";
    }

    public static String manifest(String jobId, int attempt) {
        return attemptPrefix(jobId, attempt) + "manifest.json";
    }

    public static String subJobOutput(String jobId, int attempt, int index) {
        return subJobPrefix(jobId, attempt, index) + "output.json";
    }

    /**
     * The output an external worker uploaded for its claim {@code claimId} of the subjob: one key per claim, so a late
     * upload by a worker whose subjob was taken away never overwrites the output of the worker that took it over.
     */
    public static String workerOutput(String jobId, int attempt, int index, String claimId) {
        if (!claimId.matches("[A-Za-z0-9-]{1,64}")) {
            throw new IllegalArgumentException("a claim id is 1-64 letters, digits or '-', was '" + claimId + "'");
        }
        return subJobPrefix(jobId, attempt, index) + "output-" + claimId + ".json";
    }

    /**
     * The successful subjobs' outputs in subjob order, one JSON line each, written for an aggregator that is a Lambda
     * function: thousands of outputs do not fit a Lambda payload (6 MB), so they are handed over as one object.
     */
    public static String collectedOutputs(String jobId, int attempt) {
        return attemptPrefix(jobId, attempt) + "outputs.jsonl";
    }

    public static String result(String jobId, int attempt) {
        return attemptPrefix(jobId, attempt) + "result.json";
    }

    private static String subJobPrefix(String jobId, int attempt, int index) {
        if (index < 0) {
            throw new IllegalArgumentException("subjob index must be zero or more, was " + index);
        }
        return attemptPrefix(jobId, attempt) + "subjobs/" + index + "/";
    }

    /** Whether {@code jobId} has the shape of a job id: only such ids ever become part of a key. */
    public static boolean isValidJobId(String jobId) {
        return jobId != null && SAFE_ID.matcher(jobId).matches();
    }

    private static String checkedId(String jobId) {
        // Ids end up in keys: one that could climb out of its prefix must never get this far.
        if (!isValidJobId(jobId)) {
            throw new IllegalArgumentException("job id must be 1-128 letters, digits, '.', '_' or '-', was '" + jobId + "'");
        }
        return jobId;
    }
}
