package io.conveyor.local.runtime.scenarios;

import io.conveyor.scenarios.ScenarioTarget;
import io.conveyor.scenarios.Scenarios;
import io.conveyor.scenarios.JobScenarios;
import io.conveyor.local.runtime.LocalRuntimeOptions;
import io.conveyor.local.runtime.testing.LocalRuntimeExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link JobScenarios} through the local runtime: the real handlers, state machine, the DynamoDB emulator and S3Proxy. */
class JobScenariosTest extends JobScenarios {
    @RegisterExtension
    static final LocalRuntimeExtension RUNTIME = new LocalRuntimeExtension(LocalRuntimeOptions.builder()
            .timeScale(LocalRuntimeExtension.DEFAULT_TIME_SCALE)
            .schedules(false)
            .environment("CONVEYOR_PROGRAMS", Scenarios.PROGRAMS)
            .iamCallRecord(LocalRuntimeExtension.IAM_CALL_RECORD)
            .build());

    @Override
    protected ScenarioTarget target() {
        return new LocalRuntimeTarget(RUNTIME);
    }
}
