package io.conveyor.local.runtime.testing;

import io.conveyor.apiclient.JobApiClient;
import io.conveyor.local.runtime.LocalRuntime;
import io.conveyor.local.runtime.LocalRuntimeOptions;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs one {@link LocalRuntime} for a test class (in memory, free ports, no schedules, waits 10 times faster
 * unless told otherwise), so scenario tests can run whole jobs over HTTP:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final LocalRuntimeExtension RUNTIME = new LocalRuntimeExtension();
 *
 * @Test
 * void createsAJob() {
 *   var response = RUNTIME.api("alice").post("/jobs", "{\"program\":\"word-frequency\", ...}");
 * }
 * }</pre>
 *
 * <p>Only one runtime runs per JVM at a time; test classes using this run one after another (surefire's default).
 */
public final class LocalRuntimeExtension implements BeforeAllCallback, AfterAllCallback {
    /**
     * The default time scale of scenario tests: a 1 s wait takes 100 ms. State timeouts shrink with it while Lambda
     * run times (cold starts included) stay real, so a program's 60 s subjob timeout becomes 6 s; at 0.01 (0.6 s)
     * concurrent cold starts on a loaded 2-core machine time subjobs out.
     */
    public static final double DEFAULT_TIME_SCALE = 0.1;
    /**
     * Where the scenario suite records its AWS calls for the IAM proof of the deployed policies (infra/cdk's
     * {@code IamProofTest} reads it): the system property {@code conveyor.iamCallRecord}, which this module's build
     * sets; {@code null} (nothing recorded) where it is not set, as in an IDE.
     */
    public static final Path IAM_CALL_RECORD = Optional.ofNullable(System.getProperty("conveyor.iamCallRecord"))
            .map(Path::of).orElse(null);
    private final Supplier<LocalRuntimeOptions> options;
    private LocalRuntimeOptions started;
    private LocalRuntime runtime;

    public LocalRuntimeExtension() {
        this(LocalRuntimeOptions.builder().timeScale(DEFAULT_TIME_SCALE).schedules(false).build());
    }

    public LocalRuntimeExtension(LocalRuntimeOptions options) {
        this(() -> options);
    }

    /**
     * @param options read once, when the runtime starts: for options that only exist then, such as a static
     *                {@code @TempDir} data directory (JUnit injects those before this extension's {@code beforeAll})
     */
    public LocalRuntimeExtension(Supplier<LocalRuntimeOptions> options) {
        this.options = options;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        started = options.get();
        runtime = LocalRuntime.start(started);
    }

    /** Stops the runtime and starts it again with the same options (with a data directory, on the same data). */
    public void restart() {
        runtime().close();
        runtime = null;
        runtime = LocalRuntime.start(started);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (runtime != null) {
            runtime.close();
            runtime = null;
        }
    }

    public LocalRuntime runtime() {
        if (runtime == null) {
            throw new IllegalStateException("the local runtime runs only between beforeAll and afterAll");
        }
        return runtime;
    }

    /** The job API as {@code user}. */
    public JobApiClient api(String user) {
        return new JobApiClient(runtime().apiEndpoint(), user);
    }
}
