package io.conveyor.local.runtime.schedule;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conveyor.local.runtime.lambda.InProcessLambda;
import io.conveyor.local.runtime.lambda.Invocation;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * EventBridge scheduled rules, locally: each rule invokes its function with a {@code Scheduled Event} every period
 * (times the time scale), the first time one period after it is added. Runs of one rule never overlap: a run that
 * overruns its period delays the next. Every run is kept in {@link #firings()} and logged.
 */
public final class Scheduler implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Scheduler.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One run of a rule. */
    public record Firing(String rule, Instant at, Invocation invocation) {}

    private record Rule(String name, ScheduleExpression expression, String function, String arn) {}

    private final InProcessLambda lambda;
    private final String account;
    private final String region;
    private final Clock clock;
    private final double timeScale;
    private final Map<String, Rule> rules = new ConcurrentHashMap<>();
    private final List<Firing> firings = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService timer = Executors.newScheduledThreadPool(1, r -> {
        Thread t = new Thread(r, "scheduler");
        t.setDaemon(true);
        return t;
    });

    /**
     * @param timeScale multiplies every period (0.001 runs an hourly rule every 3.6 s)
     */
    public Scheduler(InProcessLambda lambda, String account, String region, Clock clock, double timeScale) {
        this.lambda = lambda;
        this.account = account;
        this.region = region;
        this.clock = clock;
        this.timeScale = timeScale;
    }

    /**
     * Adds a rule.
     *
     * @param ruleArn the rule's ARN, the scheduled event's only resource
     */
    public void add(String name, ScheduleExpression expression, String function, String ruleArn) {
        Rule rule = new Rule(name, expression, function, ruleArn);
        rules.put(name, rule);
        long periodNanos = Math.max(1_000_000L, (long) (expression.period().toNanos() * timeScale));
        timer.scheduleAtFixedRate(() -> run(rule), periodNanos, periodNanos, TimeUnit.NANOSECONDS);
        LOG.info("rule {} runs {} every {}{}", name, function, expression,
                timeScale == 1.0 ? "" : " (scaled: every " + Duration.ofNanos(periodNanos) + ")");
    }

    /** Runs a rule now, outside its schedule, and returns the invocation. */
    public Invocation fire(String name) {
        Rule rule = rules.get(name);
        if (rule == null) {
            throw new IllegalArgumentException("no rule " + name + "; the rules are " + rules.keySet());
        }
        return run(rule);
    }

    /** Every run so far, oldest first. */
    public List<Firing> firings() {
        return List.copyOf(firings);
    }

    private synchronized Invocation run(Rule rule) {
        Instant at = clock.instant();
        Invocation result;
        try {
            result = lambda.invocation(rule.function(), event(rule, at));
        } catch (RuntimeException e) {
            LOG.error("rule {} could not invoke {}", rule.name(), rule.function(), e);
            return null;
        }
        firings.add(new Firing(rule.name(), at, result));
        if (result.failed()) {
            LOG.warn("rule {}: {} failed: {}", rule.name(), rule.function(), result.payload());
        } else {
            // Each function logs what its run did; the worker sweep's rule fires every minute.
            LOG.debug("rule {}: {} returned {}", rule.name(), rule.function(), result.payload());
        }
        return result;
    }

    /** The event EventBridge sends a scheduled rule's target. */
    String event(Rule rule, Instant at) {
        ObjectNode e = JSON.createObjectNode();
        e.put("version", "0");
        e.put("id", UUID.randomUUID().toString());
        e.put("detail-type", "Scheduled Event");
        e.put("source", "aws.events");
        e.put("account", account);
        e.put("time", at.truncatedTo(ChronoUnit.SECONDS).toString());
        e.put("region", region);
        e.putArray("resources").add(rule.arn());
        e.putObject("detail");
        return e.toString();
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
