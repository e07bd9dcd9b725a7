package io.conveyor.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.conveyor.deployment.WorkflowErrors;
import io.conveyor.persistence.StoredJson;
import io.conveyor.program.ProgramRegistry;
import io.conveyor.storage.ObjectStore;
import io.conveyor.testing.LocalAws;
import io.conveyor.testing.MutableClock;
import io.conveyor.worker.WorkQueue;
import io.conveyor.worker.WorkerIdentities;
import io.conveyor.workflow.RecordingCallbacks;
import io.conveyor.workflow.RecordingEvents;
import io.conveyor.worker.WorkerDeaths;
import io.conveyor.worker.WorkerEvents;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The worker protocol on the DynamoDB emulator and S3Proxy, with the workflow's side played by the test: it offers
 * subjobs with task tokens and hands claims over as OfferSubJob and AwaitWorker do, and reads what the service sent to
 * each token.
 */
class WorkerServiceTest {
    private static final Instant T0 = Instant.parse("2026-12-06T10:00:00Z");
    private static final String PROGRAMS = """
            [{"name": "render", "implementation": "java:com.example.Render", "worker": "external",
              "external": {"capabilities": ["gpu", "memoryGiB>=64"], "heartbeatSeconds": 30}, "subJobTimeoutSeconds": 600}]""";
    private static final Caller ALICE = new Caller("alice");
    private static final Caller MALLORY = new Caller("mallory");
    /** A worker identity the deployment lets work for alice. */
    private static final Caller FARM = new Caller("farm");

    private final MutableClock clock = new MutableClock(T0);
    private final RecordingCallbacks callbacks = new RecordingCallbacks();
    private final RecordingEvents events = new RecordingEvents();
    private final AtomicInteger ids = new AtomicInteger();
    private WorkQueue queue;
    private WorkerService workers;

    @BeforeEach
    void wire() {
        LocalAws.Deployment deployment = LocalAws.get().newDeployment();
        queue = new WorkQueue(deployment.dynamoDb(), deployment.settings().workQueueTable());
        ObjectStore objects = new ObjectStore(deployment.s3(), deployment.presigner(), deployment.settings().bucket(), clock);
        workers = new WorkerService(queue, deployment.jobs(), objects,
                ProgramRegistry.from(Map.of(ProgramRegistry.SETTING, PROGRAMS)),
                WorkerIdentities.from(Map.of(WorkerIdentities.SETTING, "{\"farm\": [\"alice\"]}")), callbacks, events, clock,
                () -> "id-" + ids.incrementAndGet(), clock::advance);
    }

    private String register(Caller caller) {
        return workers.register(caller, List.of("render"), List.of("gpu", "memoryGiB=128"), Duration.ofSeconds(60), null, Optional.empty()).id();
    }

    /** OfferSubJob's part: subjob {@code index} of alice's job waits with its offer token. */
    private void offer(int index) {
        queue.offer(new WorkQueue.Offer("job-1", 1, index, "render", "alice", "{\"frame\":" + index + "}"),
                "offer-" + index, clock.instant(), Duration.ofMinutes(10));
    }

    /** AwaitWorker's part: the workflow resumed by the claim hands the subjob over with its run token. */
    private void handOver(WorkerService.Assignment a) {
        String claimId = StoredJson.MAPPER.valueToTree(StoredJson.readStringMap(
                callbacks.outcomes.get("offer-" + a.index()).output())).path("claimId").asText();
        assertTrue(queue.handOver(a.jobId(), a.attempt(), a.index(), claimId, "run-" + a.index() + "-" + claimId));
    }

    private String runToken(WorkerService.Assignment a) {
        return "run-" + a.index() + "-" + a.taskId().substring(a.taskId().lastIndexOf('.') + 1);
    }

    @Test
    void registration_refusesWhatCouldNeverTakeASubjob_sayingWhatIsMissing() {
        ApiException lacking = assertThrows(ApiException.class, () -> workers.register(ALICE, List.of("render"),
                List.of("gpu", "memoryGiB=32"), Duration.ofSeconds(60), null, Optional.empty()));
        assertEquals("CapabilitiesDoNotMatch", lacking.code());
        assertTrue(lacking.getMessage().contains("[memoryGiB>=64]"), lacking.getMessage());
        assertEquals("NotAnExternalProgram", assertThrows(ApiException.class, () -> workers.register(ALICE,
                List.of("primes"), List.of(), Duration.ofSeconds(60), null, Optional.empty())).code());
        assertEquals("UnknownProgram", assertThrows(ApiException.class, () -> workers.register(ALICE,
                List.of("nope"), List.of(), Duration.ofSeconds(60), null, Optional.empty())).code());
        assertEquals(400, assertThrows(ApiException.class, () -> workers.register(ALICE, List.of("render"),
                List.of("gpu", "memoryGiB=128"), Duration.ofSeconds(5), null, Optional.empty())).status(), "a lease shorter than a poll");
        ApiException badName = assertThrows(ApiException.class, () -> workers.register(ALICE, List.of("render"),
                List.of("gpu", "memoryGiB=128"), Duration.ofSeconds(60), "line\nbreak", Optional.empty()));
        assertEquals(400, badName.status());
        assertTrue(badName.getMessage().contains("'name'"), badName.getMessage());
    }

    @Test
    void aPoll_claimsTheOldestSubjob_resumesItsOfferTask_andAnswersGoToTheRunTask() {
        offer(0);
        clock.advance(Duration.ofSeconds(1));
        offer(1);
        String worker = register(ALICE);
        WorkerService.Assignment first = workers.poll(ALICE, worker, Duration.ZERO).orElseThrow();
        assertEquals(0, first.index());
        assertEquals(30, first.heartbeatSeconds());
        assertEquals(StoredJson.MAPPER.createObjectNode().put("frame", 0), first.input());
        assertTrue(callbacks.outcomes.get("offer-0").succeeded(), "the task waiting for a worker is resumed");
        handOver(first);

        workers.heartbeat(ALICE, worker, first.taskId());
        JsonNode output = StoredJson.MAPPER.createObjectNode().put("pixels", 42);
        workers.complete(ALICE, worker, first.taskId(), output, Duration.ofSeconds(3));
        RecordingCallbacks.Outcome answered = callbacks.outcomes.get(runToken(first));
        assertTrue(answered.succeeded());
        JsonNode outcome = StoredJson.MAPPER.valueToTree(StoredJson.read(answered.output(),
                new com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>>() {}));
        assertEquals("{\"pixels\":42}", outcome.path("output").asText());
        assertEquals(3000, outcome.path("durationMillis").asLong());

        assertEquals(1, workers.poll(ALICE, worker, Duration.ZERO).orElseThrow().index());
        assertEquals(Optional.empty(), workers.poll(ALICE, worker, Duration.ofSeconds(2)), "nothing left, after waiting");
    }

    @Test
    void anotherUsersWorker_neverSeesTheSubjob_norCanAnswerForIt() {
        offer(0);
        String alices = register(ALICE);
        String mallorys = register(MALLORY);
        assertEquals(Optional.empty(), workers.poll(MALLORY, mallorys, Duration.ZERO));
        WorkerService.Assignment a = workers.poll(ALICE, alices, Duration.ZERO).orElseThrow();
        handOver(a);
        assertEquals("WorkerNotFound", assertThrows(ApiException.class,
                () -> workers.heartbeat(MALLORY, alices, a.taskId())).code());
        assertEquals("SubJobNotHeld", assertThrows(ApiException.class,
                () -> workers.complete(MALLORY, mallorys, a.taskId(), StoredJson.MAPPER.nullNode(), Duration.ZERO)).code());
        // A claim that is not the subjob's current one (forged, or from before it was offered again) is not this worker's.
        assertEquals("SubJobTakenAway", assertThrows(ApiException.class,
                () -> workers.heartbeat(ALICE, alices, "job-1.1.0.forged")).code());
        assertEquals("SubJobNotHeld", assertThrows(ApiException.class,
                () -> workers.heartbeat(ALICE, alices, "job-1.1.7.forged")).code(), "no such subjob");
        assertEquals("SubJobNotHeld", assertThrows(ApiException.class,
                () -> workers.heartbeat(ALICE, alices, "not a task")).code());
    }

    @Test
    void list_showsTheCallersWorkersOnly_withHealthLastCallAndHoldings() {
        offer(0);
        offer(1);
        String busy = register(ALICE);
        String idle = register(ALICE);
        register(MALLORY);
        WorkerService.Assignment a = workers.poll(ALICE, busy, Duration.ZERO).orElseThrow();
        handOver(a);
        clock.advance(Duration.ofSeconds(40));
        workers.heartbeat(ALICE, busy, a.taskId());
        clock.advance(Duration.ofSeconds(30)); // the idle worker, silent for 70 s of its 60 s lease, is dead

        List<WorkerService.WorkerStatus> alices = workers.list(ALICE);
        assertEquals(List.of(busy, idle), alices.stream().map(s -> s.worker().id()).toList());
        WorkerService.WorkerStatus first = alices.get(0);
        assertTrue(first.alive());
        assertEquals(T0.plusSeconds(40), first.lastCallAt(), "its heartbeat was its last call");
        assertEquals(List.of(new WorkQueue.Offer("job-1", 1, 0, "render", "alice", "{\"frame\":0}")), first.held());
        assertFalse(alices.get(1).alive());
        assertEquals(T0, alices.get(1).lastCallAt());
        assertEquals(List.of(), alices.get(1).held());
        assertEquals(List.of(List.of()), workers.list(MALLORY).stream().map(WorkerService.WorkerStatus::held).toList(),
                "mallory sees her one worker, holding nothing, and none of alice's");

        workers.complete(ALICE, busy, a.taskId(), StoredJson.MAPPER.createObjectNode(), Duration.ZERO);
        assertEquals(List.of(), workers.list(ALICE).get(0).held(), "an answered subjob is no longer held");
    }

    @Test
    void workerEvents_registeredAtOnce_diedOnceByWhicheverCallFindsItFirst() {
        String quiet = register(ALICE);
        String late = register(ALICE);
        assertEquals(List.of(new RecordingEvents.WorkerEvent(WorkerEvents.REGISTERED, quiet, "alice", T0),
                new RecordingEvents.WorkerEvent(WorkerEvents.REGISTERED, late, "alice", T0)), events.workers);
        events.workers.clear();
        clock.advance(Duration.ofSeconds(30));
        workers.list(ALICE);
        assertEquals(List.of(), events.workers, "nobody is dead yet");

        clock.advance(Duration.ofSeconds(31));
        Instant found = clock.instant();
        assertEquals(410, assertThrows(ApiException.class, () -> workers.poll(ALICE, late, Duration.ZERO)).status());
        assertEquals(List.of(new RecordingEvents.WorkerEvent(WorkerEvents.DIED, late, "alice", found)), events.workers,
                "its own late call found it dead");
        clock.advance(Duration.ofSeconds(1));
        workers.list(ALICE);
        workers.list(ALICE);
        assertThrows(ApiException.class, () -> workers.poll(ALICE, late, Duration.ZERO));
        assertEquals(List.of(new RecordingEvents.WorkerEvent(WorkerEvents.DIED, late, "alice", found),
                new RecordingEvents.WorkerEvent(WorkerEvents.DIED, quiet, "alice", found.plusSeconds(1))), events.workers,
                "the silent one is found by its owner's listing; each death is announced once");
    }

    @Test
    void theSweep_announcesTheDeathsNobodyCallsAbout_onceEach_andLeavesTheLivingAndTheAnnouncedAlone() {
        WorkerDeaths deaths = new WorkerDeaths(queue, events);
        String silent = register(ALICE);
        String busy = register(ALICE);
        String mallorys = register(MALLORY);
        events.workers.clear();
        assertEquals(new WorkerDeaths.Sweep(0, false), deaths.sweep(clock.instant(), 10), "nobody is overdue yet");

        clock.advance(Duration.ofSeconds(30));
        workers.poll(ALICE, busy, Duration.ZERO); // its deadline moves to 90 s
        clock.advance(Duration.ofSeconds(31));
        Instant swept = clock.instant();
        assertEquals(new WorkerDeaths.Sweep(2, false), deaths.sweep(swept, 10));
        assertEquals(List.of(new RecordingEvents.WorkerEvent(WorkerEvents.DIED, silent, "alice", swept),
                new RecordingEvents.WorkerEvent(WorkerEvents.DIED, mallorys, "mallory", swept)),
                events.workers.stream().sorted(java.util.Comparator.comparing(RecordingEvents.WorkerEvent::owner)).toList(),
                "every owner's silent worker, and not the one that called in");
        assertEquals(new WorkerDeaths.Sweep(0, false), deaths.sweep(swept.plusSeconds(1), 10), "announced once");
        workers.list(ALICE);
        assertEquals(2, events.workers.size(), "a listing does not announce what the sweep did: " + events.workers);

        clock.advance(Duration.ofSeconds(30));
        workers.list(ALICE);
        assertEquals(new RecordingEvents.WorkerEvent(WorkerEvents.DIED, busy, "alice", clock.instant()),
                events.workers.get(2), "its owner's listing found the busy one first");
        assertEquals(new WorkerDeaths.Sweep(0, false), deaths.sweep(clock.instant(), 10), "and the sweep leaves it");
        assertEquals(3, events.workers.size(), events.workers.toString());
    }

    @Test
    void theSweep_stopsAtItsLimit_andTheNextTakesTheRest() {
        WorkerDeaths deaths = new WorkerDeaths(queue, events);
        for (int i = 0; i < 3; i++) {
            register(ALICE);
        }
        events.workers.clear();
        clock.advance(Duration.ofSeconds(61));
        assertEquals(new WorkerDeaths.Sweep(2, true), deaths.sweep(clock.instant(), 2));
        assertEquals(new WorkerDeaths.Sweep(1, false), deaths.sweep(clock.instant(), 2));
        assertEquals(3, events.workers.stream().map(RecordingEvents.WorkerEvent::workerId).distinct().count(),
                events.workers.toString());
    }

    @Test
    void aWorkerThatMissedItsDeadline_isDead_andItsLateAnswerChangesNothing() {
        offer(0);
        String dead = register(ALICE);
        WorkerService.Assignment held = workers.poll(ALICE, dead, Duration.ZERO).orElseThrow();
        handOver(held);
        clock.advance(Duration.ofSeconds(61));
        ApiException expired = assertThrows(ApiException.class, () -> workers.heartbeat(ALICE, dead, held.taskId()));
        assertEquals(410, expired.status());
        assertEquals("WorkerExpired", expired.code());

        // Its heartbeat timed out: the workflow offers the subjob again, and another worker takes it.
        callbacks.fail(runToken(held), WorkflowErrors.HEARTBEAT_TIMEOUT, "");
        queue.offer(new WorkQueue.Offer("job-1", 1, 0, "render", "alice", "{\"frame\":0}"), "offer-0b", clock.instant(),
                Duration.ofMinutes(10));
        String alive = register(ALICE);
        WorkerService.Assignment retaken = workers.poll(ALICE, alive, Duration.ZERO).orElseThrow();
        assertEquals(0, retaken.index());
        assertFalse(retaken.taskId().equals(held.taskId()));
    }

    @Test
    void aLateAnswer_afterTheSubjobWasTakenAway_isRefusedWith409_andChangesNothing() {
        offer(0);
        String slow = register(ALICE);
        WorkerService.Assignment held = workers.poll(ALICE, slow, Duration.ZERO).orElseThrow();
        handOver(held);
        // The heartbeat timed out (the run task ended) while the worker was still alive.
        callbacks.fail(runToken(held), WorkflowErrors.HEARTBEAT_TIMEOUT, "");
        ApiException late = assertThrows(ApiException.class, () -> workers.complete(ALICE, slow, held.taskId(),
                StoredJson.MAPPER.createObjectNode().put("big", "x".repeat(10_000)), Duration.ZERO));
        assertEquals(409, late.status());
        assertEquals("SubJobTakenAway", late.code());
        assertEquals(WorkflowErrors.HEARTBEAT_TIMEOUT, callbacks.outcomes.get(runToken(held)).error(), "the task's end stands");

        // Offered again: the former holder's claim no longer matches, whatever it answers.
        queue.offer(new WorkQueue.Offer("job-1", 1, 0, "render", "alice", "{\"frame\":0}"), "offer-0b", clock.instant(),
                Duration.ofMinutes(10));
        assertEquals("SubJobTakenAway", assertThrows(ApiException.class,
                () -> workers.fail(ALICE, slow, held.taskId(), "too late", false)).code());
    }

    @Test
    void aClaimTheApiNeverPassedOn_isTakenByAnotherWorkerAfterItsLease_andTheFirstClaimantIsRefused() {
        offer(0);
        String first = workers.register(ALICE, List.of("render"), List.of("gpu", "memoryGiB=128"), Duration.ofMinutes(5), null, Optional.empty()).id();
        String second = workers.register(ALICE, List.of("render"), List.of("gpu", "memoryGiB=128"), Duration.ofMinutes(5), null, Optional.empty()).id();
        // A poll for the first worker claimed the subjob, and its API call died before SendTaskSuccess.
        queue.claim(queue.ready("render", "alice", clock.instant(), 1).get(0), first, "alice", "lost", clock.instant()).orElseThrow();
        assertEquals(Optional.empty(), workers.poll(ALICE, second, Duration.ZERO), "the claim holds during its lease");

        clock.advance(WorkQueue.CLAIM_LEASE.plusSeconds(1));
        WorkerService.Assignment retaken = workers.poll(ALICE, second, Duration.ZERO).orElseThrow();
        assertEquals(0, retaken.index());
        assertTrue(callbacks.outcomes.get("offer-0").output().contains(second), "the workflow got the second claim");
        handOver(retaken);

        String lostTask = "job-1.1.0.lost";
        for (org.junit.jupiter.api.function.Executable late : List.<org.junit.jupiter.api.function.Executable>of(
                () -> workers.heartbeat(ALICE, first, lostTask),
                () -> workers.complete(ALICE, first, lostTask, StoredJson.MAPPER.createObjectNode(), Duration.ZERO),
                () -> workers.fail(ALICE, first, lostTask, "late", false),
                () -> workers.decline(ALICE, first, lostTask, "late"))) {
            ApiException refused = assertThrows(ApiException.class, late);
            assertEquals(409, refused.status());
            assertEquals("SubJobTakenAway", refused.code());
        }
        assertFalse(callbacks.outcomes.containsKey(runToken(retaken)), "the refused answers reached nothing");
        workers.complete(ALICE, second, retaken.taskId(), StoredJson.MAPPER.createObjectNode().put("ok", true), Duration.ZERO);
        assertTrue(callbacks.outcomes.get(runToken(retaken)).succeeded());
    }

    @Test
    void anExpiredClaimThatDidReachTheWorkflow_isNotTakenAgain_andItsHandOverStands() {
        offer(0);
        String slow = register(ALICE);
        queue.claim(queue.ready("render", "alice", clock.instant(), 1).get(0), slow, "alice", "slow", clock.instant()).orElseThrow();
        callbacks.succeed("offer-0", "{\"claimId\":\"slow\"}"); // passed on; the hand-over is late
        clock.advance(WorkQueue.CLAIM_LEASE.plusSeconds(1));
        assertEquals(Optional.empty(), workers.poll(ALICE, register(ALICE), Duration.ZERO));
        assertTrue(queue.handOver("job-1", 1, 0, "slow", "run-slow"));
        assertEquals(slow, queue.offer("job-1", 1, 0).orElseThrow().workerId());
    }

    @Test
    void aWorkerIdentity_takesAndAnswersTheSubjobsOfTheOwnersItMayWorkFor_andNoOthers() {
        offer(0);
        queue.offer(new WorkQueue.Offer("job-m", 1, 0, "render", "mallory", "{\"frame\":9}"), "offer-m", clock.instant(),
                Duration.ofMinutes(10));
        WorkQueue.Worker farmWorker = workers.register(FARM, List.of("render"), List.of("gpu", "memoryGiB=128"),
                Duration.ofSeconds(60), null, Optional.empty());
        assertEquals(List.of("farm", "alice"), farmWorker.worksFor(), "its own subjobs, and alice's");
        WorkerService.Assignment a = workers.poll(FARM, farmWorker.id(), Duration.ZERO).orElseThrow();
        assertEquals("job-1", a.jobId(), "alice's subjob");
        handOver(a);
        assertEquals(Optional.empty(), workers.poll(FARM, farmWorker.id(), Duration.ofSeconds(2)), "never mallory's");

        // Only the identity that registered the worker acts as it; alice's own workers cannot answer for it.
        String alices = register(ALICE);
        assertEquals("WorkerNotFound", assertThrows(ApiException.class,
                () -> workers.heartbeat(ALICE, farmWorker.id(), a.taskId())).code());
        assertEquals("SubJobTakenAway", assertThrows(ApiException.class,
                () -> workers.heartbeat(ALICE, alices, a.taskId())).code(), "held by the farm's worker");
        workers.complete(FARM, farmWorker.id(), a.taskId(), StoredJson.MAPPER.createObjectNode().put("ok", 1), Duration.ZERO);
        assertTrue(callbacks.outcomes.get(runToken(a)).succeeded());

        // Mallory's subjob, named by a task id the farm's worker was never given, is not there for it.
        assertEquals("SubJobNotHeld", assertThrows(ApiException.class,
                () -> workers.heartbeat(FARM, farmWorker.id(), "job-m.1.0.forged")).code());
    }

    @Test
    void workingForAnOwnerTheDeploymentDoesNotAllow_isRefusedWith403() {
        ApiException refused = assertThrows(ApiException.class, () -> workers.register(FARM, List.of("render"),
                List.of("gpu", "memoryGiB=128"), Duration.ofSeconds(60), null, Optional.of(List.of("alice", "mallory"))));
        assertEquals(403, refused.status());
        assertEquals("NotAllowedToWorkFor", refused.code());
        assertTrue(refused.getMessage().contains("[mallory]"), refused.getMessage());
        assertEquals("NotAllowedToWorkFor", assertThrows(ApiException.class, () -> workers.register(MALLORY,
                List.of("render"), List.of("gpu", "memoryGiB=128"), Duration.ofSeconds(60),
                null, Optional.of(List.of("alice")))).code(), "an ordinary user works for itself only");
        assertEquals(400, assertThrows(ApiException.class, () -> workers.register(FARM, List.of("render"),
                List.of("gpu", "memoryGiB=128"), Duration.ofSeconds(60), null, Optional.of(List.of()))).status());

        // Narrowed to alice alone, the farm's worker does not take the farm's own subjobs.
        queue.offer(new WorkQueue.Offer("job-f", 1, 0, "render", "farm", "{\"frame\":1}"), "offer-f", clock.instant(),
                Duration.ofMinutes(10));
        WorkQueue.Worker forAlice = workers.register(FARM, List.of("render"), List.of("gpu", "memoryGiB=128"),
                Duration.ofSeconds(60), null, Optional.of(List.of("alice")));
        assertEquals(List.of("alice"), forAlice.worksFor());
        assertEquals(Optional.empty(), workers.poll(FARM, forAlice.id(), Duration.ZERO));
    }

    @Test
    void aDecline_failsTheRunTaskAsDeclined_andTheSubjobOfferedAgainGoesToAnotherWorker() {
        offer(0);
        String picky = register(ALICE);
        WorkerService.Assignment a = workers.poll(ALICE, picky, Duration.ZERO).orElseThrow();
        handOver(a);
        workers.decline(ALICE, picky, a.taskId(), "no licence today");
        assertEquals(WorkflowErrors.SUBJOB_DECLINED, callbacks.outcomes.get(runToken(a)).error());
        queue.offer(new WorkQueue.Offer("job-1", 1, 0, "render", "alice", "{\"frame\":0}"), "offer-0b", clock.instant(),
                Duration.ofMinutes(10));
        assertEquals(Optional.empty(), workers.poll(ALICE, picky, Duration.ZERO));
        assertEquals(0, workers.poll(ALICE, register(ALICE), Duration.ZERO).orElseThrow().index());
    }

    @Test
    void aRetryableFailure_andAPermanentOne_reachTheWorkflowUnderTheirOwnErrorNames() {
        offer(0);
        offer(1);
        String worker = register(ALICE);
        WorkerService.Assignment a = workers.poll(ALICE, worker, Duration.ZERO).orElseThrow();
        handOver(a);
        workers.fail(ALICE, worker, a.taskId(), "GPU fell off the bus", true);
        assertEquals(WorkflowErrors.WORKER_RETRYABLE_FAILURE, callbacks.outcomes.get(runToken(a)).error());
        WorkerService.Assignment b = workers.poll(ALICE, worker, Duration.ZERO).orElseThrow();
        handOver(b);
        workers.fail(ALICE, worker, b.taskId(), "scene file is corrupt", false);
        assertEquals(WorkflowErrors.WORKER_FAILED, callbacks.outcomes.get(runToken(b)).error());
        assertEquals("scene file is corrupt", callbacks.outcomes.get(runToken(b)).cause());
    }
}
