package io.conveyor.local.runtime.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.conveyor.apiclient.JobApiClient;
import io.conveyor.deployment.Catalogue;
import io.conveyor.local.runtime.LocalRuntimeOptions;
import io.conveyor.local.runtime.testing.LocalRuntimeExtension;
import io.conveyor.scenarios.Await;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Lambda throttling through a whole job: RunSubJob may run one invocation at a time while the job's map runs four
 * batches at once, so most calls are refused with {@code TooManyRequestsException}, and the workflow's Retry on
 * {@code Lambda.TooManyRequestsException} (with the program's backoff and full jitter) runs them again until every
 * subjob has run once.
 */
class ThrottlingScenarioTest {
    /** Four batches at once, and enough retries with full jitter that a batch is never refused every time. */
    private static final String PROGRAMS = """
            [{"name": "throttled", "implementation": "java:io.conveyor.scenarios.ScenarioProgram",
              "toleratedFailurePercentage": 0, "maxConcurrency": 4, "subJobTimeoutSeconds": 60,
              "retry": {"intervalSeconds": 1, "backoffRate": 2.0, "maxDelaySeconds": 4, "jitter": "FULL", "maxAttempts": 20},
              "reRegistration": {"delaySeconds": 1, "maxAttempts": 2}}]""";
    private static final Set<String> TERMINAL = Set.of("SUCCEEDED", "FAILED", "CANCELLED");

    @RegisterExtension
    static final LocalRuntimeExtension RUNTIME = new LocalRuntimeExtension(LocalRuntimeOptions.builder()
            .timeScale(LocalRuntimeExtension.DEFAULT_TIME_SCALE)
            .schedules(false)
            .environment("CONVEYOR_PROGRAMS", PROGRAMS)
            .reservedConcurrency(Catalogue.RUN_SUBJOB.name(), 1)
            .build());

    @Test
    void aJobWhoseSubjobFunctionRunsOneAtATime_isThrottled_retried_andSucceeds_withEverySubjobCountedOnce() {
        JobApiClient alice = RUNTIME.api("alice");
        JobApiClient.Response created = alice.post("/jobs", "{\"program\": \"throttled\", \"parameters\": "
                + "{\"subJobs\": 24, \"workMillis\": 100}, \"submit\": true}");
        assertEquals(201, created.status(), created.text());
        String id = created.json().path("job").path("jobId").asText();

        JsonNode job = Await.until("job " + id + " to end", Duration.ofSeconds(120), () -> {
            JsonNode j = alice.get("/jobs/" + id).json().path("job");
            return TERMINAL.contains(j.path("status").asText()) ? j : null;
        });

        assertEquals("SUCCEEDED", job.path("status").asText(), job.toString());
        assertEquals(1, job.path("attempts").size(), "no re-registration was needed: the retries sufficed");
        JsonNode result = alice.get("/jobs/" + id + "/result").json();
        assertEquals(200, alice.get("/jobs/" + id + "/result").status(), result.toString());
        int throttles = RUNTIME.runtime().lambda().throttles(Catalogue.RUN_SUBJOB.name());
        assertTrue(throttles > 0, "RunSubJob was throttled");

        JsonNode runSubJob = null;
        for (JsonNode f : alice.get("/_local/functions").json().path("functions")) {
            if (f.path("name").asText().equals(Catalogue.RUN_SUBJOB.name())) {
                runSubJob = f;
            }
        }
        assertEquals(1, runSubJob.path("reservedConcurrency").asInt(), runSubJob.toString());
        assertTrue(runSubJob.path("throttles").asInt() >= throttles, "the throttles show in /_local/functions");
        assertEquals(24, job.path("progress").path("succeeded").asInt(), job.toString());
        assertEquals(0, job.path("progress").path("failed").asInt(), job.toString());
    }
}
