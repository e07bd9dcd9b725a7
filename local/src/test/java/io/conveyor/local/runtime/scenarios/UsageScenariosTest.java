package io.conveyor.local.runtime.scenarios;

import io.conveyor.local.runtime.LocalRuntimeOptions;
import io.conveyor.local.runtime.testing.LocalRuntimeExtension;
import io.conveyor.scenarios.ScenarioTarget;
import io.conveyor.scenarios.Scenarios;
import io.conveyor.scenarios.UsageScenarios;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link UsageScenarios} through the local runtime: the engine's histories are the measure of the transitions. */
class UsageScenariosTest extends UsageScenarios {
    @RegisterExtension
    static final LocalRuntimeExtension RUNTIME = new LocalRuntimeExtension(LocalRuntimeOptions.builder()
            .timeScale(LocalRuntimeExtension.DEFAULT_TIME_SCALE)
            .schedules(false)
            .environment("CONVEYOR_PROGRAMS", Scenarios.PROGRAMS)
            .environment("CONVEYOR_ADMIN_USERS", "auditor")
            // The administrators' report across users is the API's only Scan: the IAM proof sees it here.
            .iamCallRecord(LocalRuntimeExtension.IAM_CALL_RECORD)
            .build());

    @Override
    protected String administrator() {
        return "auditor";
    }

    @Override
    protected ScenarioTarget target() {
        return new LocalRuntimeTarget(RUNTIME);
    }
}
