package io.conveyor.localstack;

import io.conveyor.scenarios.ExpiryScenarios;
import io.conveyor.scenarios.ScenarioTarget;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * {@link ExpiryScenarios} on the CDK stack deployed to LocalStack: the cleaner, invoked as its schedule's rule
 * invokes it, removing an expired job entirely. Skipped where no Docker engine runs.
 */
@Testcontainers(disabledWithoutDocker = true)
class LocalStackExpiryScenariosTest extends ExpiryScenarios {
    @Override
    protected ScenarioTarget target() {
        return LocalStackTarget.shared();
    }
}
