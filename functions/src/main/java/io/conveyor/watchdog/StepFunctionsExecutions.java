package io.conveyor.watchdog;

import com.fasterxml.jackson.databind.JsonNode;
import io.conveyor.aws.AwsHttpService;
import io.conveyor.persistence.StoredJson;
import io.conveyor.workflow.aws.StepFunctionsLauncher;
import java.util.Optional;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/**
 * DescribeExecution on Step Functions, through {@link AwsHttpService} in its JSON protocol (as
 * {@link StepFunctionsLauncher}), never faster than its {@link TokenBucket} allows: the operation is throttled at
 * 15 calls a second for the whole account, and the product's other callers (operators, consoles) share that.
 */
public final class StepFunctionsExecutions implements ExecutionDescriber {
    private final AwsHttpService sfn;
    private final String stateMachineArnPrefix;
    private final TokenBucket rate;

    /**
     * @param sfn                   the Step Functions service ({@code AwsClients.stepFunctions()})
     * @param stateMachineArnPrefix the ARN of the job state machines up to the program's name
     * @param rate                  one token per call
     */
    public StepFunctionsExecutions(AwsHttpService sfn, String stateMachineArnPrefix, TokenBucket rate) {
        this.sfn = sfn;
        this.stateMachineArnPrefix = stateMachineArnPrefix;
        this.rate = rate;
    }

    @Override
    public Optional<ExecutionState> describe(String program, String executionName) {
        rate.acquire();
        JsonNode answer;
        try {
            answer = sfn.callJson("AWSStepFunctions.DescribeExecution", "1.0", StoredJson.MAPPER.createObjectNode()
                    .put("executionArn", StepFunctionsLauncher.executionArn(stateMachineArnPrefix, program, executionName)));
        } catch (AwsServiceException e) {
            if ("ExecutionDoesNotExist".equals(e.awsErrorDetails().errorCode())) {
                return Optional.empty();
            }
            throw e;
        }
        return Optional.of(new ExecutionState(answer.path("status").asText(), answer.path("error").asText(null),
                answer.path("cause").asText(null)));
    }
}
