package io.conveyor.program;

import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A registered program: the three functions that run a job of it and the limits it runs under.
 *
 * @param name                       unique, used in the API and in metrics
 * @param splitter                   what turns a job's inputs into subjobs: {@code java:<class>}, a class implementing
 *                                   the functions module's {@code io.conveyor.programs.Program}, run inside the
 *                                   workflow's functions
 * @param worker                     what runs one subjob, named the same way
 * @param aggregator                 what combines subjob outputs into the result, named the same way
 * @param maxConcurrency             subjobs of one job that may run at once, 1 to 10,000
 * @param retry                      how a failing subjob invocation is retried
 * @param reRegistration             how a job attempt that failed with a retryable error is run again
 * @param toleratedFailurePercentage the share of subjobs that may fail while the job still succeeds, 0 to 100
 * @param subJobTimeout              the limit on one worker invocation
 * @param defaultRetention           how long a terminal job is kept when its owner does not say
 */
public record ProgramDefinition(
        String name,
        String splitter,
        String worker,
        String aggregator,
        int maxConcurrency,
        RetryPolicy retry,
        ReRegistrationPolicy reRegistration,
        double toleratedFailurePercentage,
        Duration subJobTimeout,
        Duration defaultRetention) {

    /** The prefix of an implementation written in Java and run in-process. */
    public static final String JAVA = "java:";

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,62}");
    private static final Pattern JAVA_CLASS = Pattern.compile("java:[A-Za-z_$][\\w$]*(\\.[A-Za-z_$][\\w$]*)+");

    public ProgramDefinition {
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("program name must be 1-63 lowercase letters, digits or '-', starting with a letter; was '" + name + "'");
        }
        for (String implementation : new String[] {splitter, worker, aggregator}) {
            if (implementation == null || !JAVA_CLASS.matcher(implementation).matches()) {
                throw new IllegalArgumentException("program " + name + ": splitter, worker and aggregator must each name a "
                        + "Java class as java:<fully.qualified.ClassName>, was '" + implementation + "'");
            }
        }
        Objects.requireNonNull(retry, "retry");
        Objects.requireNonNull(reRegistration, "reRegistration");
        Objects.requireNonNull(subJobTimeout, "subJobTimeout");
        Objects.requireNonNull(defaultRetention, "defaultRetention");
        if (maxConcurrency < 1 || maxConcurrency > 10_000) {
            throw new IllegalArgumentException("maxConcurrency must be between 1 and 10000, was " + maxConcurrency);
        }
        if (toleratedFailurePercentage < 0 || toleratedFailurePercentage > 100) {
            throw new IllegalArgumentException("toleratedFailurePercentage must be between 0 and 100, was " + toleratedFailurePercentage);
        }
        if (subJobTimeout.toSeconds() < 1 || subJobTimeout.toSeconds() > 900) {
            throw new IllegalArgumentException("subJobTimeout must be between 1 second and 15 minutes (Lambda's limit), was " + subJobTimeout);
        }
        if (defaultRetention.isNegative() || defaultRetention.isZero()) {
            throw new IllegalArgumentException("defaultRetention must be positive, was " + defaultRetention);
        }
    }

    /** Whether {@code failed} failures out of {@code total} subjobs are within this program's tolerance. */
    public boolean tolerates(int failed, int total) {
        if (failed == 0) {
            return true;
        }
        return total > 0 && failed * 100.0 / total <= toleratedFailurePercentage;
    }
}
