package io.conveyor.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conveyor.admission.TaskCallbacks;
import io.conveyor.deployment.WorkflowErrors;
import io.conveyor.job.Job;
import io.conveyor.job.JobStore;
import io.conveyor.persistence.StoredJson;
import io.conveyor.program.CapabilityRequirement;
import io.conveyor.program.ProgramDefinition;
import io.conveyor.program.ProgramRegistry;
import io.conveyor.program.WorkerCapabilities;
import io.conveyor.storage.JobObjectLayout;
import io.conveyor.storage.ObjectStore;
import io.conveyor.storage.PresignedRequest;
import io.conveyor.subjob.SubJobOutcome;
import io.conveyor.subjob.SubJobStore;
import io.conveyor.worker.WorkQueue;
import io.conveyor.worker.WorkerDeaths;
import io.conveyor.worker.WorkerEvents;
import io.conveyor.worker.WorkerIdentities;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker protocol, free of HTTP: external workers register, take subjobs that match their capabilities of the jobs
 * of the owners they work for (the caller that registered them, and whom the deployment allows a worker identity to
 * work for, {@link WorkerIdentities}), heartbeat them and answer. Step Functions decides whether an answer still
 * counts: every heartbeat and answer goes to the task token of the task that waits for it, and one whose task ended
 * (the subjob was taken away after a missed heartbeat, or its job ended) is refused with 409 and changes nothing.
 *
 * <p>Thread-safe.
 */
public final class WorkerService {
    private static final Logger LOG = LoggerFactory.getLogger(WorkerService.class);
    /** The longest a poll waits for a subjob: well within API Gateway's 29 seconds. */
    public static final Duration MAX_POLL_WAIT = Duration.ofSeconds(20);
    /** A worker's lease must outlast its longest poll, or it would die while waiting. */
    static final Duration MIN_LEASE = Duration.ofSeconds(30);
    static final Duration MAX_LEASE = Duration.ofHours(1);
    /** Outputs up to this size may be sent in the answer; larger ones are uploaded to a presigned URL. */
    public static final int MAX_INLINE_OUTPUT_BYTES = 256 * 1024;
    /** The largest output a worker may upload (S3's largest single PUT). */
    static final long MAX_UPLOADED_OUTPUT_BYTES = 5L * 1024 * 1024 * 1024;
    private static final int MAX_PROGRAMS = 10;
    static final int MAX_NAME_CHARS = 64;
    /** How long a claimed subjob may take to be handed over by the workflow (one Lambda invocation) before a call gives up. */
    private static final Duration HAND_OVER_WAIT = Duration.ofSeconds(10);
    private static final Duration OUTPUT_UPLOAD_TTL = Duration.ofMinutes(30);
    private static final com.fasterxml.jackson.core.type.TypeReference<JsonNode> JSON_VALUE = new com.fasterxml.jackson.core.type.TypeReference<>() {};

    /** A subjob given to a worker: what it needs to run it. */
    public record Assignment(String taskId, String program, String jobId, int attempt, int index, JsonNode input,
            Map<String, String> parameters, long heartbeatSeconds, long timeoutSeconds) {}

    private final WorkQueue queue;
    private final JobStore jobs;
    private final ObjectStore objects;
    private final ProgramRegistry programs;
    private final WorkerIdentities identities;
    private final TaskCallbacks callbacks;
    private final WorkerEvents events;
    private final WorkerDeaths deaths;
    private final Clock clock;
    private final Supplier<String> newId;
    private final Pause pause;

    /** Waits between reads of the queue; a test may make it not wait. */
    @FunctionalInterface
    public interface Pause {
        void sleep(Duration duration) throws InterruptedException;
    }

    public WorkerService(WorkQueue queue, JobStore jobs, ObjectStore objects, ProgramRegistry programs,
            WorkerIdentities identities, TaskCallbacks callbacks, WorkerEvents events, Clock clock, Supplier<String> newId,
            Pause pause) {
        this.queue = queue;
        this.jobs = jobs;
        this.objects = objects;
        this.programs = programs;
        this.identities = identities;
        this.callbacks = callbacks;
        this.events = events;
        this.deaths = new WorkerDeaths(queue, events);
        this.clock = clock;
        this.newId = newId;
        this.pause = pause;
    }

    /**
     * Registers a worker for {@code programs}, each with an external worker whose requirements its capabilities meet.
     *
     * @param lease      how long it may go without calling in before it is dead
     * @param workerName what the caller calls it, shown with the subjobs it runs; null for none
     * @param worksFor   the owners whose subjobs it takes, each the caller or one the deployment lets the caller work
     *                   for; empty for all of those
     */
    public WorkQueue.Worker register(Caller caller, List<String> programNames, List<String> capabilities, Duration lease,
            String workerName, Optional<List<String>> worksFor) {
        if (workerName != null && !workerName.matches("[\\p{Graph} ]{1," + MAX_NAME_CHARS + "}")) {
            throw ApiException.badRequest("'name' must be 1 to " + MAX_NAME_CHARS + " printable characters (letters, digits, "
                    + "punctuation, spaces), such as \"gpu-box-1\".");
        }
        if (programNames.isEmpty() || programNames.size() > MAX_PROGRAMS) {
            throw ApiException.badRequest("'programs' must name 1 to " + MAX_PROGRAMS + " programs whose worker is external.");
        }
        if (lease.compareTo(MIN_LEASE) < 0 || lease.compareTo(MAX_LEASE) > 0) {
            throw ApiException.badRequest("'leaseSeconds' must be from " + MIN_LEASE.toSeconds() + " (longer than the longest "
                    + "poll) to " + MAX_LEASE.toSeconds() + "; got " + lease.toSeconds() + ".");
        }
        WorkerCapabilities advertised;
        try {
            advertised = WorkerCapabilities.parse(capabilities);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("'capabilities': " + e.getMessage() + ".");
        }
        for (String name : programNames) {
            ProgramDefinition program = programs.find(name).orElseThrow(() -> new ApiException(400, "UnknownProgram",
                    "Unknown program '" + name + "'; GET /programs lists them."));
            if (!program.hasExternalWorker()) {
                throw new ApiException(400, "NotAnExternalProgram", "Program '" + name + "' runs its subjobs on Lambda, "
                        + "not on external workers; register for a program whose worker is external.");
            }
            List<CapabilityRequirement> unmet = advertised.unmet(program.external().requires());
            if (!unmet.isEmpty()) {
                throw new ApiException(400, "CapabilitiesDoNotMatch", "This worker could take no subjob of program '" + name
                        + "': it lacks " + unmet + " of what the program requires, " + program.external().requires()
                        + "; advertise them in 'capabilities' (such as gpu, region=eu, memoryGiB=128).");
            }
        }
        List<String> owners = worksFor(caller, worksFor);
        Instant now = clock.instant();
        WorkQueue.Worker worker = new WorkQueue.Worker(newId.get(), caller.id(), List.copyOf(programNames),
                advertised.asList(), lease, now.plus(lease), now, workerName, owners);
        queue.register(worker);
        LOG.info("worker {} registered for {} with {}, working for {}", worker.id(), worker.programs(),
                worker.capabilities(), owners);
        events.registered(worker, now);
        return worker;
    }

    /**
     * One of the caller's workers as {@code GET /workers} shows it.
     *
     * @param alive      whether it called in before its registration deadline; a dead worker stays dead
     * @param lastCallAt when it last called in (registered, polled or heartbeated): its deadline less its lease
     * @param held       the subjobs it holds now
     */
    public record WorkerStatus(WorkQueue.Worker worker, boolean alive, Instant lastCallAt, List<WorkQueue.Offer> held) {}

    /**
     * The caller's workers, dead ones too until they expire (a day after their deadline), with what each holds. A dead
     * worker not announced yet is announced ({@link WorkerDeaths}).
     */
    public List<WorkerStatus> list(Caller caller) {
        Instant now = clock.instant();
        List<WorkerStatus> found = queue.workersOf(caller.id()).stream()
                .map(h -> new WorkerStatus(h.worker(), !h.worker().isDead(now),
                        h.worker().deadline().minus(h.worker().lease()), h.held()))
                .toList();
        found.stream().filter(s -> !s.alive()).forEach(s -> deaths.announceIfNewlyDead(s.worker(), now));
        return found;
    }

    /** The owners a worker of {@code caller} works for: those asked, if the deployment allows each; else all allowed. */
    private List<String> worksFor(Caller caller, Optional<List<String>> asked) {
        List<String> allowed = identities.ownersFor(caller.id());
        if (asked.isEmpty()) {
            return allowed;
        }
        if (asked.get().isEmpty() || asked.get().size() > allowed.size()) {
            throw ApiException.badRequest("'worksFor' must name 1 to " + allowed.size() + " of the owners this caller may "
                    + "work for, " + allowed + ", or be left out for all of them.");
        }
        List<String> refused = asked.get().stream().filter(o -> !allowed.contains(o)).toList();
        if (!refused.isEmpty()) {
            throw new ApiException(403, "NotAllowedToWorkFor", "This caller's workers may work for " + allowed
                    + " only, not for " + refused.stream().map(CreateJobRequest::printable).toList() + "; the deployment "
                    + "names the worker identities that may work for other users (" + WorkerIdentities.SETTING + ").");
        }
        return asked.get().stream().distinct().toList();
    }

    public void deregister(Caller caller, String workerId) {
        if (!isWorkerId(workerId) || !queue.deregister(workerId, caller.id())) {
            throw workerNotFound(workerId);
        }
        LOG.info("worker {} deregistered", workerId);
    }

    /**
     * Waits up to {@code wait} for a subjob the worker may take, and claims it. The queue is read at once and then
     * every 250 ms, backing off to 1 s; a claim is one conditional write, so two workers never get the same subjob.
     *
     * @return the subjob, or empty when none came in time
     */
    public Optional<Assignment> poll(Caller caller, String workerId, Duration wait) {
        if (wait.isNegative() || wait.compareTo(MAX_POLL_WAIT) > 0) {
            throw ApiException.badRequest("'waitSeconds' must be from 0 to " + MAX_POLL_WAIT.toSeconds() + ".");
        }
        WorkQueue.Worker worker = alive(caller, workerId);
        Instant deadline = clock.instant().plus(wait);
        Duration backoff = Duration.ofMillis(250);
        // In a new order each poll, so that no owner's subjobs wait behind another's for a worker that serves both.
        List<String> owners = new ArrayList<>(worker.worksFor());
        Collections.shuffle(owners);
        while (true) {
            for (String program : worker.programs()) {
                for (String owner : owners) {
                    Optional<Assignment> taken = takeOne(worker, program, owner);
                    if (taken.isPresent()) {
                        return taken;
                    }
                }
            }
            Duration left = Duration.between(clock.instant(), deadline);
            if (left.compareTo(Duration.ZERO) <= 0) {
                return Optional.empty();
            }
            sleep(backoff.compareTo(left) < 0 ? backoff : left);
            backoff = backoff.multipliedBy(2).compareTo(Duration.ofSeconds(1)) > 0 ? Duration.ofSeconds(1) : backoff.multipliedBy(2);
        }
    }

    private Optional<Assignment> takeOne(WorkQueue.Worker worker, String program, String owner) {
        for (WorkQueue.Held ready : queue.ready(program, owner, clock.instant(), 10)) {
            if (ready.declinedBy().contains(worker.id())) {
                continue;
            }
            // An expired claim was either never passed on (the call that claimed it died first: the task still waits
            // for a claim, and a heartbeat reaches it), or passed on and not yet handed over, or its job ended.
            if (ready.claimId() != null && !callbacks.heartbeat(ready.offerToken())) {
                queue.retire(ready, clock.instant());
                continue;
            }
            String claimId = newId.get();
            Optional<WorkQueue.Held> claimed = queue.claim(ready, worker.id(), worker.owner(), claimId, clock.instant());
            if (claimed.isEmpty()) {
                continue; // another worker was first
            }
            WorkQueue.Offer offer = claimed.get().offer();
            // The workflow records the worker, by id and name, as the one that runs this attempt.
            ObjectNode claim = StoredJson.MAPPER.createObjectNode().put("claimId", claimId).put("workerId", worker.id())
                    .put("workerName", worker.name());
            boolean resumed;
            try {
                resumed = callbacks.succeed(ready.offerToken(), StoredJson.write(claim));
            } catch (RuntimeException e) {
                // Step Functions did not take the claim: the subjob goes back to the queue rather than stay held.
                queue.unclaim(claimed.get(), claimId);
                throw e;
            }
            if (!resumed) {
                // The task waiting for a worker ended (its job was cancelled or failed): nothing to run.
                queue.release(offer.jobId(), offer.attempt(), offer.index(), claimId, Optional.empty(), clock.instant());
                continue;
            }
            Job job = jobs.get(offer.jobId()).orElse(null);
            ProgramDefinition definition = programs.find(program).orElseThrow();
            LOG.info("worker {} took subjob {} of job {} attempt {}", worker.id(), offer.index(), offer.jobId(), offer.attempt());
            return Optional.of(new Assignment(taskId(offer, claimId), program, offer.jobId(), offer.attempt(), offer.index(),
                    StoredJson.read(offer.input(), JSON_VALUE), job == null ? Map.of() : job.parameters(),
                    definition.external().heartbeat().toSeconds(), definition.subJobTimeout().toSeconds()));
        }
        return Optional.empty();
    }

    /** The worker still holds the subjob: its heartbeat timeout starts again. */
    public void heartbeat(Caller caller, String workerId, String taskId) {
        WorkQueue.Held held = held(caller, workerId, taskId);
        if (!callbacks.heartbeat(held.runToken())) {
            throw takenAway(taskId);
        }
    }

    /** Where to upload an output too large to send inline, {@code size} bytes of JSON. */
    public PresignedRequest outputUpload(Caller caller, String workerId, String taskId, long size) {
        if (size < 1 || size > MAX_UPLOADED_OUTPUT_BYTES) {
            throw ApiException.badRequest("'size' must be from 1 to " + MAX_UPLOADED_OUTPUT_BYTES + " bytes.");
        }
        WorkQueue.Held held = held(caller, workerId, taskId);
        return objects.presignPut(outputKey(held), size, "application/json", OUTPUT_UPLOAD_TTL);
    }

    /**
     * The worker answers with {@code output} (JSON), or, when it is null, with what it uploaded to the URL
     * {@link #outputUpload} gave. Recorded only if the workflow still waits for this worker's answer.
     */
    public void complete(Caller caller, String workerId, String taskId, JsonNode output, Duration took) {
        WorkQueue.Held held = held(caller, workerId, taskId);
        ObjectNode outcome = StoredJson.MAPPER.createObjectNode().put("durationMillis", Math.max(0, took.toMillis()))
                .put("workerId", workerId);
        String written = null;
        if (output != null) {
            String text = StoredJson.write(output);
            if (text.getBytes(StandardCharsets.UTF_8).length > MAX_INLINE_OUTPUT_BYTES) {
                throw new ApiException(413, "OutputTooLarge", "An inline output may take " + MAX_INLINE_OUTPUT_BYTES
                        + " bytes; upload a larger one to the URL POST .../output-upload gives, then complete with "
                        + "{\"outputUploaded\": true}.");
            }
            if (SubJobOutcome.fitsWithSubJob(text)) {
                outcome.put("output", text);
            } else {
                written = outputKey(held);
                objects.put(written, text.getBytes(StandardCharsets.UTF_8), "application/json");
                outcome.put("outputKey", written);
            }
        } else {
            outcome.put("outputKey", checkedUpload(outputKey(held)));
        }
        if (!callbacks.succeed(held.runToken(), StoredJson.write(outcome))) {
            if (written != null) {
                objects.delete(written);
            }
            throw takenAway(taskId);
        }
        queue.release(held.offer().jobId(), held.offer().attempt(), held.offer().index(), held.claimId(), Optional.empty(),
                clock.instant());
    }

    /** An uploaded output must be there and be JSON: the aggregator reads it as such. */
    private String checkedUpload(String key) {
        if (objects.head(key).isEmpty()) {
            throw new ApiException(409, "OutputNotUploaded", "No output was uploaded for this subjob; PUT it to the URL "
                    + "POST .../output-upload gives, or send it inline as {\"output\": ...}.");
        }
        try (InputStream in = objects.open(key)) {
            StoredJson.MAPPER.readTree(in);
        } catch (IOException e) {
            throw new ApiException(400, "OutputNotJson", "The uploaded output is not one JSON value: " + e.getMessage()
                    + "; upload it again as JSON.");
        }
        return key;
    }

    /**
     * The worker failed the subjob: retried with the program's policy when {@code retryable}, else failed for good
     * with {@code message}.
     */
    public void fail(Caller caller, String workerId, String taskId, String message, boolean retryable) {
        WorkQueue.Held held = held(caller, workerId, taskId);
        String error = retryable ? WorkflowErrors.WORKER_RETRYABLE_FAILURE : WorkflowErrors.WORKER_FAILED;
        if (!callbacks.fail(held.runToken(), error, message)) {
            throw takenAway(taskId);
        }
        queue.release(held.offer().jobId(), held.offer().attempt(), held.offer().index(), held.claimId(), Optional.empty(),
                clock.instant());
    }

    /** The worker hands the subjob back without running it: it is offered again, to another worker. */
    public void decline(Caller caller, String workerId, String taskId, String reason) {
        WorkQueue.Held held = held(caller, workerId, taskId);
        if (!callbacks.fail(held.runToken(), WorkflowErrors.SUBJOB_DECLINED, "worker " + workerId + " declined: " + reason)) {
            throw takenAway(taskId);
        }
        queue.release(held.offer().jobId(), held.offer().attempt(), held.offer().index(), held.claimId(),
                Optional.of(workerId), clock.instant());
    }

    /** The caller's worker, alive: its deadline moves on; else 404 or 410. */
    private WorkQueue.Worker alive(Caller caller, String workerId) {
        if (!isWorkerId(workerId)) {
            throw workerNotFound(workerId);
        }
        WorkQueue.Refresh refresh = queue.refresh(workerId, caller.id(), clock.instant());
        if (refresh instanceof WorkQueue.Refresh.Alive alive) {
            return alive.worker();
        }
        if (refresh instanceof WorkQueue.Refresh.Dead dead) {
            deaths.announceIfNewlyDead(dead.worker(), clock.instant());
            throw new ApiException(410, "WorkerExpired", "Worker " + workerId + " missed its registration deadline ("
                    + dead.worker().deadline() + ") and is dead: the subjobs it held are taken back when their heartbeats "
                    + "time out. Register again (POST /workers).");
        }
        throw workerNotFound(workerId);
    }

    /**
     * The subjob {@code taskId} as the caller's worker holds it, handed over by the workflow.
     *
     * @throws ApiException 404 for a task id that is not the caller's, 409 for one taken from this worker
     */
    private WorkQueue.Held held(Caller caller, String workerId, String taskId) {
        WorkQueue.Worker worker = alive(caller, workerId);
        TaskRef ref = TaskRef.parse(taskId).orElseThrow(() -> notHeld(taskId));
        Instant giveUp = clock.instant().plus(HAND_OVER_WAIT);
        while (true) {
            WorkQueue.Held held = queue.offer(ref.jobId(), ref.attempt(), ref.index())
                    .filter(h -> worker.worksFor().contains(h.offer().owner()))
                    .orElseThrow(() -> notHeld(taskId));
            if (!ref.claimId().equals(held.claimId()) || !workerId.equals(held.workerId())) {
                throw takenAway(taskId);
            }
            if (held.runToken() != null) {
                return held;
            }
            if (clock.instant().isAfter(giveUp)) {
                throw new ApiException(503, "SubJobStarting", "Subjob " + taskId + " is still being started by its "
                        + "workflow; try again in a moment.", Map.of("Retry-After", "1"));
            }
            sleep(Duration.ofMillis(50));
        }
    }

    private static String outputKey(WorkQueue.Held held) {
        WorkQueue.Offer o = held.offer();
        return JobObjectLayout.workerOutput(o.jobId(), o.attempt(), o.index(), held.claimId());
    }

    private static String taskId(WorkQueue.Offer offer, String claimId) {
        return new TaskRef(offer.jobId(), offer.attempt(), offer.index(), claimId).toString();
    }

    /** What a task id names: a subjob of a job attempt and the claim it was given under. */
    record TaskRef(String jobId, int attempt, int index, String claimId) {
        static Optional<TaskRef> parse(String text) {
            // jobId.attempt.index.claimId, the job id possibly holding dots itself.
            String[] parts = text == null ? new String[0] : text.split("\\.");
            if (parts.length < 4) {
                return Optional.empty();
            }
            try {
                String jobId = String.join(".", java.util.Arrays.copyOfRange(parts, 0, parts.length - 3));
                int attempt = Integer.parseInt(parts[parts.length - 3]);
                int index = Integer.parseInt(parts[parts.length - 2]);
                String claimId = parts[parts.length - 1];
                if (!JobObjectLayout.isValidJobId(jobId) || attempt < 1 || index < 0 || !claimId.matches("[A-Za-z0-9-]{1,64}")) {
                    return Optional.empty();
                }
                return Optional.of(new TaskRef(jobId, attempt, index, claimId));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }

        @Override
        public String toString() {
            return jobId + "." + attempt + "." + index + "." + claimId;
        }
    }

    private void sleep(Duration duration) {
        try {
            pause.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a subjob", e);
        }
    }

    /** Worker ids are the API's own (UUIDs): anything else names no worker, and never reaches a key. */
    private static boolean isWorkerId(String workerId) {
        return workerId != null && workerId.matches("[A-Za-z0-9-]{1,64}");
    }

    private static ApiException workerNotFound(String workerId) {
        return new ApiException(404, "WorkerNotFound", "No worker " + CreateJobRequest.printable(
                workerId.length() > 64 ? workerId.substring(0, 64) + "..." : workerId) + " is registered for this caller; "
                + "register one with POST /workers.");
    }

    private static ApiException notHeld(String taskId) {
        return new ApiException(404, "SubJobNotHeld", "No subjob " + CreateJobRequest.printable(
                taskId.length() > 200 ? taskId.substring(0, 200) + "..." : taskId) + " was given to this caller's worker; "
                + "answer with the taskId a poll returned.");
    }

    private static ApiException takenAway(String taskId) {
        return new ApiException(409, "SubJobTakenAway", "Subjob " + taskId + " is no longer this worker's: it was "
                + "taken away (a missed heartbeat, a decline, or its job ended) and may run elsewhere; this call changed "
                + "nothing. Drop the subjob and poll for the next.");
    }
}
