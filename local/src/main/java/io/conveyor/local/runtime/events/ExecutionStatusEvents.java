package io.conveyor.local.runtime.events;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conveyor.deployment.ExecutionRuleSpec;
import io.conveyor.asl.engine.Execution;
import io.conveyor.asl.engine.ExecutionListener;
import io.conveyor.asl.engine.ExecutionStatus;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Puts the engine's execution status changes on the account's default bus, as Step Functions does: a
 * {@code Step Functions Execution Status Change} event whose detail is what DescribeExecution returns.
 */
public final class ExecutionStatusEvents implements ExecutionListener {
    /** The bus AWS services send their events to. */
    public static final String DEFAULT_BUS = "default";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final EventLog log;
    private final String account;
    private final String region;

    public ExecutionStatusEvents(EventLog log, String account, String region) {
        this.log = log;
        this.account = account;
        this.region = region;
    }

    @Override
    public void statusChanged(Execution execution, ExecutionStatus status) {
        boolean ended = status != ExecutionStatus.RUNNING;
        Instant stopped = ended ? execution.stopDate() : null;
        ObjectNode detail = JSON.createObjectNode();
        detail.put("executionArn", execution.executionArn());
        detail.put("stateMachineArn", execution.stateMachineArn());
        detail.put("name", execution.name());
        detail.put("status", status.name());
        detail.put("startDate", execution.startDate().toEpochMilli());
        if (stopped != null) {
            detail.put("stopDate", stopped.toEpochMilli());
        } else {
            detail.putNull("stopDate");
        }
        detail.put("input", execution.input().toString());
        detail.putObject("inputDetails").put("included", true);
        if (ended && execution.output() != null) {
            detail.put("output", execution.output().toString());
            detail.putObject("outputDetails").put("included", true);
        } else {
            detail.putNull("output");
            detail.putNull("outputDetails");
        }
        if (ended && execution.error() != null) {
            detail.put("error", execution.error());
            detail.put("cause", execution.cause());
        }
        Instant at = stopped != null ? stopped : execution.startDate();
        log.record(new RecordedEvent(UUID.randomUUID().toString(), DEFAULT_BUS, ExecutionRuleSpec.SOURCE,
                ExecutionRuleSpec.DETAIL_TYPE, detail, List.of(execution.executionArn()), at, account, region));
    }
}
