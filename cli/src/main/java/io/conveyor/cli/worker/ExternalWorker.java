package io.conveyor.cli.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conveyor.cli.http.ApiClient;
import io.conveyor.cli.http.ApiError;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * An external worker: registers with the API for programs whose worker is {@code external}, long-polls for subjobs
 * that match its capabilities, runs each with its {@link SubJobHandler} while heartbeating it, and answers: the
 * output (inline, or through a presigned upload when large), a failure, or a decline. {@link #stop} ends it cleanly:
 * it stops taking subjobs, lets the one it runs finish within a grace period or hands it back, and deregisters.
 *
 * <p>One subjob at a time; run several workers for more. {@link #run} blocks; {@link #stop} may be called from any
 * thread (a shutdown hook).
 */
public final class ExternalWorker {
    /** Outputs up to this size go inline in the answer; larger ones through a presigned upload (the API's limit). */
    static final int MAX_INLINE_OUTPUT_BYTES = 256 * 1024;
    /** How many times an answer is sent while the API refuses it as throttled or unavailable. */
    private static final int ANSWER_ATTEMPTS = 6;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ApiClient api;
    private final List<String> programs;
    private final List<String> capabilities;
    private final Duration lease;
    private final Duration pollWait;
    private final SubJobHandler handler;
    private final Consumer<String> log;
    private final ExecutorService running = Executors.newSingleThreadExecutor(daemon("conveyor-subjob"));
    private final ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor(daemon("conveyor-heartbeat"));
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile boolean stopping;
    private volatile Duration grace = Duration.ZERO;
    private volatile String workerId;
    private volatile List<String> worksFor = List.of();

    /**
     * @param lease    how long the worker may go without calling the API before it is taken for dead (30 s to 1 h)
     * @param pollWait how long one poll waits for a subjob (0 to 20 s)
     * @param log      where the worker says what it does, one line at a time
     */
    public ExternalWorker(ApiClient api, List<String> programs, List<String> capabilities, Duration lease,
            Duration pollWait, SubJobHandler handler, Consumer<String> log) {
        this.api = Objects.requireNonNull(api, "api");
        this.programs = List.copyOf(programs);
        this.capabilities = List.copyOf(capabilities);
        this.lease = lease;
        this.pollWait = pollWait;
        this.handler = Objects.requireNonNull(handler, "handler");
        this.log = log;
    }

    /**
     * Takes only the subjobs of these owners: for a worker identity that the deployment lets work for several users
     * ({@code CONVEYOR_WORKER_IDENTITIES}). Empty, the default, takes those of every owner it may work for. Set before
     * {@link #run}.
     */
    public ExternalWorker worksFor(List<String> owners) {
        this.worksFor = List.copyOf(owners);
        return this;
    }

    /** The id the API gave this worker, once registered. */
    public String id() {
        return workerId;
    }

    /** Registers, then takes and runs subjobs until {@link #stop}; deregisters before it returns. */
    public void run() {
        try {
            ObjectNode registration = JSON.createObjectNode();
            ArrayNode names = registration.putArray("programs");
            programs.forEach(names::add);
            ArrayNode advertised = registration.putArray("capabilities");
            capabilities.forEach(advertised::add);
            registration.put("leaseSeconds", lease.toSeconds());
            registration.put("name", processName());
            if (!worksFor.isEmpty()) {
                ArrayNode owners = registration.putArray("worksFor");
                worksFor.forEach(owners::add);
            }
            workerId = api.post("/workers", registration).path("workerId").asText();
            log.accept("worker " + workerId + " registered for " + programs + " with " + capabilities);
            while (!stopping) {
                JsonNode polled;
                try {
                    polled = sendPatiently(new ApiClient.Call("POST", path("poll"), Map.of("waitSeconds",
                            Long.toString(pollWait.toSeconds())), Map.of(), null), Integer.MAX_VALUE);
                } catch (ApiError e) {
                    if (stopping && isTransient(e.status())) {
                        break; // stopped while the API refused polls: nothing is held
                    }
                    throw e;
                }
                if (polled.hasNonNull("taskId")) {
                    SubJob subJob = subJob(polled);
                    if (stopping) {
                        // Taken as the stop came: handed back at once rather than left to time out.
                        answer(subJob, "decline", JSON.createObjectNode().put("reason", "the worker is stopping"));
                    } else {
                        runOne(subJob);
                    }
                }
            }
        } finally {
            try {
                if (workerId != null) {
                    api.delete("/workers/" + segment(workerId));
                    log.accept("worker " + workerId + " deregistered");
                }
            } finally {
                running.shutdownNow();
                heartbeats.shutdownNow();
                finished.countDown();
            }
        }
    }

    /**
     * Stops taking subjobs; a subjob running now may finish within {@code grace}, else it is handed back (declined)
     * and its handler interrupted. Returns once {@link #run} has returned, or after {@code grace} plus the longest poll.
     */
    public void stop(Duration grace) {
        this.grace = grace;
        stopping = true;
        try {
            finished.await(grace.plus(pollWait).plusSeconds(5).toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void runOne(SubJob subJob) {
        log.accept("subjob " + subJob.index() + " of job " + subJob.jobId() + " taken (" + subJob.taskId() + ")");
        long started = System.nanoTime();
        Future<JsonNode> result = running.submit(() -> handler.run(subJob));
        // A third of the interval: one lost or slow heartbeat never costs the subjob.
        long every = Math.max(1000, subJob.heartbeat().toMillis() / 3);
        ScheduledFuture<?> beating = heartbeats.scheduleAtFixedRate(() -> heartbeat(subJob, result), every, every,
                TimeUnit.MILLISECONDS);
        try {
            JsonNode output = await(result, subJob);
            if (output == null) {
                answer(subJob, "decline", JSON.createObjectNode().put("reason", "the worker is stopping"));
                return;
            }
            complete(subJob, output, Duration.ofNanos(System.nanoTime() - started));
        } catch (java.util.concurrent.CancellationException takenAway) {
            log.accept("subjob " + subJob.index() + " of job " + subJob.jobId() + " dropped: it runs elsewhere now");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof SubJobHandler.DeclineException) {
                answer(subJob, "decline", JSON.createObjectNode().put("reason", cause.getMessage()));
            } else {
                answer(subJob, "fail", JSON.createObjectNode().put("message", String.valueOf(cause.getMessage() == null
                        ? cause.toString() : cause.getMessage()))
                        .put("retryable", cause instanceof SubJobHandler.RetryableFailureException));
            }
        } finally {
            beating.cancel(false);
        }
    }

    /** The handler's output; null when the worker was stopped and the grace period ran out first. */
    private JsonNode await(Future<JsonNode> result, SubJob subJob) throws ExecutionException {
        try {
            while (!stopping) {
                try {
                    return result.get(200, TimeUnit.MILLISECONDS);
                } catch (TimeoutException stillRunning) {
                    // look at the stop flag again
                }
            }
            return result.get(grace.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException graceOver) {
            result.cancel(true);
            log.accept("subjob " + subJob.index() + " of job " + subJob.jobId() + " handed back: the worker is stopping");
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            result.cancel(true);
            return null;
        }
    }

    private void heartbeat(SubJob subJob, Future<JsonNode> result) {
        try {
            api.post(subJobPath(subJob, "heartbeat"), JSON.createObjectNode());
        } catch (ApiError e) {
            if (e.status() == 409 || e.status() == 410) {
                // Taken away: the subjob runs elsewhere now; its result here would be refused.
                log.accept("subjob " + subJob.index() + " of job " + subJob.jobId() + " was taken away: " + e.apiMessage());
                result.cancel(true);
            }
        } catch (RuntimeException e) {
            log.accept("heartbeat failed, trying again: " + e.getMessage());
        }
    }

    private void complete(SubJob subJob, JsonNode output, Duration took) {
        byte[] bytes = output.toString().getBytes(StandardCharsets.UTF_8);
        ObjectNode answer = JSON.createObjectNode().put("durationMillis", took.toMillis());
        if (bytes.length <= MAX_INLINE_OUTPUT_BYTES) {
            answer.set("output", output);
        } else {
            JsonNode upload = api.post(subJobPath(subJob, "output-upload"), JSON.createObjectNode().put("size", bytes.length));
            HttpRequest.Builder put = HttpRequest.newBuilder(URI.create(upload.path("url").asText()))
                    .method(upload.path("method").asText("PUT"), HttpRequest.BodyPublishers.ofByteArray(bytes));
            upload.path("headers").fields().forEachRemaining(h -> {
                if (!ApiClient.setByClient(h.getKey())) {
                    put.header(h.getKey(), h.getValue().asText());
                }
            });
            api.presigned(put.build(), HttpResponse.BodyHandlers.ofByteArray(), "the output upload");
            answer.put("outputUploaded", true);
        }
        answer(subJob, "complete", answer);
    }

    /** Sends an answer; one refused because the subjob was taken away is logged, as the subjob now runs elsewhere. */
    private void answer(SubJob subJob, String what, ObjectNode body) {
        try {
            sendPatiently(new ApiClient.Call("POST", subJobPath(subJob, what), Map.of(), Map.of(), body), ANSWER_ATTEMPTS);
            log.accept("subjob " + subJob.index() + " of job " + subJob.jobId() + ": " + what + " sent");
        } catch (ApiError e) {
            if (e.status() != 409 && e.status() != 410) {
                throw e;
            }
            log.accept("subjob " + subJob.index() + " of job " + subJob.jobId() + ": " + what + " refused, " + e.code()
                    + ": " + e.apiMessage());
        }
    }

    /**
     * Sends {@code call}, up to {@code attempts} times while the API answers "not now": throttled (the worker protocol's
     * executions all held by other workers' polls; API Gateway answers a throttled function with a 500) or briefly
     * unavailable. A poll is sent again until the worker stops; an answer a few times, and then the subjob is left to
     * its heartbeat timeout, which offers it again. A refused call changed nothing, and an answer that did count is
     * refused when sent again (409), so sending again is safe.
     */
    private JsonNode sendPatiently(ApiClient.Call call, int attempts) {
        for (int refusals = 1; ; refusals++) {
            try {
                return api.send(call);
            } catch (ApiError e) {
                if (!isTransient(e.status()) || refusals >= attempts || (stopping && attempts == Integer.MAX_VALUE)) {
                    throw e;
                }
                pauseAfterRefusal(refusals, call, e);
            }
        }
    }

    /** A refusal that says "not now": throttling, and what API Gateway answers for a throttled or failing function. */
    private static boolean isTransient(int status) {
        return status == 429 || status == 500 || status == 502 || status == 503 || status == 504;
    }

    /** Waits 0.5 s, doubling with each refusal in a row up to the poll's wait (at least 1 s), half of it random. */
    private void pauseAfterRefusal(int refusals, ApiClient.Call call, ApiError e) {
        long cap = Math.max(1000, pollWait.toMillis());
        long pause = Math.min(cap, 500L << Math.min(refusals - 1, 10));
        pause = pause / 2 + java.util.concurrent.ThreadLocalRandom.current().nextLong(pause / 2 + 1);
        log.accept(call.method() + " " + call.path() + " refused (" + e.status() + " " + e.code() + "), sending again in "
                + pause + " ms");
        try {
            Thread.sleep(pause);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw e;
        }
    }

    private static SubJob subJob(JsonNode polled) {
        Map<String, String> parameters = new HashMap<>();
        polled.path("parameters").fields().forEachRemaining(p -> parameters.put(p.getKey(), p.getValue().asText()));
        return new SubJob(polled.path("taskId").asText(), polled.path("program").asText(), polled.path("jobId").asText(),
                polled.path("attempt").asInt(), polled.path("index").asInt(), polled.path("input"), Map.copyOf(parameters),
                Duration.ofSeconds(polled.path("heartbeatSeconds").asLong(30)),
                Duration.ofSeconds(polled.path("timeoutSeconds").asLong(3600)));
    }

    private String path(String action) {
        return "/workers/" + segment(workerId) + "/" + action;
    }

    private String subJobPath(SubJob subJob, String action) {
        return "/workers/" + segment(workerId) + "/subjobs/" + segment(subJob.taskId()) + "/" + action;
    }

    private static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** This process as its owner finds it among the subjobs' runs and in {@code conveyor workers}: host and process id. */
    static String processName() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "unknown-host";
        }
        String pid = "/" + ProcessHandle.current().pid();
        return host.substring(0, Math.min(host.length(), 64 - pid.length())) + pid;
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
