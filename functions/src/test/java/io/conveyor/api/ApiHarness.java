package io.conveyor.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.fasterxml.jackson.databind.JsonNode;
import io.conveyor.admission.ActiveJobCounters;
import io.conveyor.deployment.Catalogue;
import io.conveyor.deployment.RouteTable;
import io.conveyor.idempotency.IdempotencyStore;
import io.conveyor.job.Job;
import io.conveyor.job.JobStore;
import io.conveyor.metrics.EmbeddedMetrics;
import io.conveyor.persistence.StoredJson;
import io.conveyor.program.ProgramCostStore;
import io.conveyor.program.ProgramRegistry;
import io.conveyor.program.ProgramStatisticsStore;
import io.conveyor.storage.ObjectStore;
import io.conveyor.subjob.SubJobStore;
import io.conveyor.testing.LocalAws;
import io.conveyor.testing.MutableClock;
import io.conveyor.worker.WorkQueue;
import io.conveyor.worker.WorkerIdentities;
import io.conveyor.workflow.RecordingCallbacks;
import io.conveyor.workflow.RecordingEvents;
import io.conveyor.workflow.WorkflowComponents;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The API wired to real stores on the DynamoDB emulator and S3Proxy, called with API Gateway events built from the
 * fixtures under {@code events/}: Cognito callers by their subject, and the IAM caller {@code bob}.
 */
final class ApiHarness {
    /** These tests register no program written as Lambda functions, so nothing may build a Lambda client. */
    private static final java.util.function.Supplier<io.conveyor.aws.AwsHttpService> NO_LAMBDA = () -> {
        throw new AssertionError("no program of this test is a Lambda function");
    };

    static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
    static final String BOB_ARN = "arn:aws:iam::123456789012:user/bob";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    final LocalAws.Deployment deployment;
    final MutableClock clock = new MutableClock(T0);
    final RecordingLauncher launcher = new RecordingLauncher();
    final RecordingCallbacks callbacks = new RecordingCallbacks();
    final RecordingEvents events = new RecordingEvents();
    final JobStore jobs;
    final SubJobStore subJobs;
    final ActiveJobCounters counters;
    final IdempotencyStore idempotency;
    final ObjectStore objects;
    final ProgramStatisticsStore statistics;
    /** This deployment's page tokens: a random key per harness, as the local runtime's is per run. */
    final PageTokenSigner pageTokens = new PageTokenSigner(randomKey());
    /** The routes API Gateway serves, each integrated with its function. */
    private static final RouteTable GATEWAY = new RouteTable(Catalogue.ROUTES);
    final Api api;
    /** The worker protocol function's routes, on the same deployment. */
    final RouteDispatcher workers;
    private final AtomicInteger requests = new AtomicInteger();
    /** GetObject calls made by the API's object store. */
    final AtomicInteger objectReads = new AtomicInteger();

    ApiHarness() {
        this(Map.of());
    }

    ApiHarness(Map<String, String> settings) {
        deployment = LocalAws.get().newDeployment(settings);
        jobs = deployment.jobs();
        subJobs = deployment.subJobs();
        counters = deployment.counters();
        idempotency = deployment.idempotency();
        objects = new ObjectStore(countingObjectReads(deployment.s3()), deployment.presigner(), deployment.settings().bucket(),
                clock);
        statistics = new ProgramStatisticsStore(deployment.dynamoDb(), deployment.settings().countersTable());
        WorkflowComponents workflow = WorkflowComponents.wire(deployment.settings(), deployment.dynamoDb(), objects, callbacks,
                events, ProgramRegistry.samples(), NO_LAMBDA, clock);
        JobService service = new JobService(jobs, subJobs, idempotency, workflow.endings(), objects, ProgramRegistry.samples(),
                launcher, deployment.settings(), clock, () -> UUID.randomUUID().toString(), pageTokens);
        workers = WorkerProtocolHandler.dispatcher(new WorkerService(new WorkQueue(deployment.dynamoDb(),
                deployment.settings().workQueueTable()), jobs, objects, ProgramRegistry.samples(), WorkerIdentities.none(),
                callbacks, events, clock, () -> UUID.randomUUID().toString(), clock::advance), Caller.finder(false));
        api = new Api(service, ProgramRegistry.samples(), statistics,
                new ProgramCostStore(deployment.dynamoDb(), deployment.settings().countersTable()), new ApiMetrics(EmbeddedMetrics.standardOutput(Catalogue.METRICS_NAMESPACE)),
                clock, new UsageReports(jobs, deployment.settings().prices(), deployment.settings().adminUsers(), clock),
                deployment.settings().prices(), new WorkerWaits(new WorkQueue(deployment.dynamoDb(),
                        deployment.settings().workQueueTable()), ProgramRegistry.samples(), clock), Caller.finder(false));
    }

    /** {@code s3}, counting in {@link #objectReads} the objects (or ranges) it reads. */
    private S3Client countingObjectReads(S3Client s3) {
        return (S3Client) Proxy.newProxyInstance(S3Client.class.getClassLoader(), new Class<?>[] {S3Client.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("getObject")) {
                        objectReads.incrementAndGet();
                    }
                    try {
                        return method.invoke(s3, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private static byte[] randomKey() {
        byte[] key = new byte[PageTokenSigner.MIN_KEY_BYTES];
        new SecureRandom().nextBytes(key);
        return key;
    }

    /** A response, with the body parsed. */
    record Response(int status, JsonNode body, Map<String, String> headers) {
        String code() {
            return body.path("code").asText();
        }

        String message() {
            return body.path("message").asText();
        }
    }

    /** A request builder for one caller. */
    final class Call {
        private final APIGatewayProxyRequestEvent event;

        Call(APIGatewayProxyRequestEvent event) {
            this.event = event;
        }

        Call header(String name, String value) {
            Map<String, String> headers = new HashMap<>(event.getHeaders());
            headers.put(name, value);
            event.setHeaders(headers);
            return this;
        }

        Call query(String name, String value) {
            Map<String, String> query = event.getQueryStringParameters() == null ? new HashMap<>()
                    : new HashMap<>(event.getQueryStringParameters());
            query.put(name, value);
            event.setQueryStringParameters(query);
            return this;
        }

        Response send(String method, String path, String body) {
            event.setHttpMethod(method);
            event.setPath(path);
            event.setBody(body);
            event.getRequestContext().setHttpMethod(method);
            // As API Gateway does: the worker protocol's routes go to its function, any other request to the API's.
            boolean toWorkers = GATEWAY.match(method, path)
                    .filter(m -> m.route().function().equals(Catalogue.WORKER_PROTOCOL.name())).isPresent();
            String requestId = "req-" + requests.incrementAndGet();
            APIGatewayProxyResponseEvent response = toWorkers ? workers.handle(event, requestId) : api.handle(event, requestId);
            JsonNode parsed = response.getBody() == null ? StoredJson.MAPPER.nullNode() : readTree(response.getBody());
            return new Response(response.getStatusCode(), parsed, response.getHeaders());
        }

        Response get(String path) {
            return send("GET", path, null);
        }

        Response post(String path, String body) {
            return send("POST", path, body);
        }

        /** A POST of bytes that are not UTF-8 text, which API Gateway hands over base64-encoded. */
        Response postBytes(String path, byte[] body) {
            event.setIsBase64Encoded(true);
            return send("POST", path, Base64.getEncoder().encodeToString(body));
        }

        Response delete(String path) {
            return send("DELETE", path, null);
        }
    }

    /** A caller authenticated by a Cognito user pool, named by its subject. */
    Call as(String subject) {
        APIGatewayProxyRequestEvent event = EventLoader.loadApiGatewayRestEvent("events/cognito-request.json");
        @SuppressWarnings("unchecked")
        Map<String, Object> claims = new HashMap<>((Map<String, Object>) event.getRequestContext().getAuthorizer().get("claims"));
        claims.put("sub", subject);
        Map<String, Object> authorizer = new HashMap<>(event.getRequestContext().getAuthorizer());
        authorizer.put("claims", claims);
        event.getRequestContext().setAuthorizer(authorizer);
        return new Call(event);
    }

    Call alice() {
        return as("alice");
    }

    /** The IAM user bob, who signs his requests with SigV4. */
    Call bob() {
        return new Call(EventLoader.loadApiGatewayRestEvent("events/iam-request.json"));
    }

    Call anonymous() {
        return new Call(EventLoader.loadApiGatewayRestEvent("events/anonymous-request.json"));
    }

    /** Creates a job with inline files and submits it at once; returns its id. */
    String submittedJob(Call caller) {
        Response created = caller.post("/jobs", "{\"program\": \"checksum\", \"files\": [{\"name\": \"a.txt\", \"content\": \"hello\\n\"}], \"submit\": true}");
        if (created.status() != 201) {
            throw new AssertionError("could not create a job: " + created);
        }
        return created.body().path("job").path("jobId").asText();
    }

    Job stored(String jobId) {
        return jobs.get(jobId).orElseThrow();
    }

    /** Sends a presigned request the way any HTTP client would. */
    static HttpResponse<byte[]> send(JsonNode presigned, byte[] body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(java.net.URI.create(presigned.path("url").asText()))
                .method(presigned.path("method").asText("GET"),
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        presigned.path("headers").fields().forEachRemaining(h -> {
            if (!h.getKey().equalsIgnoreCase("content-length")) {
                request.header(h.getKey(), h.getValue().asText());
            }
        });
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static JsonNode readTree(String body) {
        try {
            return StoredJson.MAPPER.readTree(body);
        } catch (java.io.IOException e) {
            throw new AssertionError("the API answered something that is not JSON: " + body, e);
        }
    }
}
