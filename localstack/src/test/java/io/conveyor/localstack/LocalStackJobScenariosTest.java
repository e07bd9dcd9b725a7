package io.conveyor.localstack;

import io.conveyor.scenarios.JobScenarios;
import io.conveyor.scenarios.ScenarioTarget;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * {@link JobScenarios} on the CDK stack deployed to LocalStack: whole jobs over the deployed REST API, Step
 * Functions and Lambda. Skipped where no Docker engine runs.
 */
@Testcontainers(disabledWithoutDocker = true)
class LocalStackJobScenariosTest extends JobScenarios {
    @Override
    protected ScenarioTarget target() {
        return LocalStackTarget.shared();
    }
}
