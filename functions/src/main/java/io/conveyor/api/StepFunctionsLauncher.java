package io.conveyor.api;

import io.conveyor.persistence.Json;
import java.util.Map;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionDoesNotExistException;

/**
 * Runs job workflows on Step Functions. The execution input carries only the job id and how many jobs it depends
 * on, so the workflow goes straight to admission without any (state payloads are capped at 256 KiB); because it
 * is the same for every start of a name, StartExecution's idempotency makes a repeated submit return the running
 * execution instead of starting a second one.
 */
public final class StepFunctionsLauncher implements WorkflowLauncher {
    private final SfnClient sfn;
    private final String stateMachineArnPrefix;

    /** {@code stateMachineArnPrefix} is the ARN of the job state machines up to the program's name. */
    public StepFunctionsLauncher(SfnClient sfn, String stateMachineArnPrefix) {
        this.sfn = sfn;
        this.stateMachineArnPrefix = stateMachineArnPrefix;
    }

    @Override
    public void start(String program, String executionName, String jobId, int dependencies) {
        sfn.startExecution(r -> r.stateMachineArn(stateMachineArnPrefix + program).name(executionName)
                .input(Json.write(Map.of("jobId", jobId, "dependencies", dependencies))));
    }

    @Override
    public void stop(String program, String executionName, String cause) {
        String executionArn = executionArn(program, executionName);
        try {
            sfn.stopExecution(r -> r.executionArn(executionArn).error("Job.Cancelled").cause(cause));
        } catch (ExecutionDoesNotExistException alreadyGone) {
            // Nothing runs under that name: nothing to stop.
        }
    }

    /** An execution's ARN is its state machine's ARN with {@code :execution:} and the name appended. */
    String executionArn(String program, String executionName) {
        return (stateMachineArnPrefix + program).replace(":stateMachine:", ":execution:") + ":" + executionName;
    }
}
