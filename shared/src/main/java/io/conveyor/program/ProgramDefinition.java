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
 *                                   workflow's functions, or {@code lambda:<function name, name:alias or ARN>}, a
 *                                   Lambda function in any language (see {@link ProgramFunction})
 * @param worker                     what runs one subjob, named the same way, or {@code external}: machines that
 *                                   register as workers
 * @param aggregator                 what combines subjob outputs into the result, named the same way
 * @param maxConcurrency             subjobs of one job that may run at once, 1 to 10,000
 * @param retry                      how a failing subjob invocation is retried
 * @param reRegistration             how a job attempt that failed with a retryable error is run again
 * @param toleratedFailurePercentage the share of subjobs that may fail while the job still succeeds, 0 to 100
 * @param subJobTimeout              the limit on one worker invocation: up to 15 minutes on Lambda, up to
 *                                   {@link #MAX_EXTERNAL_SUBJOB_TIMEOUT} on an external worker
 * @param defaultRetention           how long a terminal job is kept when its owner does not say
 * @param external                   for a program whose worker is {@code external}, what its workers must have and
 *                                   how often they heartbeat; null otherwise
 * @param parameters                 the parameters a job of it may or must give, checked when a job is created; null
 *                                   when the program declares none, and then any are accepted
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
        Duration defaultRetention,
        ExternalWorker external,
        ParameterSchema parameters) {

    /** How long one subjob may run on an external worker; no Lambda limit applies there. */
    public static final Duration MAX_EXTERNAL_SUBJOB_TIMEOUT = Duration.ofDays(7);

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,62}");

    public ProgramDefinition {
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("program name must be 1-63 lowercase letters, digits or '-', starting with a letter; was '" + name + "'");
        }
        for (ProgramOperation operation : ProgramOperation.values()) {
            ProgramFunction.parse(operation, named(operation, splitter, worker, aggregator));
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
        boolean externalWorker = ProgramFunction.parse(ProgramOperation.WORK, worker).isExternal();
        if (externalWorker != (external != null)) {
            throw new IllegalArgumentException(externalWorker
                    ? "a program whose worker is external needs \"external\": {\"capabilities\": [...], \"heartbeatSeconds\": n}"
                    : "\"external\" settings need \"worker\": \"external\"");
        }
        if (!externalWorker && (subJobTimeout.toSeconds() < 1 || subJobTimeout.toSeconds() > 900)) {
            throw new IllegalArgumentException("subJobTimeout must be between 1 second and 15 minutes (Lambda's limit), was " + subJobTimeout);
        }
        if (externalWorker && (subJobTimeout.compareTo(external.heartbeat()) <= 0
                || subJobTimeout.compareTo(MAX_EXTERNAL_SUBJOB_TIMEOUT) > 0)) {
            throw new IllegalArgumentException("subJobTimeout of an external worker must be longer than its heartbeat ("
                    + external.heartbeat() + ") and at most " + MAX_EXTERNAL_SUBJOB_TIMEOUT + ", was " + subJobTimeout);
        }
        if (defaultRetention.isNegative() || defaultRetention.isZero()) {
            throw new IllegalArgumentException("defaultRetention must be positive, was " + defaultRetention);
        }
    }

    /** A program that declares no parameters. */
    public ProgramDefinition(String name, String splitter, String worker, String aggregator, int maxConcurrency,
            RetryPolicy retry, ReRegistrationPolicy reRegistration, double toleratedFailurePercentage,
            Duration subJobTimeout, Duration defaultRetention, ExternalWorker external) {
        this(name, splitter, worker, aggregator, maxConcurrency, retry, reRegistration, toleratedFailurePercentage,
                subJobTimeout, defaultRetention, external, null);
    }

    /** A program whose subjobs run on Lambda or in the functions, not on external workers, and declares no parameters. */
    public ProgramDefinition(String name, String splitter, String worker, String aggregator, int maxConcurrency,
            RetryPolicy retry, ReRegistrationPolicy reRegistration, double toleratedFailurePercentage,
            Duration subJobTimeout, Duration defaultRetention) {
        this(name, splitter, worker, aggregator, maxConcurrency, retry, reRegistration, toleratedFailurePercentage,
                subJobTimeout, defaultRetention, null, null);
    }

    /** The same program declaring {@code schema} as its parameters. */
    public ProgramDefinition withParameters(ParameterSchema schema) {
        return new ProgramDefinition(name, splitter, worker, aggregator, maxConcurrency, retry, reRegistration,
                toleratedFailurePercentage, subJobTimeout, defaultRetention, external, schema);
    }

    /** Whether machines registered as workers run this program's subjobs ({@link #external()} says how). */
    public boolean hasExternalWorker() {
        return external != null;
    }

    /** What runs {@code operation}: a Java class, a Lambda function or, for the worker, external machines. */
    public ProgramFunction function(ProgramOperation operation) {
        return ProgramFunction.parse(operation, named(operation, splitter, worker, aggregator));
    }

    private static String named(ProgramOperation operation, String splitter, String worker, String aggregator) {
        return switch (operation) {
            case SPLIT -> splitter;
            case WORK -> worker;
            case AGGREGATE -> aggregator;
        };
    }

    /** Whether {@code failed} failures out of {@code total} subjobs are within this program's tolerance. */
    public boolean tolerates(int failed, int total) {
        if (failed == 0) {
            return true;
        }
        return total > 0 && failed * 100.0 / total <= toleratedFailurePercentage;
    }
}
