package io.conveyor.local.runtime.scenarios;

import io.conveyor.scenarios.ScenarioTarget;
import io.conveyor.scenarios.RestartScenarios;
import io.conveyor.local.runtime.LocalRuntimeOptions;
import io.conveyor.local.runtime.testing.LocalRuntimeExtension;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@link RestartScenarios} through the local runtime, restarted on its data directory. */
class RestartScenariosTest extends RestartScenarios {
    @TempDir
    static Path dataDir;

    @RegisterExtension
    static final LocalRuntimeExtension RUNTIME = new LocalRuntimeExtension(() -> LocalRuntimeOptions.builder()
            .dataDir(dataDir)
            .schedules(false)
            .timeScale(LocalRuntimeExtension.DEFAULT_TIME_SCALE)
            .iamCallRecord(LocalRuntimeExtension.IAM_CALL_RECORD)
            .build());

    @Override
    protected ScenarioTarget target() {
        return new LocalRuntimeTarget(RUNTIME);
    }
}
