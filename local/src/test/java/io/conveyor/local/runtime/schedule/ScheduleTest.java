package io.conveyor.local.runtime.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.conveyor.deployment.FunctionSpec;
import io.conveyor.scenarios.Await;
import io.conveyor.local.runtime.lambda.InProcessLambda;
import io.conveyor.local.runtime.lambda.TestHandlers;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScheduleTest {
    @Test
    void parse_rateExpressions_asEventBridgeWritesThem() {
        assertEquals(Duration.ofHours(1), ScheduleExpression.parse("rate(1 hour)").period());
        assertEquals(Duration.ofMinutes(5), ScheduleExpression.parse("rate(5 minutes)").period());
        assertEquals(Duration.ofDays(2), ScheduleExpression.parse(" rate(2 days) ").period());
        assertEquals(Duration.ofSeconds(30), ScheduleExpression.parse("rate(30 seconds)").period(), "a local extension");
    }

    @Test
    void parse_refusesWhatEventBridgeRefuses_sayingWhy() {
        for (String bad : List.of("rate(1 hours)", "rate(5 minute)", "rate(0 minutes)", "rate(an hour)", "every hour",
                "rate(3 weeks)", "")) {
            var e = assertThrows(IllegalArgumentException.class, () -> ScheduleExpression.parse(bad), bad);
            assertTrue(e.getMessage().contains("rate("), e.getMessage());
        }
        var cron = assertThrows(IllegalArgumentException.class, () -> ScheduleExpression.parse("cron(0 * * * ? *)"));
        assertTrue(cron.getMessage().contains("rate(...) schedules only"), cron.getMessage());
    }

    @Test
    void scheduler_invokesTheFunctionWithAScheduledEventEveryScaledPeriod() throws Exception {
        try (InProcessLambda lambda = new InProcessLambda();
             Scheduler scheduler = new Scheduler(lambda, "000000000000", "us-east-1", Clock.systemUTC(), 0.0005)) {
            lambda.deploy(new FunctionSpec("Tick", TestHandlers.ScheduledHandler.class.getName(), 512,
                    Duration.ofSeconds(5), List.of()), "arn:aws:lambda:us-east-1:000000000000:function:Tick", Map.of());

            scheduler.add("TickRule", ScheduleExpression.parse("rate(1 minute)"), "Tick",
                    "arn:aws:events:us-east-1:000000000000:rule/TickRule");

            Await.until("three runs", Duration.ofSeconds(20), () -> scheduler.firings().size() >= 3);
            var first = scheduler.firings().get(0);
            assertEquals("TickRule", first.rule());
            assertFalse(first.invocation().failed(), first.invocation().payload());
            var seen = new ObjectMapper().readTree(first.invocation().payload());
            assertEquals("Scheduled Event", seen.path("detailType").asText());
            assertEquals("aws.events", seen.path("source").asText());
            assertEquals("arn:aws:events:us-east-1:000000000000:rule/TickRule", seen.path("resource").asText());
        }
    }

    @Test
    void fire_runsARuleNow_andUnknownRulesAreNamed() {
        try (InProcessLambda lambda = new InProcessLambda();
             Scheduler scheduler = new Scheduler(lambda, "000000000000", "us-east-1", Clock.systemUTC(), 1.0)) {
            lambda.deploy(new FunctionSpec("Tock", TestHandlers.ScheduledHandler.class.getName(), 512,
                    Duration.ofSeconds(5), List.of()), "arn:aws:lambda:us-east-1:000000000000:function:Tock", Map.of());
            scheduler.add("Hourly", ScheduleExpression.parse("rate(1 hour)"), "Tock",
                    "arn:aws:events:us-east-1:000000000000:rule/Hourly");

            assertFalse(scheduler.fire("Hourly").failed());
            assertEquals(1, scheduler.firings().size());
            var e = assertThrows(IllegalArgumentException.class, () -> scheduler.fire("Daily"));
            assertTrue(e.getMessage().contains("Hourly"), e.getMessage());
        }
    }
}
