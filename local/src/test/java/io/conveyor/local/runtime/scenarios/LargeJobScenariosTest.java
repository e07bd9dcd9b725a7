package io.conveyor.local.runtime.scenarios;

import io.conveyor.scenarios.ScenarioTarget;
import io.conveyor.scenarios.LargeJobScenarios;
import io.conveyor.local.runtime.LocalRuntimeOptions;
import io.conveyor.local.runtime.testing.LocalRuntimeExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link LargeJobScenarios} through the local runtime. */
class LargeJobScenariosTest extends LargeJobScenarios {
    @RegisterExtension
    static final LocalRuntimeExtension RUNTIME = new LocalRuntimeExtension(LocalRuntimeOptions.builder()
            .schedules(false)
            .iamCallRecord(LocalRuntimeExtension.IAM_CALL_RECORD)
            .build());

    @Override
    protected ScenarioTarget target() {
        return new LocalRuntimeTarget(RUNTIME);
    }
}
