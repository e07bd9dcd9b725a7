package io.conveyor.local.runtime.scenarios;

import io.conveyor.scenarios.ScenarioTarget;
import io.conveyor.scenarios.ExpiryScenarios;
import io.conveyor.local.runtime.LocalRuntimeOptions;
import io.conveyor.local.runtime.testing.LocalRuntimeExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link ExpiryScenarios} through the local runtime, the cleaner fired through its schedule's rule. */
class ExpiryScenariosTest extends ExpiryScenarios {
    @RegisterExtension
    static final LocalRuntimeExtension RUNTIME = new LocalRuntimeExtension(LocalRuntimeOptions.builder()
            .timeScale(LocalRuntimeExtension.DEFAULT_TIME_SCALE)
            .schedules(true) // hourly, at this time scale every 6 minutes: the test fires it itself
            .environment("CONVEYOR_CLEANER_GRACE", "PT0S")
            .iamCallRecord(LocalRuntimeExtension.IAM_CALL_RECORD)
            .build());

    @Override
    protected ScenarioTarget target() {
        return new LocalRuntimeTarget(RUNTIME);
    }
}
