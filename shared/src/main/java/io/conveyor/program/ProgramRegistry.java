package io.conveyor.program;

import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The programs a deployment runs, by name. Immutable and thread-safe. */
public final class ProgramRegistry {

    /** The function that runs every sample program's splitter, in the deployment catalogue. */
    public static final String SAMPLE_SPLITTER = "SampleSplitter";
    /** The function that runs every sample program's worker. */
    public static final String SAMPLE_WORKER = "SampleWorker";
    /** The function that runs every sample program's aggregator. */
    public static final String SAMPLE_AGGREGATOR = "SampleAggregator";

    private final Map<String, ProgramDefinition> programs = new LinkedHashMap<>();

    public ProgramRegistry(Collection<ProgramDefinition> definitions) {
        for (ProgramDefinition p : definitions) {
            if (programs.putIfAbsent(p.name(), p) != null) {
                throw new IllegalArgumentException("program " + p.name() + " is registered twice");
            }
        }
    }

    /** The sample programs every deployment ships: word-frequency, checksum and primes. */
    public static ProgramRegistry samples() {
        return new ProgramRegistry(List.of(
                sample("word-frequency", 20, Duration.ofSeconds(60)),
                sample("checksum", 20, Duration.ofSeconds(120)),
                sample("primes", 50, Duration.ofSeconds(60))));
    }

    private static ProgramDefinition sample(String name, int maxConcurrency, Duration subJobTimeout) {
        return new ProgramDefinition(name, SAMPLE_SPLITTER, SAMPLE_WORKER, SAMPLE_AGGREGATOR, maxConcurrency,
                RetryPolicy.DEFAULT, ReRegistrationPolicy.DEFAULT, 0, subJobTimeout, Duration.ofDays(7));
    }

    public Optional<ProgramDefinition> find(String name) {
        return Optional.ofNullable(programs.get(name));
    }

    /** Every program, in registration order. */
    public List<ProgramDefinition> all() {
        return List.copyOf(programs.values());
    }
}
