package io.conveyor.local.runtime;

import io.conveyor.local.runtime.lambda.CommandFunction;
import io.conveyor.local.runtime.lambda.ConcurrencyLimits;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * How to start a {@link LocalRuntime}. Immutable; build with {@link #builder()}. Every setting has a default.
 */
public final class LocalRuntimeOptions {
    private final Path dataDir;
    private final int apiPort;
    private final String cleanerSchedule;
    private final double timeScale;
    private final String region;
    private final Map<String, String> environment;
    private final Clock clock;
    private final boolean schedules;
    private final boolean devOpen;
    private final List<CommandFunction> commandFunctions;
    private final int accountConcurrency;
    private final Map<String, Integer> reservedConcurrency;
    private final Path iamCallRecord;

    private LocalRuntimeOptions(Builder b) {
        this.dataDir = b.dataDir;
        this.apiPort = b.apiPort;
        this.cleanerSchedule = b.cleanerSchedule;
        this.timeScale = b.timeScale;
        this.region = b.region;
        this.environment = Map.copyOf(b.environment);
        this.clock = b.clock;
        this.schedules = b.schedules;
        this.devOpen = b.devOpen;
        this.commandFunctions = List.copyOf(b.commandFunctions);
        this.accountConcurrency = b.accountConcurrency;
        this.reservedConcurrency = Map.copyOf(b.reservedConcurrency);
        this.iamCallRecord = b.iamCallRecord;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The defaults: everything in memory, free ports, the catalogue's schedule, real time. */
    public static LocalRuntimeOptions defaults() {
        return builder().build();
    }

    /** Where DynamoDB's tables ({@code dynamodb/}) and S3's objects ({@code s3/}) are kept; empty: in memory. */
    public Optional<Path> dataDir() {
        return Optional.ofNullable(dataDir);
    }

    public int apiPort() {
        return apiPort;
    }

    /** The cleaner's schedule instead of the catalogue's; empty: the catalogue's. */
    public Optional<String> cleanerSchedule() {
        return Optional.ofNullable(cleanerSchedule);
    }

    public double timeScale() {
        return timeScale;
    }

    public String region() {
        return region;
    }

    /** Variables added to (or replacing) every function's environment. */
    public Map<String, String> environment() {
        return environment;
    }

    public Clock clock() {
        return clock;
    }

    public boolean schedules() {
        return schedules;
    }

    /** Whether the runtime's own endpoints hand out what reaches every user's data (see {@link Builder#devOpen}). */
    public boolean devOpen() {
        return devOpen;
    }

    /** Functions written in other languages, run as a process per invocation (their environment is the runtime's). */
    public List<CommandFunction> commandFunctions() {
        return commandFunctions;
    }

    /** The account's limit of concurrent Lambda executions. */
    public int accountConcurrency() {
        return accountConcurrency;
    }

    /** Reserved concurrency that replaces the catalogue's, by function name; 0: none (the function shares the pool). */
    public Map<String, Integer> reservedConcurrency() {
        return reservedConcurrency;
    }

    /** Where the AWS calls the functions and state machines make are recorded for the IAM proof; empty: not recorded. */
    public Optional<Path> iamCallRecord() {
        return Optional.ofNullable(iamCallRecord);
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.dataDir = dataDir;
        b.apiPort = apiPort;
        b.cleanerSchedule = cleanerSchedule;
        b.timeScale = timeScale;
        b.region = region;
        b.environment.putAll(environment);
        b.clock = clock;
        b.schedules = schedules;
        b.devOpen = devOpen;
        b.commandFunctions.addAll(commandFunctions);
        b.accountConcurrency = accountConcurrency;
        b.reservedConcurrency.putAll(reservedConcurrency);
        b.iamCallRecord = iamCallRecord;
        return b;
    }

    /** Not thread-safe. */
    public static final class Builder {
        private Path dataDir;
        private int apiPort;
        private String cleanerSchedule;
        private double timeScale = 1.0;
        private String region = "us-east-1";
        private final Map<String, String> environment = new LinkedHashMap<>();
        private Clock clock = Clock.systemUTC();
        private boolean schedules = true;
        private boolean devOpen;
        private final List<CommandFunction> commandFunctions = new ArrayList<>();
        private int accountConcurrency = ConcurrencyLimits.DEFAULT_ACCOUNT_LIMIT;
        private final Map<String, Integer> reservedConcurrency = new LinkedHashMap<>();
        private Path iamCallRecord;

        private Builder() {}

        /** Keep tables and objects under {@code dir} so jobs survive a restart. Default: none, in memory. */
        public Builder dataDir(Path dir) {
            this.dataDir = dir;
            return this;
        }

        /** The API's port on 127.0.0.1. Default 0: a free port. */
        public Builder apiPort(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be from 0 to 65535, was " + port);
            }
            this.apiPort = port;
            return this;
        }

        /** The cleaner's schedule, a rate expression such as {@code rate(5 minutes)}. Default: the catalogue's. */
        public Builder cleanerSchedule(String expression) {
            this.cleanerSchedule = expression;
            return this;
        }

        /**
         * Multiplies the workflow's waits, retry intervals and state timeouts, and the schedules' periods (0.01 runs
         * them 100 times faster). Lambda timeouts are not scaled. Default 1.
         */
        public Builder timeScale(double scale) {
            if (!(scale > 0)) {
                throw new IllegalArgumentException("the time scale must be above 0, was " + scale);
            }
            this.timeScale = scale;
            return this;
        }

        /** The region of every client and ARN. Default us-east-1. */
        public Builder region(String region) {
            this.region = region;
            return this;
        }

        /** Adds (or replaces) a variable in every function's environment, such as a quota for a test. */
        public Builder environment(String name, String value) {
            environment.put(name, value);
            return this;
        }

        /** The clock of the Step Functions engine, the gateway and the scheduler. Default: the system's, UTC. */
        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /**
         * True to open what a developer may want and a shared machine should not give every user: the emulators'
         * endpoints and credentials in {@code /_local/health} and the banner (they read and change every user's
         * data), every event in {@code /_local/events} instead of the caller's own, and firing schedules by hand.
         * Default false.
         */
        public Builder devOpen(boolean open) {
            this.devOpen = open;
            return this;
        }

        /** False to run no schedule (rules can still be fired by hand). Default true. */
        public Builder schedules(boolean enabled) {
            this.schedules = enabled;
            return this;
        }

        /**
         * Deploys a Lambda function written in another language, such as a program's worker: each invocation runs
         * {@code command} with the event on its standard input and takes its standard output as the answer (see
         * {@link CommandFunction}); it is invoked by name through the runtime's Lambda endpoint.
         *
         * @param timeout how long one invocation may run, 1 s to 15 min
         * @throws IllegalArgumentException naming what to change, for a bad name, command or timeout
         */
        public Builder commandFunction(String name, Duration timeout, List<String> command) {
            commandFunctions.add(new CommandFunction(name, command, timeout, Map.of()));
            return this;
        }

        /**
         * The account's limit of concurrent Lambda executions: an unreserved function's invocation beyond what the
         * reservations leave of it is throttled. Default {@value ConcurrencyLimits#DEFAULT_ACCOUNT_LIMIT}, AWS's.
         */
        public Builder accountConcurrency(int limit) {
            if (limit < 1) {
                throw new IllegalArgumentException("the account's concurrency must be at least 1, was " + limit);
            }
            this.accountConcurrency = limit;
            return this;
        }

        /**
         * Reserves {@code concurrency} executions for the catalogue's function {@code function} instead of what the
         * catalogue reserves (such as 1 for RunSubJob, to see the workflow's throttling retries). Default: the
         * catalogue's.
         */
        public Builder reservedConcurrency(String function, int concurrency) {
            if (io.conveyor.deployment.Catalogue.function(function).isEmpty()) {
                throw new IllegalArgumentException("no function " + function + " in the catalogue");
            }
            if (concurrency < 1) {
                throw new IllegalArgumentException("reserved concurrency must be at least 1, was " + concurrency);
            }
            reservedConcurrency.put(function, concurrency);
            return this;
        }

        /**
         * Takes away the concurrency the catalogue reserves for {@code function}: it shares the account's unreserved
         * pool with the others (to see what its reserve is for).
         */
        public Builder unreserved(String function) {
            if (io.conveyor.deployment.Catalogue.function(function).isEmpty()) {
                throw new IllegalArgumentException("no function " + function + " in the catalogue");
            }
            reservedConcurrency.put(function, 0);
            return this;
        }

        /**
         * Records, per caller (each catalogue function, each job state machine's role), the IAM actions and resource
         * ARNs of every AWS call it makes, and writes them as JSON to {@code file} when the runtime stops, together
         * with what every earlier runtime of this JVM recorded into the same file
         * ({@link io.conveyor.local.runtime.iam.IamCallRecording}). Default: nothing is recorded.
         */
        public Builder iamCallRecord(Path file) {
            this.iamCallRecord = file;
            return this;
        }

        public LocalRuntimeOptions build() {
            return new LocalRuntimeOptions(this);
        }
    }
}
