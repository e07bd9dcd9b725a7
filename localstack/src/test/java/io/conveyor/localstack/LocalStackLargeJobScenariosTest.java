package io.conveyor.localstack;

import io.conveyor.scenarios.LargeJobScenarios;
import io.conveyor.scenarios.ScenarioTarget;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * {@link LargeJobScenarios} on the CDK stack deployed to LocalStack: a 10,000-subjob job over the deployed REST API, Step
 * Functions and Lambda. Skipped where no Docker engine runs.
 */
@Testcontainers(disabledWithoutDocker = true)
class LocalStackLargeJobScenariosTest extends LargeJobScenarios {
    @Override
    protected ScenarioTarget target() {
        return LocalStackTarget.shared();
    }
}
