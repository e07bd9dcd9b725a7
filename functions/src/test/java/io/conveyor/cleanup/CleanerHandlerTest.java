package io.conveyor.cleanup;

import io.conveyor.testing.FixedContext;
import static io.conveyor.cleanup.CleanupFixture.T0;
import static io.conveyor.cleanup.CleanupFixture.objectsOfSucceeded;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.serialization.factories.JacksonFactory;
import io.conveyor.config.ConfigurationException;
import io.conveyor.job.Job;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/** The cleaner Lambda: its time budget, its report and the metrics it publishes, on the DynamoDB emulator and S3Proxy. */
class CleanerHandlerTest {
    private static final Duration SAFETY_MARGIN = Duration.ofSeconds(30);
    /** The event an EventBridge schedule sends, as Lambda's runtime maps it for a {@code Map} parameter. */
    private static final Map<String, Object> HOURLY = Map.of(
            "id", "53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa",
            "detail-type", "Scheduled Event",
            "source", "aws.events",
            "account", "123456789012",
            "time", "2026-01-01T00:00:00Z",
            "region", "us-east-1",
            "resources", List.of("arn:aws:events:us-east-1:123456789012:rule/conveyor-Cleaner"),
            "detail", Map.of());

    private CleanupFixture world;
    private RecordingMetrics metrics;
    private CleanerHandler handler;

    @BeforeEach
    void handlerOnAFreshDeployment() {
        world = new CleanupFixture();
        metrics = new RecordingMetrics();
        handler = new CleanerHandler(world.cleaner(), metrics.emf, RecordingMetrics.SERVICE, world.clock, SAFETY_MARGIN);
    }

    @Test
    void handleRequest_cleansExpiredJobs_returnsTheReport_andPublishesItsCounts() {
        Job a = world.succeeded("a", 2, T0);
        Job b = world.succeeded("b", 1, T0);

        CleanupReport report = handler.handleRequest(HOURLY, new FixedContext(60_000));

        int objects = objectsOfSucceeded(2) + objectsOfSucceeded(1);
        // One subjob item for each job: an item holds up to sixteen subjobs.
        assertEquals(new CleanupReport(2, 2, 0, objects, 2, false, 0, List.of()), report);
        world.assertGone(a);
        world.assertGone(b);
        assertEquals(1, metrics.flushes());
        assertEquals(Map.of(
                "JobsExamined", 2.0,
                "JobsDeleted", 2.0,
                "ObjectsDeleted", (double) objects,
                "SubJobItemsDeleted", 2.0,
                "CleanupErrors", 0.0,
                "CleanupStoppedForTime", 0.0), metrics.flushed());
    }

    @Test
    void handleRequest_withLessTimeLeftThanTheSafetyMargin_startsNoJob() {
        Job a = world.succeeded("a", 1, T0);

        CleanupReport report = handler.handleRequest(HOURLY, new FixedContext(20_000));

        assertTrue(report.stoppedForTime());
        assertEquals(0, report.jobsExamined());
        world.assertUntouched(a, objectsOfSucceeded(1), 1);
        assertEquals(1.0, metrics.flushed().get("CleanupStoppedForTime"));
    }

    @Test
    void handleRequest_whenTheExpiryIndexCannotBeRead_countsAnErrorAndFails() {
        world.faults.failWhen(request -> request instanceof QueryRequest);

        assertThrows(SdkClientException.class, () -> handler.handleRequest(HOURLY, new FixedContext(60_000)));

        assertEquals(Map.of("CleanupErrors", 1.0), metrics.flushed());
    }

    @Test
    void report_serializesWithTheLambdaRuntimesSerializer() {
        CleanupReport report = new CleanupReport(3, 2, 0, 17, 5, true, 1, List.of("job-9"));
        ByteArrayOutputStream json = new ByteArrayOutputStream();

        JacksonFactory.getInstance().getSerializer(CleanupReport.class).toJson(report, json);

        assertEquals("{\"jobsExamined\":3,\"jobsDeleted\":2,\"jobsSkipped\":0,\"objectsDeleted\":17,"
                + "\"subJobItemsDeleted\":5,\"stoppedForTime\":true,\"errors\":1,\"failedJobIds\":[\"job-9\"]}",
                json.toString(StandardCharsets.UTF_8));
    }

    @Test
    void noArgConstructor_withoutConfiguration_failsNamingTheMissingSettings() {
        // This JVM has none of the deployment's variables: the handler must refuse to start, and say why.
        ConfigurationException e = assertThrows(ConfigurationException.class, CleanerHandler::new);
        assertTrue(e.getMessage().contains("CONVEYOR_JOBS_TABLE"), e.getMessage());
    }
}
