package io.conveyor.localstack;

import io.conveyor.scenarios.AdmissionScenarios;
import io.conveyor.scenarios.ScenarioTarget;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * {@link AdmissionScenarios} on the CDK stack deployed to LocalStack: quotas through whole jobs (skipped: they need
 * the test-only scenario programs and a quota of one job per program). Skipped where no Docker engine runs.
 */
@Testcontainers(disabledWithoutDocker = true)
class LocalStackAdmissionScenariosTest extends AdmissionScenarios {
    @Override
    protected ScenarioTarget target() {
        return LocalStackTarget.shared();
    }
}
