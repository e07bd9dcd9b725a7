package io.conveyor.localstack;

import io.conveyor.scenarios.ProgramFunctionScenarios;
import io.conveyor.scenarios.ScenarioTarget;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * {@link ProgramFunctionScenarios} on the stack deployed to LocalStack: skipped there with the reason
 * ({@code NODE_PROGRAM_FUNCTION}), and where no Docker engine runs.
 */
@Testcontainers(disabledWithoutDocker = true)
class LocalStackProgramFunctionScenariosTest extends ProgramFunctionScenarios {
    @Override
    protected ScenarioTarget target() {
        return LocalStackTarget.shared();
    }
}
