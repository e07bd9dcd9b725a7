package io.conveyor.watchdog;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.conveyor.deployment.Catalogue;
import io.conveyor.metrics.EmbeddedMetrics;
import io.conveyor.persistence.StoredJson;
import io.conveyor.testing.FixedContext;
import io.conveyor.testing.LocalAws;
import io.conveyor.testing.MutableClock;
import io.conveyor.worker.WorkQueue;
import io.conveyor.worker.WorkerDeaths;
import io.conveyor.worker.WorkerEvents;
import io.conveyor.workflow.RecordingEvents;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The worker sweep's function on the DynamoDB emulator: what it announces, and the metric it publishes. */
class WorkerSweepHandlerTest {
    private static final Instant T0 = Instant.parse("2026-12-06T10:00:00Z");

    private final MutableClock clock = new MutableClock(T0);
    private final RecordingEvents events = new RecordingEvents();
    private final List<String> emf = new ArrayList<>();

    @Test
    void aRun_announcesTheWorkersPastTheirDeadline_andCountsThemInItsMetric() throws Exception {
        LocalAws.Deployment deployment = LocalAws.get().newDeployment();
        WorkQueue queue = new WorkQueue(deployment.dynamoDb(), deployment.settings().workQueueTable());
        queue.register(worker("gone", T0.plusSeconds(30)));
        queue.register(worker("still-here", T0.plusSeconds(120)));
        WorkerSweepHandler handler = new WorkerSweepHandler(new WorkerDeaths(queue, events),
                new EmbeddedMetrics(Catalogue.METRICS_NAMESPACE, clock, emf::add), "conveyor-workersweep", clock);

        clock.advance(Duration.ofSeconds(61));
        assertEquals(new WorkerDeaths.Sweep(1, false), handler.handleRequest(Map.of(), new FixedContext(60_000)));
        assertEquals(List.of(new RecordingEvents.WorkerEvent(WorkerEvents.DIED, "gone", "alice", clock.instant())),
                events.workers);
        assertEquals(1, workersFoundDead(), emf.toString());

        assertEquals(new WorkerDeaths.Sweep(0, false), handler.handleRequest(Map.of(), new FixedContext(60_000)),
                "a death is announced once");
        assertEquals(0, workersFoundDead(), emf.toString());
        assertEquals(1, events.workers.size(), events.workers.toString());
    }

    private static WorkQueue.Worker worker(String id, Instant deadline) {
        return new WorkQueue.Worker(id, "alice", List.of("render"), List.of("gpu"), Duration.ofSeconds(30), deadline, T0,
                null, List.of("alice"));
    }

    /** The metric of the last EMF line, after checking it is declared with the Service dimension. */
    private int workersFoundDead() throws Exception {
        JsonNode line = StoredJson.MAPPER.readTree(emf.get(emf.size() - 1));
        JsonNode directive = line.path("_aws").path("CloudWatchMetrics").path(0);
        assertEquals("[[\"Service\"]]", directive.path("Dimensions").toString());
        assertEquals("WorkersFoundDead", directive.path("Metrics").path(0).path("Name").asText());
        assertEquals("conveyor-workersweep", line.path("Service").asText());
        return line.path("WorkersFoundDead").asInt();
    }
}
