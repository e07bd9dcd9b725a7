package io.conveyor.local.runtime.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Clock;
import java.time.Instant;
import java.util.Collections;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.EventBridgeException;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;

/** An unmodified SDK client publishes into the recorder; entries are checked as EventBridge checks them. */
class EventBridgeEndpointTest {
    private static final EventLog LOG = new EventLog();
    private static EventBridgeEndpoint endpoint;
    private static EventBridgeClient client;

    @BeforeAll
    static void start() throws Exception {
        endpoint = EventBridgeEndpoint.start(LOG, Set.of("conveyor-jobs"), "000000000000", "eu-west-1", 0, Clock.systemUTC());
        client = EventBridgeClient.builder().endpointOverride(endpoint.endpoint()).region(Region.EU_WEST_1)
                .httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b"))).build();
    }

    @AfterAll
    static void stop() {
        client.close();
        endpoint.close();
    }

    private static PutEventsRequestEntry entry(String bus, String detail) {
        return PutEventsRequestEntry.builder().eventBusName(bus).source("io.conveyor").detailType("JobStatusChanged")
                .detail(detail).resources("arn:aws:states:eu-west-1:000000000000:execution:x:y")
                .time(Instant.parse("2026-03-04T05:06:07Z")).build();
    }

    @Test
    void putEvents_recordsEachEventInEventBridgesEnvelope() {
        PutEventsResponse response = client.putEvents(b -> b.entries(entry("conveyor-jobs", "{\"jobId\":\"j1\"}")));

        assertEquals(0, response.failedEntryCount());
        String id = response.entries().get(0).eventId();
        RecordedEvent recorded = LOG.matching(e -> e.id().equals(id)).get(0);
        assertEquals("conveyor-jobs", recorded.bus());
        assertEquals("j1", recorded.detail().path("jobId").asText());
        var envelope = recorded.envelope();
        assertEquals("JobStatusChanged", envelope.path("detail-type").asText());
        assertEquals("io.conveyor", envelope.path("source").asText());
        assertEquals("2026-03-04T05:06:07Z", envelope.path("time").asText());
        assertEquals("eu-west-1", envelope.path("region").asText());
        assertEquals("arn:aws:states:eu-west-1:000000000000:execution:x:y", envelope.path("resources").get(0).asText());
    }

    @Test
    void await_returnsAnEventRecordedLater_andNamesTheEventsKeptWhenNoneCame() throws Exception {
        EventLog log = new EventLog();
        var detail = new com.fasterxml.jackson.databind.ObjectMapper().readTree("{\"k\":1}");
        var later = java.util.concurrent.CompletableFuture.runAsync(() -> log.record(new RecordedEvent("e1", "b", "s",
                "T", detail, java.util.List.of(), Instant.EPOCH, "000000000000", "us-east-1")),
                java.util.concurrent.CompletableFuture.delayedExecutor(
                50, java.util.concurrent.TimeUnit.MILLISECONDS));

        assertEquals("e1", log.await(e -> e.detail().path("k").asInt() == 1, java.time.Duration.ofSeconds(10)).id());
        later.get();
        var none = assertThrows(AssertionError.class, () -> log.await(e -> false, java.time.Duration.ofMillis(20)));
        org.junit.jupiter.api.Assertions.assertTrue(none.getMessage().contains("\"id\":\"e1\""), none.getMessage());
    }

    @Test
    void putEvents_busByArn_isThatBus() {
        PutEventsResponse response = client.putEvents(b -> b.entries(
                entry("arn:aws:events:eu-west-1:000000000000:event-bus/conveyor-jobs", "{}")));

        assertEquals(0, response.failedEntryCount());
    }

    @Test
    void putEvents_badEntries_failOneByOne_andTheGoodOnesAreRecorded() {
        int before = LOG.all().size();
        PutEventsResponse response = client.putEvents(b -> b.entries(
                entry("conveyor-jobs", "not json"),
                entry("no-such-bus", "{}"),
                entry(null, "{\"on\":\"default\"}")));

        assertEquals(2, response.failedEntryCount());
        assertEquals("MalformedDetail", response.entries().get(0).errorCode());
        assertEquals("ResourceNotFoundException", response.entries().get(1).errorCode());
        assertNull(response.entries().get(2).errorCode());
        assertEquals(before + 1, LOG.all().size());
    }

    @Test
    void putEvents_moreThanTenEntries_isRefusedAsAWhole() {
        var eleven = Collections.nCopies(11, entry("conveyor-jobs", "{}"));

        var e = assertThrows(EventBridgeException.class, () -> client.putEvents(b -> b.entries(eleven)));
        assertEquals(400, e.statusCode());
    }
}
