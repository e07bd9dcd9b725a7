package io.conveyor.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conveyor.job.Job;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bad-input catalogue of every route but the body of POST /jobs (that is {@link BadInputApiTest}'s): ids that are
 * someone else's, malformed or absurd, actions on a job in the wrong state, query parameters and headers out of their
 * range, routes and methods that do not exist. Each gets its status, its code and a message that says what to change,
 * and changes nothing: the caller's jobs keep their statuses and no object is stored.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadRouteInputApiTest {
    private final ApiHarness h = new ApiHarness();
    /** Stand-ins in the catalogue's paths for the jobs made before it runs. */
    private final Map<String, String> jobs = new HashMap<>();
    private Map<String, String> statusesBefore;
    private int objectsBefore;

    @BeforeAll
    void jobsInEveryState() {
        jobs.put("{bobs}", h.submittedJob(h.bob()));
        jobs.put("{queued}", h.submittedJob(h.alice()));
        jobs.put("{awaitingUpload}", h.alice().post("/jobs", "{\"program\": \"checksum\", \"inputs\": "
                + "[{\"name\": \"never.txt\", \"size\": 5}]}").body().path("job").path("jobId").asText());
        String cancelled = h.submittedJob(h.alice());
        assertEquals(200, h.alice().delete("/jobs/" + cancelled).status());
        jobs.put("{cancelled}", cancelled);
        statusesBefore = alicesStatuses();
        objectsBefore = h.objects.list("jobs/", 1000).size();
    }

    static Stream<Arguments> catalogue() {
        String notFound = "No job";
        return Stream.of(
                // Someone else's job answers exactly as a job that does not exist, on every route that names one.
                row("GET", "/jobs/{bobs}", Map.of(), 404, "JobNotFound", notFound),
                row("DELETE", "/jobs/{bobs}", Map.of(), 404, "JobNotFound", notFound),
                row("POST", "/jobs/{bobs}/submit", Map.of(), 404, "JobNotFound", notFound),
                row("POST", "/jobs/{bobs}/retry", Map.of(), 404, "JobNotFound", notFound),
                row("GET", "/jobs/{bobs}/subjobs", Map.of(), 404, "JobNotFound", notFound),
                row("GET", "/jobs/{bobs}/result", Map.of(), 404, "JobNotFound", notFound),
                row("GET", "/jobs/no-such-job", Map.of(), 404, "JobNotFound", notFound),
                row("GET", "/jobs/" + "7".repeat(5000), Map.of(), 404, "JobNotFound", notFound),
                row("GET", "/jobs/..%2F..%2Fetc", Map.of(), 404, "JobNotFound", notFound),
                row("DELETE", "/jobs/%00", Map.of(), 404, "JobNotFound", notFound),
                row("GET", "/jobs/%", Map.of(), 404, "JobNotFound", notFound),
                row("POST", "/jobs/%zz/submit", Map.of(), 404, "JobNotFound", notFound),
                // Actions on a job in the wrong state.
                row("POST", "/jobs/{awaitingUpload}/submit", Map.of(), 409, "InputsNotReady", "never.txt has not been uploaded"),
                row("POST", "/jobs/{queued}/retry", Map.of(), 409, "JobNotRetryable", "is QUEUED"),
                row("GET", "/jobs/{queued}/result", Map.of(), 409, "ResultNotReady", "is QUEUED"),
                row("DELETE", "/jobs/{cancelled}", Map.of(), 409, "JobAlreadyFinished", "already CANCELLED"),
                row("POST", "/jobs/{cancelled}/submit", Map.of(), 409, "JobAlreadyFinished", "/retry"),
                row("GET", "/jobs/{cancelled}/result", Map.of(), 409, "ResultNotReady", "is CANCELLED"),
                // Query parameters out of their range.
                row("GET", "/jobs", Map.of("limit", "0"), 400, "InvalidRequest", "'limit' must be a whole number from 1 to 100"),
                row("GET", "/jobs", Map.of("limit", "101"), 400, "InvalidRequest", "from 1 to 100"),
                row("GET", "/jobs", Map.of("limit", "1e2"), 400, "InvalidRequest", "'limit' must be a whole number"),
                row("GET", "/jobs", Map.of("limit", "99999999999999999999"), 400, "InvalidRequest", "'limit'"),
                row("GET", "/jobs", Map.of("status", "DONE"), 400, "InvalidRequest", "'status' must be one of"),
                row("GET", "/jobs", Map.of("status", "QUEUED,RUNNING"), 400, "InvalidRequest", "'status' must be one of"),
                row("GET", "/jobs", Map.of("nextToken", "garbage"), 400, "InvalidRequest", "pass back nextToken exactly as received"),
                row("GET", "/jobs", Map.of("nextToken", "e30.AAAA"), 400, "InvalidRequest", "nextToken"),
                row("GET", "/jobs/{queued}/subjobs", Map.of("limit", "1001"), 400, "InvalidRequest", "from 1 to 1000"),
                row("GET", "/jobs/{queued}/subjobs", Map.of("nextToken", "%%%"), 400, "InvalidRequest", "nextToken"),
                // Headers.
                row("POST", "/jobs", Map.of("Idempotency-Key", "k".repeat(256)), 400, "InvalidRequest", "Idempotency-Key header must be 1 to 255"),
                row("POST", "/jobs", Map.of("Idempotency-Key", "clé"), 400, "InvalidRequest", "visible ASCII"),
                row("POST", "/jobs", Map.of("Idempotency-Key", "a b"), 400, "InvalidRequest", "visible ASCII"),
                // Routes and methods that do not exist, and programs that do not.
                row("GET", "/programs/bitcoin-miner", Map.of(), 404, "ProgramNotFound", "bitcoin-miner"),
                row("GET", "/nothing-here", Map.of(), 404, "RouteNotFound", "OpenAPI document"),
                row("GET", "/jobs/{queued}/subjobs/0/extra", Map.of(), 404, "RouteNotFound", "no route"),
                row("PUT", "/jobs", Map.of(), 405, "MethodNotAllowed", "is not supported on /jobs"),
                row("PATCH", "/jobs/{queued}", Map.of(), 405, "MethodNotAllowed", "are."),
                row("DELETE", "/programs", Map.of(), 405, "MethodNotAllowed", "GET"));
    }

    private static Arguments row(String method, String path, Map<String, String> parameters, int status, String code,
            String inMessage) {
        return Arguments.of(method + " " + path + (parameters.isEmpty() ? "" : " " + parameters), method, path, parameters,
                status, code, inMessage);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("catalogue")
    void badRequest_isRefusedSayingWhatToChange(String name, String method, String path, Map<String, String> parameters,
            int status, String code, String inMessage) {
        String resolved = path;
        for (Map.Entry<String, String> job : jobs.entrySet()) {
            resolved = resolved.replace(job.getKey(), job.getValue());
        }
        ApiHarness.Call call = h.alice();
        for (Map.Entry<String, String> p : parameters.entrySet()) {
            call = p.getKey().equals("Idempotency-Key") ? call.header(p.getKey(), p.getValue()) : call.query(p.getKey(), p.getValue());
        }
        String body = method.equals("POST") && path.equals("/jobs") ? "{\"program\": \"primes\"}" : null;
        ApiHarness.Response response = call.send(method, resolved, body);
        assertEquals(status, response.status(), name + ": " + response);
        assertEquals(code, response.code(), name + ": " + response);
        assertTrue(response.message().contains(inMessage), name + ": " + response.message());
    }

    @AfterEach
    void nothingChanged() {
        assertEquals(statusesBefore, alicesStatuses(), "a refused request changes no job and stores none");
        assertEquals(objectsBefore, h.objects.list("jobs/", 1000).size(), "a refused request stores no object");
    }

    private Map<String, String> alicesStatuses() {
        List<Job> alices = h.jobs.listForOwner("alice", Optional.empty(), Optional.empty(), 100, Optional.empty()).items();
        Map<String, String> statuses = new TreeMap<>();
        alices.forEach(j -> statuses.put(j.id(), j.status() + " version " + j.version()));
        return statuses;
    }
}
