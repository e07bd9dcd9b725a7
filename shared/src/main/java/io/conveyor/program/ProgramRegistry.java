package io.conveyor.program;

import com.fasterxml.jackson.databind.JsonNode;
import io.conveyor.persistence.StoredJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The programs a deployment runs, by name. Immutable and thread-safe. */
public final class ProgramRegistry {

    /** The environment variable that registers further programs, as a JSON array (see {@link ProgramDefinitions}). */
    public static final String SETTING = "CONVEYOR_PROGRAMS";

    private final Map<String, ProgramDefinition> programs = new LinkedHashMap<>();

    public ProgramRegistry(Collection<ProgramDefinition> definitions) {
        for (ProgramDefinition p : definitions) {
            if (programs.putIfAbsent(p.name(), p) != null) {
                throw new IllegalArgumentException("program " + p.name() + " is registered twice");
            }
        }
    }

    /**
     * The sample programs every deployment ships: word-frequency, checksum and primes, and primes-on-workers, which
     * counts primes as primes does but on external workers (cli/examples/count-primes.mjs is such a worker).
     */
    public static ProgramRegistry samples() {
        return new ProgramRegistry(SAMPLES);
    }

    /**
     * The sample programs and those registered in {@code CONVEYOR_PROGRAMS}.
     *
     * @throws io.conveyor.config.ConfigurationException when that setting is not a valid list of programs
     */
    public static ProgramRegistry from(java.util.Map<String, String> environment) {
        List<ProgramDefinition> all = new java.util.ArrayList<>(SAMPLES);
        String extra = environment.get(SETTING);
        if (extra != null && !extra.isBlank()) {
            all.addAll(ProgramDefinitions.parse(extra));
        }
        return new ProgramRegistry(all);
    }

    private static final ProgramDefinition PRIMES =
            sample("primes", "io.conveyor.programs.primes.PrimesProgram", 50, Duration.ofSeconds(60));

    private static final List<ProgramDefinition> SAMPLES = List.of(
            sample("word-frequency", "io.conveyor.programs.wordfrequency.WordFrequencyProgram", 20, Duration.ofSeconds(60)),
            sample("checksum", "io.conveyor.programs.checksum.ChecksumProgram", 20, Duration.ofSeconds(120)),
            PRIMES,
            onExternalWorkers("primes-on-workers", PRIMES, Duration.ofSeconds(120), Duration.ofSeconds(10)));

    /** A sample program, declaring the parameters in its {@code samples/<name>.parameters.json} beside this class. */
    private static ProgramDefinition sample(String name, String javaClass, int maxConcurrency, Duration subJobTimeout) {
        String implementation = ProgramFunction.Kind.JAVA.prefix() + javaClass;
        return new ProgramDefinition(name, implementation, implementation, implementation, maxConcurrency,
                RetryPolicy.DEFAULT, ReRegistrationPolicy.DEFAULT, 0, subJobTimeout, Duration.ofDays(7))
                .withParameters(ParameterSchema.of(sampleSchema(name)));
    }

    private static JsonNode sampleSchema(String name) {
        String resource = "samples/" + name + ".parameters.json";
        try (InputStream in = ProgramRegistry.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("the sample program " + name + " has no " + resource);
            }
            return StoredJson.MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }

    /**
     * {@code program} under another name, with its subjobs run by any external worker of the job's owner, each within
     * {@code subJobTimeout} and heartbeating as given.
     */
    private static ProgramDefinition onExternalWorkers(String name, ProgramDefinition program, Duration subJobTimeout,
            Duration heartbeat) {
        return new ProgramDefinition(name, program.splitter(), ProgramFunction.Kind.EXTERNAL.prefix(),
                program.aggregator(), program.maxConcurrency(), program.retry(), program.reRegistration(),
                program.toleratedFailurePercentage(), subJobTimeout, program.defaultRetention(),
                new ExternalWorker(List.of(), heartbeat), program.parameters());
    }

    public Optional<ProgramDefinition> find(String name) {
        return Optional.ofNullable(programs.get(name));
    }

    /** Every program, in registration order. */
    public List<ProgramDefinition> all() {
        return List.copyOf(programs.values());
    }
}
