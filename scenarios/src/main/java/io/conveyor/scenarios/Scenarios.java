package io.conveyor.scenarios;

import com.fasterxml.jackson.databind.JsonNode;
import io.conveyor.apiclient.JobApiClient;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;

/** Whole-job steps shared by the scenario tests: create, upload, submit, wait, over the HTTP API only. */
public final class Scenarios {
    /** Programs the scenarios register next to the samples: see {@link ScenarioProgram}. */
    public static final String PROGRAMS = """
            [{"name": "scenario", "implementation": "java:io.conveyor.scenarios.ScenarioProgram",
              "toleratedFailurePercentage": 25, "maxConcurrency": 10, "subJobTimeoutSeconds": 60,
              "retry": {"intervalSeconds": 1, "backoffRate": 2.0, "maxDelaySeconds": 2, "jitter": "FULL", "maxAttempts": 3},
              "reRegistration": {"delaySeconds": 1, "maxAttempts": 2}},
             {"name": "scenario-strict", "implementation": "java:io.conveyor.scenarios.ScenarioProgram",
              "toleratedFailurePercentage": 0, "maxConcurrency": 10, "subJobTimeoutSeconds": 60,
              "retry": {"intervalSeconds": 1, "backoffRate": 2.0, "maxDelaySeconds": 2, "jitter": "FULL", "maxAttempts": 3},
              "reRegistration": {"delaySeconds": 1, "maxAttempts": 2}}]""";

    /**
     * How long a job may take to end: 90 s unless the system property {@code conveyor.scenarios.jobTimeout} (ISO-8601)
     * says otherwise, as the LocalStack suite does, where each function's first call starts a container.
     */
    static final Duration JOB_TIMEOUT = Duration.parse(System.getProperty("conveyor.scenarios.jobTimeout", "PT90S"));
    private static final Set<String> TERMINAL = Set.of("SUCCEEDED", "FAILED", "CANCELLED");

    private Scenarios() {}

    /** Skips the calling scenario, with the reason, where {@code target} lacks {@code capability}. */
    static void require(ScenarioTarget target, ScenarioTarget.Capability capability) {
        target.lacks(capability).ifPresent(reason -> Assumptions.abort(target + " lacks " + capability + ": " + reason));
    }

    /** Creates and submits a job with inline inputs only; returns its id. */
    static String submit(JobApiClient api, String program, Map<String, Object> parameters) {
        return submit(api, program, parameters, "");
    }

    static String submit(JobApiClient api, String program, Map<String, Object> parameters, String extraFields) {
        String body = "{\"program\": \"" + program + "\", \"parameters\": " + io.conveyor.persistence.StoredJson.write(parameters)
                + ", \"submit\": true" + extraFields + "}";
        JobApiClient.Response created = api.post("/jobs", body);
        if (created.status() != 201) {
            throw new AssertionError("creating a " + program + " job answered " + created.status() + ": " + created.text());
        }
        return created.json().path("job").path("jobId").asText();
    }

    static JsonNode job(JobApiClient api, String id) {
        JobApiClient.Response response = api.get("/jobs/" + id);
        if (response.status() != 200) {
            throw new AssertionError("GET /jobs/" + id + " answered " + response.status() + ": " + response.text());
        }
        return response.json().path("job");
    }

    /** Waits until the job is terminal and returns it. */
    static JsonNode awaitEnd(JobApiClient api, String id) {
        return awaitEnd(api, id, JOB_TIMEOUT);
    }

    /** Waits up to {@code timeout} until the job is terminal and returns it. */
    public static JsonNode awaitEnd(JobApiClient api, String id, Duration timeout) {
        return Await.until("job " + id + " to end", timeout, () -> {
            JsonNode job = job(api, id);
            return TERMINAL.contains(job.path("status").asText()) ? job : null;
        });
    }

    /** Waits until the job has the given status and returns it. */
    static JsonNode awaitStatus(JobApiClient api, String id, String status) {
        return Await.until("job " + id + " to be " + status, JOB_TIMEOUT, () -> {
            JsonNode job = job(api, id);
            return status.equals(job.path("status").asText()) ? job : null;
        });
    }

    static JsonNode result(JobApiClient api, String id) {
        JobApiClient.Response location = api.get("/jobs/" + id + "/result");
        if (location.status() != 200) {
            throw new AssertionError("GET result answered " + location.status() + ": " + location.text());
        }
        JobApiClient.Response download = api.send("GET", java.net.URI.create(location.json().path("url").asText()), Map.of(), null);
        try {
            return io.conveyor.persistence.StoredJson.MAPPER.readTree(download.text());
        } catch (java.io.IOException e) {
            throw new AssertionError("the result is not JSON: " + download.text(), e);
        }
    }
}
