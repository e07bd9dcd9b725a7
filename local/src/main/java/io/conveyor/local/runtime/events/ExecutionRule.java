package io.conveyor.local.runtime.events;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conveyor.asl.task.LambdaInvoker.LambdaServiceException;
import io.conveyor.deployment.ExecutionRuleSpec;
import io.conveyor.local.runtime.lambda.InProcessLambda;
import io.conveyor.local.runtime.lambda.Invocation;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A rule on the default bus, locally: the execution status changes of the given state machines with one of the
 * rule's statuses go to its function, invoked asynchronously. As with Lambda's asynchronous invocation, a
 * function error (or a throttle) is retried twice (after 1 and 2 minutes on AWS, times the time scale here); then the event is
 * dropped with a warning. Like an EventBridge rule it can be disabled ({@link #enabled(boolean)}): while disabled it
 * matches nothing, and the events of that time are lost to it, as on AWS.
 */
public final class ExecutionRule implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ExecutionRule.class);
    static final int ATTEMPTS = 3;
    private static final Duration FIRST_RETRY = Duration.ofMinutes(1);

    private final ExecutionRuleSpec spec;
    private final Set<String> stateMachineArns;
    private final InProcessLambda lambda;
    private final double timeScale;
    private volatile boolean enabled = true;
    private final ScheduledExecutorService deliveries = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "execution-rule");
        t.setDaemon(true);
        return t;
    });

    private ExecutionRule(ExecutionRuleSpec spec, Set<String> stateMachineArns, InProcessLambda lambda, double timeScale) {
        this.spec = spec;
        this.stateMachineArns = Set.copyOf(stateMachineArns);
        this.lambda = lambda;
        this.timeScale = timeScale;
    }

    /** Starts sending the matching events recorded in {@code bus} from now on. */
    public static ExecutionRule attach(ExecutionRuleSpec spec, Set<String> stateMachineArns, EventLog bus,
            InProcessLambda lambda, double timeScale) {
        ExecutionRule rule = new ExecutionRule(spec, stateMachineArns, lambda, timeScale);
        bus.subscribe(rule::offer);
        return rule;
    }

    /** EventBridge's EnableRule and DisableRule. */
    public void enabled(boolean enabled) {
        this.enabled = enabled;
        LOG.info("rule {} {}", spec.name(), enabled ? "enabled" : "disabled");
    }

    boolean matches(RecordedEvent event) {
        return enabled && event.bus().equals(ExecutionStatusEvents.DEFAULT_BUS)
                && event.source().equals(ExecutionRuleSpec.SOURCE)
                && event.detailType().equals(ExecutionRuleSpec.DETAIL_TYPE)
                && spec.statuses().contains(event.detail().path("status").asText())
                && stateMachineArns.contains(event.detail().path("stateMachineArn").asText());
    }

    private void offer(RecordedEvent event) {
        if (matches(event)) {
            // A rule's target gets the envelope without the bus's name.
            ObjectNode envelope = event.envelope();
            envelope.remove("event-bus-name");
            deliveries.execute(() -> deliver(envelope.toString(), 1));
        }
    }

    private void deliver(String event, int attempt) {
        Invocation result;
        try {
            result = lambda.invocation(spec.function(), event);
        } catch (LambdaServiceException e) {
            if (e.errorCode().equals("TooManyRequestsException")) {
                // Lambda keeps a throttled asynchronous event and tries it again later, as it does a failed one.
                retryOrDrop(event, attempt, e.getMessage());
            } else {
                LOG.warn("rule {} could not invoke {}; the event is dropped: {}", spec.name(), spec.function(), event, e);
            }
            return;
        } catch (RuntimeException e) {
            LOG.warn("rule {} could not invoke {}; the event is dropped: {}", spec.name(), spec.function(), event, e);
            return;
        }
        if (!result.failed()) {
            LOG.info("rule {}: {} returned {}", spec.name(), spec.function(), result.payload());
        } else {
            retryOrDrop(event, attempt, result.payload());
        }
    }

    private void retryOrDrop(String event, int attempt, String why) {
        if (attempt < ATTEMPTS) {
            long delayNanos = (long) (FIRST_RETRY.toNanos() * (1L << (attempt - 1)) * timeScale);
            LOG.warn("rule {}: {} failed ({}); retrying", spec.name(), spec.function(), why);
            deliveries.schedule(() -> deliver(event, attempt + 1), delayNanos, TimeUnit.NANOSECONDS);
        } else {
            LOG.warn("rule {}: {} failed {} times; the event is dropped: {}", spec.name(), spec.function(), ATTEMPTS, event);
        }
    }

    @Override
    public void close() {
        deliveries.shutdownNow();
    }
}
