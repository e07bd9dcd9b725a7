package io.conveyor.local.runtime.scenarios;

import io.conveyor.scenarios.ScenarioTarget;
import io.conveyor.scenarios.ProgramFunctionScenarios;
import io.conveyor.local.runtime.LocalRuntimeOptions;
import io.conveyor.local.runtime.testing.LocalRuntimeExtension;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link ProgramFunctionScenarios} through the local runtime: the Node.js program as a command function, invoked by
 * the real workflow functions through the runtime's Lambda endpoint.
 */
class ProgramFunctionScenariosTest extends ProgramFunctionScenarios {
    @RegisterExtension
    static final LocalRuntimeExtension RUNTIME = new LocalRuntimeExtension(LocalRuntimeOptions.builder()
            .timeScale(LocalRuntimeExtension.DEFAULT_TIME_SCALE)
            .schedules(false)
            .environment("CONVEYOR_PROGRAMS", PROGRAMS)
            .commandFunction(FUNCTION, Duration.ofSeconds(30), List.of("node", nodeProgram().toString()))
            .iamCallRecord(LocalRuntimeExtension.IAM_CALL_RECORD)
            .build());

    @Override
    protected ScenarioTarget target() {
        return new LocalRuntimeTarget(RUNTIME);
    }
}
