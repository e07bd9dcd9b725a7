package io.conveyor.localstack;

import io.conveyor.scenarios.RestartScenarios;
import io.conveyor.scenarios.ScenarioTarget;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * {@link RestartScenarios} on the CDK stack deployed to LocalStack: a restart on the same data (skipped: the free
 * image keeps no state across restarts). Skipped where no Docker engine runs.
 */
@Testcontainers(disabledWithoutDocker = true)
class LocalStackRestartScenariosTest extends RestartScenarios {
    @Override
    protected ScenarioTarget target() {
        return LocalStackTarget.shared();
    }
}
