package io.conveyor.deployment;

/**
 * A function run on a schedule by an EventBridge rule.
 *
 * @param name       the rule's logical name
 * @param expression the schedule, in EventBridge syntax ({@code rate(1 hour)}, {@code cron(...)})
 * @param function   the logical name of the function it runs
 */
public record ScheduleSpec(String name, String expression, String function) {}
