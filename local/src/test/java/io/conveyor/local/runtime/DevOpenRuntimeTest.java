package io.conveyor.local.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.conveyor.apiclient.JobApiClient;
import io.conveyor.deployment.Catalogue;
import io.conveyor.local.runtime.testing.LocalRuntimeExtension;
import io.conveyor.scenarios.Await;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A runtime started with --dev-open: its own endpoints hand out what reaches every user's data. */
class DevOpenRuntimeTest {
    @RegisterExtension
    static final LocalRuntimeExtension RUNTIME = new LocalRuntimeExtension(LocalRuntimeOptions.builder()
            .devOpen(true)
            .build());

    @Test
    void health_listsTheEmulatorsEndpointsAndCredentials() {
        JsonNode health = RUNTIME.api("alice").get("/_local/health").json();

        assertEquals(RUNTIME.runtime().endpoints().dynamoDb().toString(), health.path("endpoints").path("dynamodb").asText());
        assertEquals(RUNTIME.runtime().endpoints().s3().toString(), health.path("endpoints").path("s3").asText());
        assertEquals(LocalRuntime.ACCESS_KEY, health.path("credentials").path("accessKeyId").asText());
    }

    @Test
    void events_listEveryUsersJobs() {
        JobApiClient.Response created = RUNTIME.api("bob").post("/jobs", "{\"program\":\"primes\",\"parameters\":"
                + "{\"to\":\"100\"},\"submit\":true}");
        assertEquals(201, created.status(), created.text());
        String id = created.json().path("job").path("jobId").asText();

        JsonNode event = Await.until("bob's job to end", Duration.ofSeconds(60),
                () -> LocalRuntimeTest.eventOf(id, RUNTIME.api("alice").get("/_local/events?source=io.conveyor").json()));
        assertNotNull(event);
        assertEquals("bob", event.path("detail").path("owner").asText());
    }

    @Test
    void aRuleIsFiredByHand() {
        JobApiClient.Response fired = RUNTIME.api("alice").post("/_local/schedules/" + Catalogue.CLEANER_SCHEDULE.name(), null);

        assertEquals(200, fired.status(), fired.text());
        assertFalse(fired.json().path("failed").asBoolean(), fired.text());
        assertEquals(404, RUNTIME.api("alice").post("/_local/schedules/NoSuchRule", null).status());
    }
}
