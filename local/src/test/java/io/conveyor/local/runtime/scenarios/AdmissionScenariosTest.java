package io.conveyor.local.runtime.scenarios;

import io.conveyor.scenarios.ScenarioTarget;
import io.conveyor.scenarios.Scenarios;
import io.conveyor.scenarios.AdmissionScenarios;
import io.conveyor.local.runtime.LocalRuntimeOptions;
import io.conveyor.local.runtime.testing.LocalRuntimeExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link AdmissionScenarios} through the local runtime, with one active job per program. */
class AdmissionScenariosTest extends AdmissionScenarios {
    @RegisterExtension
    static final LocalRuntimeExtension RUNTIME = new LocalRuntimeExtension(LocalRuntimeOptions.builder()
            .timeScale(LocalRuntimeExtension.DEFAULT_TIME_SCALE)
            .schedules(false)
            .environment("CONVEYOR_PROGRAMS", Scenarios.PROGRAMS)
            .environment("CONVEYOR_MAX_ACTIVE_JOBS_PER_PROGRAM", "1")
            .iamCallRecord(LocalRuntimeExtension.IAM_CALL_RECORD)
            .build());

    @Override
    protected ScenarioTarget target() {
        return new LocalRuntimeTarget(RUNTIME);
    }
}
