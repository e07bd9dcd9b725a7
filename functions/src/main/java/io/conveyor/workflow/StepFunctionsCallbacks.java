package io.conveyor.workflow;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.InvalidTokenException;
import software.amazon.awssdk.services.sfn.model.TaskDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.TaskTimedOutException;

/** {@link TaskCallbacks} through the Step Functions API. */
public final class StepFunctionsCallbacks implements TaskCallbacks {
    private static final Logger LOG = LoggerFactory.getLogger(StepFunctionsCallbacks.class);
    /** Step Functions caps a task failure's cause at 32,768 characters. */
    private static final int MAX_CAUSE = 32_768;

    private final SfnClient sfn;

    public StepFunctionsCallbacks(SfnClient sfn) {
        this.sfn = sfn;
    }

    @Override
    public void succeed(String taskToken, String outputJson) {
        try {
            sfn.sendTaskSuccess(r -> r.taskToken(taskToken).output(outputJson));
        } catch (TaskTimedOutException | TaskDoesNotExistException | InvalidTokenException ended) {
            LOG.info("task already ended, not resumed: {}", ended.getMessage());
        }
    }

    @Override
    public void fail(String taskToken, String error, String cause) {
        String shortCause = cause.length() > MAX_CAUSE ? cause.substring(0, MAX_CAUSE) : cause;
        try {
            sfn.sendTaskFailure(r -> r.taskToken(taskToken).error(error).cause(shortCause));
        } catch (TaskTimedOutException | TaskDoesNotExistException | InvalidTokenException ended) {
            LOG.info("task already ended, not failed: {}", ended.getMessage());
        }
    }
}
