package io.conveyor.deployment;

import java.util.List;

/**
 * An EventBridge rule on the account's default bus that sends Step Functions' {@code Step Functions Execution
 * Status Change} events of the job workflows' executions (never of their map runs' child executions) to a
 * function. Step Functions delivers these events on a best-effort basis.
 *
 * @param name     the rule's logical name
 * @param statuses the execution statuses that match ({@code RUNNING}, {@code SUCCEEDED}, {@code FAILED},
 *                 {@code TIMED_OUT}, {@code ABORTED})
 * @param function the logical name of the function it invokes
 */
public record ExecutionRuleSpec(String name, List<String> statuses, String function) {
    /** The event's {@code source}. */
    public static final String SOURCE = "aws.states";
    /** The event's {@code detail-type}. */
    public static final String DETAIL_TYPE = "Step Functions Execution Status Change";

    public ExecutionRuleSpec {
        statuses = List.copyOf(statuses);
    }
}
