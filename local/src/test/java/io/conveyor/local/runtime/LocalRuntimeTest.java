package io.conveyor.local.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.conveyor.apiclient.JobApiClient;
import io.conveyor.deployment.Catalogue;
import io.conveyor.local.runtime.schedule.Scheduler;
import io.conveyor.local.runtime.testing.LocalRuntimeExtension;
import io.conveyor.scenarios.Await;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;

/** The runtime as a whole, in memory: the real handlers behind the API, the services they reach, the schedule. */
class LocalRuntimeTest {
    @RegisterExtension
    static final LocalRuntimeExtension RUNTIME = new LocalRuntimeExtension(LocalRuntimeOptions.builder()
            .timeScale(0.001) // the cleaner's hourly rule fires every 3.6 s
            .build());

    @Test
    void start_createsTheCatalogue_andReportsItsEndpoints() {
        LocalRuntime runtime = RUNTIME.runtime();
        JsonNode health = RUNTIME.api("alice").get("/_local/health").json();

        assertEquals("ok", health.path("status").asText());
        assertEquals(runtime.apiEndpoint().toString(), health.path("endpoints").path("api").asText());
        assertTrue(health.path("endpoints").path("s3").isMissingNode(), "the emulators only with --dev-open: " + health);
        assertTrue(health.path("credentials").isMissingNode(), health.toString());
        assertEquals(Catalogue.stateMachines(io.conveyor.program.ProgramRegistry.samples()).size(),
                runtime.stateMachines().size(), "one state machine per program: " + runtime.stateMachines());
        JsonNode functions = RUNTIME.api("alice").get("/_local/functions").json().path("functions");
        assertEquals(Catalogue.FUNCTIONS.size(), functions.size());
        functions.forEach(f -> assertTrue(f.path("handlerPresent").asBoolean(), f.toString()));
        assertTrue(runtime.startupTime().compareTo(Duration.ofSeconds(30)) < 0, "started in " + runtime.startupTime());
    }

    @Test
    void api_createsAJobThroughTheRealHandler_andTakesItsUploadThroughThePresignedUrl() {
        JobApiClient alice = RUNTIME.api("alice");
        byte[] text = "the quick brown fox jumps over the lazy dog the end".getBytes(StandardCharsets.UTF_8);

        JobApiClient.Response created = alice.post("/jobs", "{\"program\":\"word-frequency\",\"parameters\":{\"top\":3},"
                + "\"inputs\":[{\"name\":\"fox.txt\",\"size\":" + text.length + ",\"contentType\":\"text/plain\"}]}");

        assertEquals(201, created.status(), created.text());
        String id = created.json().path("job").path("jobId").asText();
        assertEquals("/jobs/" + id, created.header("Location"));
        JsonNode upload = created.json().path("uploads").get(0);
        Map<String, String> headers = new HashMap<>();
        upload.path("headers").fields().forEachRemaining(h -> headers.put(h.getKey(), h.getValue().asText()));
        URI url = URI.create(upload.path("url").asText());
        assertEquals(RUNTIME.runtime().endpoints().s3().getPort(), url.getPort(), "presigned for the local S3: " + url);
        assertEquals(200, alice.send(upload.path("method").asText(), url, headers, text).status());

        JobApiClient.Response got = alice.get("/jobs/" + id);
        assertEquals(200, got.status(), got.text());
        assertEquals("CREATED", got.json().path("job").path("status").asText());
        assertEquals(404, RUNTIME.api("bob").get("/jobs/" + id).status(), "another user's job looks missing");
    }

    @Test
    void eventBridge_recordsWhatTheSdkPublishes_andListsItOverHttp() {
        // A client built as the functions build theirs: endpoint and credentials from the SDK's settings.
        try (EventBridgeClient events = EventBridgeClient.builder().region(Region.US_EAST_1)
                .httpClient(UrlConnectionHttpClient.create()).build()) {
            var response = events.putEvents(b -> b.entries(e -> e.eventBusName(Catalogue.EVENT_BUS)
                    .source(Catalogue.EVENT_SOURCE).detailType("JobStatusChanged")
                    .detail("{\"jobId\":\"j-test-1\",\"owner\":\"alice\",\"status\":\"SUCCEEDED\"}")));
            assertEquals(0, response.failedEntryCount());
        }

        String query = "/_local/events?detail-type=JobStatusChanged&source=io.conveyor";
        JsonNode event = eventOf("j-test-1", RUNTIME.api("alice").get(query).json());
        assertNotNull(event, "the owner sees the event of her job");
        assertNull(eventOf("j-test-1", RUNTIME.api("bob").get(query).json()), "another user does not");
        assertEquals("SUCCEEDED", event.path("detail").path("status").asText());
        assertEquals(Catalogue.EVENT_BUS, event.path("event-bus-name").asText());
        assertEquals(LocalDeployment.ACCOUNT, event.path("account").asText());
    }

    @Test
    void schedule_runsTheCleanerWithAScheduledEvent() {
        Scheduler.Firing firing = Await.until("the cleaner's rule to fire", Duration.ofSeconds(30),
                () -> RUNTIME.runtime().scheduler().firings().stream()
                        .filter(f -> f.rule().equals(Catalogue.CLEANER_SCHEDULE.name())).findFirst().orElse(null));

        assertFalse(firing.invocation().failed(), firing.invocation().payload());
        assertEquals(Catalogue.CLEANER.name(), firing.invocation().function());
        assertTrue(firing.invocation().payload().contains("jobsExamined"), firing.invocation().payload());
    }

    /** The event of job {@code jobId} in a {@code /_local/events} answer, or null. */
    static JsonNode eventOf(String jobId, JsonNode listed) {
        for (JsonNode e : listed.path("events")) {
            if (e.path("detail").path("jobId").asText().equals(jobId)) {
                return e;
            }
        }
        return null;
    }

    @Test
    void localEndpoints_withoutDevOpen_refuseToFireARule_andAskForAToken() {
        JobApiClient.Response refused = RUNTIME.api("alice").post("/_local/schedules/" + Catalogue.CLEANER_SCHEDULE.name(), null);

        assertEquals(403, refused.status(), refused.text());
        assertTrue(refused.json().path("message").asText().contains("--dev-open"), refused.text());
        assertEquals(401, RUNTIME.api(null).get("/_local/events").status());
    }

    @Test
    void secondRuntimeInTheSameJvm_isRefused() {
        var e = assertThrows(IllegalStateException.class, () -> LocalRuntime.start(LocalRuntimeOptions.defaults()));
        assertTrue(e.getMessage().contains("already runs"), e.getMessage());
    }
}
