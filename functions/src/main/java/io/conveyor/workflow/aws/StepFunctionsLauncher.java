package io.conveyor.workflow.aws;

import io.conveyor.api.WorkflowLauncher;
import io.conveyor.aws.AwsHttpService;
import io.conveyor.persistence.StoredJson;
import java.util.Map;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/**
 * Runs job workflows on Step Functions. The execution input carries only the job id and how many jobs it depends
 * on, so the workflow goes straight to admission without any (state payloads are capped at 256 KiB); because it
 * is the same for every start of a name, StartExecution's idempotency makes a repeated submit return the running
 * execution instead of starting a second one.
 *
 * <p>StartExecution and StopExecution go through {@link AwsHttpService} in Step Functions' JSON protocol: the SDK's
 * client would add 1.4 MB of model classes to the functions' jar for these two operations.
 */
public final class StepFunctionsLauncher implements WorkflowLauncher {
    private final AwsHttpService sfn;
    private final String stateMachineArnPrefix;

    /**
     * @param sfn                   the Step Functions service ({@code AwsClients.stepFunctions()})
     * @param stateMachineArnPrefix the ARN of the job state machines up to the program's name
     */
    public StepFunctionsLauncher(AwsHttpService sfn, String stateMachineArnPrefix) {
        this.sfn = sfn;
        this.stateMachineArnPrefix = stateMachineArnPrefix;
    }

    @Override
    public void start(String program, String executionName, String jobId, int dependencies) {
        sfn.callJson("AWSStepFunctions.StartExecution", "1.0", StoredJson.MAPPER.createObjectNode()
                .put("stateMachineArn", stateMachineArnPrefix + program).put("name", executionName)
                .put("input", StoredJson.write(Map.of("jobId", jobId, "dependencies", dependencies))));
    }

    @Override
    public void stop(String program, String executionName, String cause) {
        String executionArn = executionArn(stateMachineArnPrefix, program, executionName);
        try {
            sfn.callJson("AWSStepFunctions.StopExecution", "1.0", StoredJson.MAPPER.createObjectNode()
                    .put("executionArn", executionArn).put("error", "Job.Cancelled").put("cause", cause));
        } catch (AwsServiceException e) {
            if (!"ExecutionDoesNotExist".equals(e.awsErrorDetails().errorCode())) {
                throw e;
            }
            // Nothing runs under that name: nothing to stop.
        }
    }

    /** An execution's ARN is its state machine's ARN with {@code :execution:} and the name appended. */
    public static String executionArn(String stateMachineArnPrefix, String program, String executionName) {
        return (stateMachineArnPrefix + program).replace(":stateMachine:", ":execution:") + ":" + executionName;
    }
}
