package io.conveyor.workflow.aws;

import io.conveyor.admission.TaskCallbacks;
import io.conveyor.aws.AwsHttpService;
import io.conveyor.persistence.StoredJson;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/**
 * {@link TaskCallbacks} through the Step Functions API: SendTaskSuccess, SendTaskFailure and SendTaskHeartbeat in its JSON protocol,
 * through {@link AwsHttpService} (the SDK's client would add 1.4 MB of model classes to the functions' jar).
 */
public final class StepFunctionsCallbacks implements TaskCallbacks {
    private static final Logger LOG = LoggerFactory.getLogger(StepFunctionsCallbacks.class);
    /** Step Functions caps a task failure's cause at 32,768 characters. */
    private static final int MAX_CAUSE = 32_768;

    /** The errors of a task that ended (timed out, or its execution stopped) before its callback came. */
    private static final Set<String> TASK_ENDED = Set.of("TaskTimedOut", "TaskDoesNotExist", "InvalidToken");

    private final AwsHttpService sfn;

    /** @param sfn the Step Functions service ({@code AwsClients.stepFunctions()}) */
    public StepFunctionsCallbacks(AwsHttpService sfn) {
        this.sfn = sfn;
    }

    @Override
    public boolean succeed(String taskToken, String outputJson) {
        try {
            sfn.callJson("AWSStepFunctions.SendTaskSuccess", "1.0", StoredJson.MAPPER.createObjectNode()
                    .put("taskToken", taskToken).put("output", outputJson));
            return true;
        } catch (AwsServiceException e) {
            return taskEnded(e, "resumed");
        }
    }

    @Override
    public boolean fail(String taskToken, String error, String cause) {
        String shortCause = cause.length() > MAX_CAUSE ? cause.substring(0, MAX_CAUSE) : cause;
        try {
            sfn.callJson("AWSStepFunctions.SendTaskFailure", "1.0", StoredJson.MAPPER.createObjectNode()
                    .put("taskToken", taskToken).put("error", error).put("cause", shortCause));
            return true;
        } catch (AwsServiceException e) {
            return taskEnded(e, "failed");
        }
    }

    @Override
    public boolean heartbeat(String taskToken) {
        try {
            sfn.callJson("AWSStepFunctions.SendTaskHeartbeat", "1.0", StoredJson.MAPPER.createObjectNode()
                    .put("taskToken", taskToken));
            return true;
        } catch (AwsServiceException e) {
            return taskEnded(e, "heartbeaten");
        }
    }

    /** Logs a callback for a task that ended already and answers false; rethrows any other error. */
    private static boolean taskEnded(AwsServiceException e, String not) {
        if (!TASK_ENDED.contains(e.awsErrorDetails().errorCode())) {
            throw e;
        }
        LOG.info("task already ended, not {}: {}", not, e.getMessage());
        return false;
    }
}
