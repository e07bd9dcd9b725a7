package io.conveyor.local.runtime.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.conveyor.scenarios.Await;
import io.conveyor.apiclient.JobApiClient;
import io.conveyor.local.runtime.testing.LocalRuntimeExtension;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Whole jobs through the HTTP API: a success with inline inputs, and a program's error reaching the user. */
class JobScenarioTest {
    @RegisterExtension
    static final LocalRuntimeExtension RUNTIME = new LocalRuntimeExtension();

    private static JsonNode awaitEnd(JobApiClient api, String id) {
        return Await.until("job " + id + " to end", Duration.ofMinutes(2), () -> {
            JsonNode job = api.get("/jobs/" + id).json().path("job");
            return Set.of("SUCCEEDED", "FAILED", "CANCELLED").contains(job.path("status").asText()) ? job : null;
        });
    }

    @Test
    void inlineJobSubmittedAtCreation_succeeds_withItsSubjobsAndResult() {
        JobApiClient erin = RUNTIME.api("erin");
        JobApiClient.Response created = erin.post("/jobs", "{\"program\":\"word-frequency\",\"parameters\":{\"top\":2},"
                + "\"submit\":true,\"files\":[{\"name\":\"a.txt\",\"content\":\"b a b\\nc b a\\n\"},"
                + "{\"name\":\"b.txt\",\"content\":\"a b\\n\"}]}");
        assertEquals(201, created.status(), created.text());
        String id = created.json().path("job").path("jobId").asText();

        JsonNode job = awaitEnd(erin, id);

        assertEquals("SUCCEEDED", job.path("status").asText(), job.toString());
        assertEquals(2, job.path("progress").path("succeeded").asInt(), job.toString());
        assertTrue(job.path("resultReady").asBoolean());
        JsonNode subJobs = erin.get("/jobs/" + id + "/subjobs").json().path("subJobs");
        assertEquals(2, subJobs.size(), subJobs.toString());
        subJobs.forEach(s -> assertEquals("SUCCEEDED", s.path("status").asText(), s.toString()));
        URI url = URI.create(erin.get("/jobs/" + id + "/result").json().path("url").asText());
        JsonNode result = erin.send("GET", url, Map.of(), null).json();
        assertEquals(8, result.path("totalWords").asInt(), result.toString());
        assertEquals("b", result.path("top").get(0).path("word").asText(), result.toString());
        assertEquals(4, result.path("top").get(0).path("count").asInt(), result.toString());
    }

    @Test
    void programRefusesParametersItsSchemaCannot_jobFailsWithTheProgramsCode() {
        JobApiClient frank = RUNTIME.api("frank");
        // Each parameter is within primes' schema, so the API takes the job; the range they make is empty, which only
        // the program sees.
        JobApiClient.Response created = frank.post("/jobs", "{\"program\":\"primes\",\"parameters\":{\"from\":100,"
                + "\"to\":10},\"submit\":true}");
        assertEquals(201, created.status(), created.text());

        JsonNode job = awaitEnd(frank, created.json().path("job").path("jobId").asText());

        assertEquals("FAILED", job.path("status").asText(), job.toString());
        assertEquals("Program.InvalidParameters", job.path("error").path("code").asText(), job.toString());
        assertTrue(job.path("error").path("message").asText().contains("'to' (10) must not be below 'from' (100)"), job.toString());
    }
}
