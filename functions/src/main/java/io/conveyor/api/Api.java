package io.conveyor.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.conveyor.deployment.Catalogue;
import io.conveyor.deployment.RouteSpec;
import io.conveyor.job.Job;
import io.conveyor.job.UsageTails;
import io.conveyor.job.JobStatus;
import io.conveyor.persistence.InvalidPageTokenException;
import io.conveyor.persistence.Page;
import io.conveyor.persistence.StoredJson;
import io.conveyor.program.ProgramCostStore;
import io.conveyor.program.ProgramDefinition;
import io.conveyor.program.ProgramRegistry;
import io.conveyor.program.ProgramStatisticsStore;
import io.conveyor.storage.PresignedRequest;
import io.conveyor.subjob.SubJob;
import io.conveyor.subjob.SubJobRunner;
import io.conveyor.usage.PriceTable;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.slf4j.MDC;

/**
 * The HTTP face of the job API, the routes the catalogue gives the {@link Catalogue#API} function: each calls
 * {@link JobService} and shapes what comes back; {@link RouteDispatcher} routes, authenticates and answers errors
 * (4xx with {@code {code, message}} for what a client caused, else 500 with the request id only).
 *
 * <p>Thread-safe.
 */
public final class Api {
    private static final int DEFAULT_PAGE_SIZE = 20;
    private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[\\x21-\\x7e]{1,255}");
    static final ObjectMapper JSON = StoredJson.MAPPER.copy().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
    /** Writes maps with their keys sorted: the canonical form request digests are taken of. */
    private static final ObjectMapper CANONICAL = JSON.copy().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    private final JobService jobs;
    private final ProgramRegistry programs;
    private final ProgramStatisticsStore statistics;
    private final ProgramCostStore costs;
    private final ApiMetrics metrics;
    private final Clock clock;
    private final UsageReports usage;
    private final PriceTable prices;
    private final WorkerWaits workerWaits;
    private final RouteDispatcher dispatcher;

    /**
     * @param usage   the usage reports ({@code GET /usage})
     * @param prices  what jobs' usage is priced at
     * @param callers who calls, from a request ({@link Caller#finder})
     */
    Api(JobService jobs, ProgramRegistry programs, ProgramStatisticsStore statistics,
            ProgramCostStore costs, ApiMetrics metrics, Clock clock, UsageReports usage, PriceTable prices,
            WorkerWaits workerWaits, Function<APIGatewayProxyRequestEvent, Optional<Caller>> callers) {
        this.jobs = jobs;
        this.workerWaits = workerWaits;
        this.costs = costs;
        this.usage = usage;
        this.prices = prices;
        this.programs = programs;
        this.statistics = statistics;
        this.metrics = metrics;
        this.clock = clock;
        this.dispatcher = new RouteDispatcher(Catalogue.API, List.of(
                bind(Catalogue.CREATE_JOB, this::createJob, 400, 409, 413, 429, 503),
                bind(Catalogue.LIST_JOBS, this::listJobs, 400),
                bind(Catalogue.GET_JOB, this::getJob, 404, 410),
                bind(Catalogue.CANCEL_JOB, this::cancelJob, 404, 409, 410, 503),
                bind(Catalogue.SUBMIT_JOB, this::submitJob, 404, 409, 410, 503),
                bind(Catalogue.RETRY_JOB, this::retryJob, 404, 409, 410, 429, 503),
                bind(Catalogue.LIST_SUBJOBS, this::listSubJobs, 400, 404, 410),
                bind(Catalogue.GET_RESULT, this::result, 404, 409, 410),
                bind(Catalogue.LIST_PROGRAMS, this::listPrograms),
                bind(Catalogue.GET_PROGRAM, this::getProgram, 404),
                bind(Catalogue.GET_PROGRAM_STATISTICS, this::getProgramStatistics, 400, 404),
                bind(Catalogue.GET_USAGE, this::getUsage, 400, 403)), metrics, callers);
    }

    /**
     * What a function does on one route of the catalogue, and the refusals it may answer there besides those every
     * route may ({@link RouteDispatcher}).
     */
    record Endpoint(Handler handler, Set<Integer> refusals) {}

    /** What a route does with a request from an authenticated caller. */
    @FunctionalInterface
    interface Handler {
        ApiResponse handle(Caller caller, ApiRequest request);
    }

    static Map.Entry<RouteSpec, Endpoint> bind(RouteSpec route, Handler handler, Integer... refusals) {
        return Map.entry(route, new Endpoint(handler, Set.of(refusals)));
    }

    /** Every status {@code route} may answer; the OpenAPI document must list exactly these. */
    Set<Integer> statuses(RouteSpec route) {
        return dispatcher.statuses(route);
    }

    /** Answers one API Gateway proxy request. */
    public APIGatewayProxyResponseEvent handle(APIGatewayProxyRequestEvent event, String requestId) {
        return dispatcher.handle(event, requestId);
    }

    /** The JSON error body every 4xx and 5xx carries. */
    public record ErrorBody(String code, String message) {}

    // ---- routes ----

    /** The answer to a create: the job and where to upload its inputs. */
    public record CreatedBody(JobView job, List<UploadView> uploads) {}

    /**
     * Where to upload one input: a single presigned PUT ({@code method}, {@code url}, {@code headers}), or for an input
     * above the multipart threshold a {@code multipart} upload, one presigned PUT per part.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record UploadView(String name, String method, String url, Map<String, String> headers, String expiresAt,
            MultipartView multipart) {
        static UploadView of(InputUploads.Upload upload) {
            if (upload instanceof InputUploads.Multipart multipart) {
                return new UploadView(multipart.name(), null, null, null, multipart.expiresAt().toString(),
                        MultipartView.of(multipart));
            }
            PresignedRequest put = ((InputUploads.SinglePut) upload).request();
            return new UploadView(upload.name(), put.method(), put.url().toString(), put.headers(), put.expiresAt().toString(),
                    null);
        }
    }

    /**
     * A multipart upload: parts of {@code partSize} bytes but the last; {@code missingParts} are the numbers of the
     * parts still to upload, and {@code parts} the presigned uploads of the first of them (all of them unless the
     * answer's limit on URLs was reached: {@code GET /jobs/{id}} lists the rest once these are uploaded).
     */
    public record MultipartView(long partSize, int partCount, List<Integer> missingParts, List<PartView> parts) {
        static MultipartView of(InputUploads.Multipart m) {
            return new MultipartView(m.layout().partSize(), m.layout().partCount(), m.missingParts(),
                    m.parts().stream().map(p -> new PartView(p.number(), p.size(), p.request().method(),
                            p.request().url().toString(), p.request().headers())).toList());
        }
    }

    /** A presigned upload of one part; send exactly {@code size} bytes and the headers, and may add Content-MD5. */
    public record PartView(int partNumber, long size, String method, String url, Map<String, String> headers) {}

    private ApiResponse createJob(Caller caller, ApiRequest request) {
        if (request.body() == null || request.body().isBlank()) {
            throw ApiException.badRequest("The body is empty; send a JSON object such as {\"program\": \"primes\"}.");
        }
        JsonNode body = JsonBody.parse(JSON, request.body());
        Optional<String> key = request.header("Idempotency-Key");
        if (key.isPresent() && !IDEMPOTENCY_KEY.matcher(key.get()).matches()) {
            throw ApiException.badRequest("The Idempotency-Key header must be 1 to 255 visible ASCII characters.");
        }
        CreateJobRequest parsed = CreateJobRequest.parse(body, CreateJobRequest.Limits.DEFAULT);
        JobService.Created created = jobs.create(caller, parsed, key, canonicalHash(body));
        MDC.put("jobId", created.job().id());
        if (!created.replayed()) {
            metrics.jobCreated(created.job().program());
        }
        Map<String, String> headers = new HashMap<>();
        headers.put("Location", "/jobs/" + created.job().id());
        if (created.replayed()) {
            headers.put("Idempotent-Replayed", "true");
        }
        // A job just created has no invocation's tail yet (a replayed create's job may: it is shown as GET shows it).
        Job shown = created.job();
        return new ApiResponse(created.replayed() ? 200 : 201,
                new CreatedBody(created.replayed() ? view(shown) : JobView.of(shown, UsageTails.NONE, prices, clock.instant()), created.uploads().stream().map(UploadView::of).toList()), headers);
    }

    /** Same JSON, same digest: key order and whitespace do not make two requests different. */
    private static String canonicalHash(JsonNode body) {
        try {
            byte[] canonical = CANONICAL.writeValueAsBytes(CANONICAL.treeToValue(body, Object.class));
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("a parsed body could not be digested", e);
        }
    }

    private ApiResponse listJobs(Caller caller, ApiRequest request) {
        Optional<JobStatus> status = request.query("status").map(s -> {
            try {
                return JobStatus.valueOf(s.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("'status' must be one of " + List.of(JobStatus.values()) + "; got '" + s + "'.");
            }
        });
        Page<Job> page = pageOf(() -> jobs.list(caller, status, request.query("program"), limit(request, 100),
                request.query("nextToken")));
        Map<String, UsageTails> tails = jobs.usageTails(page.items());
        Instant now = clock.instant();
        return ApiResponse.of(200, new JobsPage(page.items().stream()
                .map(job -> JobView.of(job, tails.get(job.id()), prices, now)).toList(), page.nextToken().orElse(null)));
    }

    /** One page of jobs. */
    public record JobsPage(List<JobView> jobs, String nextToken) {}

    /** A job as {@code GET /jobs/{id}} shows it: with fresh upload URLs, and why it waits when it waits for workers. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record JobBody(JobView job, List<UploadView> uploads, WorkerWaits.View waitingForWorkers) {}

    private ApiResponse getJob(Caller caller, ApiRequest request) {
        Job job = jobs.get(caller, request.path("id"));
        return ApiResponse.of(200, new JobBody(view(job), jobs.uploads(job).stream().map(UploadView::of).toList(),
                workerWaits.of(job).orElse(null)));
    }

    private ApiResponse cancelJob(Caller caller, ApiRequest request) {
        Job job = jobs.cancel(caller, request.path("id"));
        metrics.jobCancelled(job.program());
        return ApiResponse.of(200, view(job));
    }

    private ApiResponse submitJob(Caller caller, ApiRequest request) {
        JobService.Submission submission = jobs.submit(caller, request.path("id"));
        Job job = submission.job();
        if (submission.submittedNow()) {
            metrics.jobSubmitted(job.program());
            return ApiResponse.of(202, view(job));
        }
        return ApiResponse.of(200, view(job));
    }

    private ApiResponse retryJob(Caller caller, ApiRequest request) {
        Job job = jobs.retry(caller, request.path("id"));
        metrics.jobRetried(job.program());
        return ApiResponse.of(202, view(job));
    }

    /** One page of subjobs. */
    public record SubJobsPage(List<SubJobView> subJobs, String nextToken) {}

    /** A subjob as the API shows it. */
    private JobView view(Job job) {
        return JobView.of(job, jobs.usageTails(job), prices, clock.instant());
    }

    public record SubJobView(int index, String status, int attempts, Long durationMillis, JobView.ErrorView error,
            List<RunView> runs) {
        static SubJobView of(SubJob s) {
            List<RunView> runs = new ArrayList<>();
            for (int i = 0; i < s.runners().size(); i++) {
                runs.add(RunView.of(i + 1, s.runners().get(i)));
            }
            return new SubJobView(s.index(), s.status().name(), s.attempts(),
                    s.duration() == null ? null : s.duration().toMillis(), JobView.ErrorView.of(s.error()), runs);
        }
    }

    /**
     * What ran one attempt of a subjob: a function of the deployment ({@code function}, and {@code programFunction}
     * when it invoked the program's own Lambda function), or an external worker ({@code workerId}, {@code workerName}).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record RunView(int attempt, String kind, String function, String programFunction, String workerId,
            String workerName) {
        static RunView of(int attempt, SubJobRunner runner) {
            if (runner instanceof SubJobRunner.Worker w) {
                return new RunView(attempt, "WORKER", null, null, w.id(), w.name());
            }
            SubJobRunner.Function f = (SubJobRunner.Function) runner;
            return new RunView(attempt, "FUNCTION", f.name(), f.programFunction(), null, null);
        }
    }

    private ApiResponse listSubJobs(Caller caller, ApiRequest request) {
        Page<SubJob> page = pageOf(() -> jobs.subJobs(caller, request.path("id"), limit(request, 1000),
                request.query("nextToken")));
        return ApiResponse.of(200, new SubJobsPage(page.items().stream().map(SubJobView::of).toList(),
                page.nextToken().orElse(null)));
    }

    /** Where to download a result. */
    public record ResultBody(String url, String expiresAt) {}

    private ApiResponse result(Caller caller, ApiRequest request) {
        PresignedRequest download = jobs.result(caller, request.path("id"));
        if (request.query("redirect").map(Boolean::parseBoolean).orElse(false)) {
            return new ApiResponse(303, null, Map.of("Location", download.url().toString()));
        }
        return ApiResponse.of(200, new ResultBody(download.url().toString(), download.expiresAt().toString()));
    }

    /**
     * A program as the API shows it, with its limits, recent execution-time statistics, when it declares them its
     * parameters as a JSON Schema, and when its subjobs run on external workers what those must have.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ProgramView(String name, int maxConcurrency, double toleratedFailurePercentage, long subJobTimeoutSeconds,
            String defaultRetention, RetryView retry, ReRegistrationView reRegistration, StatisticsView statistics,
            ProgramCostStore.CostStatistics cost, JsonNode parameters, ExternalView external) {}

    /** For a program whose subjobs run on external workers: what a worker must advertise, and how often it heartbeats. */
    public record ExternalView(List<String> capabilities, long heartbeatSeconds) {}

    public record RetryView(long intervalSeconds, double backoffRate, long maxDelaySeconds, String jitter, int maxAttempts) {}

    public record ReRegistrationView(long delaySeconds, int maxAttempts) {}

    public record StatisticsView(String window, long subJobs, Long p50Millis, Long p95Millis, Long maxMillis, double errorRate) {}

    /** The list of programs. */
    public record ProgramsBody(List<ProgramView> programs) {}

    private ApiResponse listPrograms(Caller caller, ApiRequest request) {
        return ApiResponse.of(200, new ProgramsBody(programs.all().stream().map(this::view).toList()));
    }

    private ApiResponse getProgram(Caller caller, ApiRequest request) {
        return ApiResponse.of(200, view(program(request)));
    }

    private ProgramDefinition program(ApiRequest request) {
        String name = request.path("name");
        return programs.find(name).orElseThrow(() -> new ApiException(404, "ProgramNotFound",
                "No program named '" + name + "'; GET /programs lists them."));
    }

    /** One hour of a program's subjob statistics; percentiles and maximum absent when no subjob ended in it. */
    public record HourView(String hour, long subJobs, long failed, double errorRate, Long p50Millis, Long p95Millis,
            Long maxMillis) {}

    /** A program's statistics for every hour from {@code from}'s to {@code to}'s. */
    public record HourlyStatisticsBody(String program, String from, String to, List<HourView> hours) {}

    private ApiResponse getProgramStatistics(Caller caller, ApiRequest request) {
        ProgramDefinition program = program(request);
        Instant now = clock.instant();
        // No subjob has ended after now, so a later 'to' (a client's clock ahead of ours) reads as now.
        Instant to = request.query("to").map(t -> instant("to", t)).filter(t -> t.isBefore(now)).orElse(now);
        Instant from = request.query("from").map(t -> instant("from", t)).orElse(to.minus(ProgramStatisticsStore.WINDOW));
        Instant earliest = now.minus(ProgramStatisticsStore.HISTORY);
        if (from.isAfter(to)) {
            throw ApiException.badRequest("'from' (" + from + ") must not be after 'to' (" + to + ").");
        }
        if (from.isBefore(earliest)) {
            throw ApiException.badRequest("Statistics are kept for " + ProgramStatisticsStore.HISTORY.toDays()
                    + " days: ask for 'from' no earlier than " + earliest + ".");
        }
        List<HourView> hours = statistics.hourly(program.name(), from, to).stream().map(h -> new HourView(
                h.start().toString(), h.statistics().subJobs(), h.statistics().failed(), h.statistics().errorRate(),
                millis(h.statistics().p50()), millis(h.statistics().p95()), millis(h.statistics().max()))).toList();
        return ApiResponse.of(200, new HourlyStatisticsBody(program.name(), from.toString(), to.toString(), hours));
    }

    private static Instant instant(String name, String text) {
        try {
            return Instant.parse(text);
        } catch (java.time.format.DateTimeParseException e) {
            throw ApiException.badRequest("'" + name + "' must be an ISO-8601 time in UTC such as 2026-11-22T10:00:00Z; got '"
                    + text + "'.");
        }
    }

    private ApiResponse getUsage(Caller caller, ApiRequest request) {
        Optional<String> allUsers = request.query("allUsers");
        if (allUsers.isPresent() && !allUsers.get().equals("true") && !allUsers.get().equals("false")) {
            throw ApiException.badRequest("'allUsers' must be true or false; got '"
                    + (allUsers.get().length() > 40 ? allUsers.get().substring(0, 40) + "..." : allUsers.get()) + "'.");
        }
        if (allUsers.filter("true"::equals).isPresent()) {
            if (request.query("user").isPresent()) {
                throw ApiException.badRequest("Ask for one user ('user') or for every user ('allUsers=true'), not both.");
            }
            return ApiResponse.of(200, usage.allUsers(caller, request.query("from"), request.query("to")));
        }
        return ApiResponse.of(200, usage.report(caller, request.query("user"), request.query("from"), request.query("to")));
    }

    private ProgramView view(ProgramDefinition p) {
        var s = statistics.read(p.name(), clock.instant());
        return new ProgramView(p.name(), p.maxConcurrency(), p.toleratedFailurePercentage(), p.subJobTimeout().toSeconds(),
                p.defaultRetention().toString(),
                new RetryView(p.retry().interval().toSeconds(), p.retry().backoffRate(), p.retry().maxDelay().toSeconds(),
                        p.retry().jitter().name(), p.retry().maxAttempts()),
                new ReRegistrationView(p.reRegistration().delay().toSeconds(), p.reRegistration().maxAttempts()),
                new StatisticsView(s.window().toString(), s.subJobs(), millis(s.p50()), millis(s.p95()), millis(s.max()),
                        s.errorRate()),
                costs.read(p.name(), clock.instant()), p.parameters() == null ? null : p.parameters().declared(),
                p.hasExternalWorker() ? new ExternalView(p.external().requires().stream().map(Object::toString).toList(),
                        p.external().heartbeat().toSeconds()) : null);
    }

    private static Long millis(java.time.Duration d) {
        return d == null ? null : d.toMillis();
    }

    private static int limit(ApiRequest request, int max) {
        String text = request.query("limit").orElse(Integer.toString(DEFAULT_PAGE_SIZE));
        try {
            int limit = Integer.parseInt(text);
            if (limit >= 1 && limit <= max) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiException.badRequest("'limit' must be a whole number from 1 to " + max + "; got '" + text + "'.");
    }

    private static <T> T pageOf(java.util.function.Supplier<T> listing) {
        try {
            return listing.get();
        } catch (InvalidPageTokenException e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }
}
