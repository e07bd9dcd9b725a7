package io.conveyor.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SettingsTest {

    private static Map<String, String> complete() {
        Map<String, String> env = new HashMap<>();
        env.put("AWS_REGION", "eu-west-1");
        env.put("CONVEYOR_JOBS_TABLE", "jobs");
        env.put("CONVEYOR_SUBJOBS_TABLE", "subjobs");
        env.put("CONVEYOR_COUNTERS_TABLE", "counters");
        env.put("CONVEYOR_IDEMPOTENCY_TABLE", "idempotency");
        env.put("CONVEYOR_WAITLIST_TABLE", "waitlist");
        env.put("CONVEYOR_WORK_QUEUE_TABLE", "work-queue");
        env.put("CONVEYOR_BUCKET", "bucket");
        return env;
    }

    @Test
    void defaults_applyWhenOnlyTheRequiredSettingsAreGiven() {
        Settings settings = Settings.from(complete());
        assertEquals("jobs", settings.jobsTable());
        assertEquals(5, settings.maxActiveJobsPerUser());
        assertEquals(10, settings.maxActiveJobsPerProgram());
        assertEquals(Duration.ofMinutes(15), settings.presignedUrlTtl());
        assertEquals(Duration.ofDays(7), settings.defaultRetention());
        assertEquals(Optional.empty(), settings.s3Endpoint());
        assertEquals(64L * 1024 * 1024, settings.multipartThreshold());
        assertEquals(64L * 1024 * 1024, settings.multipartPartSize());
        assertEquals(1000, settings.multipartUrlsPerResponse());
        assertFalse(settings.devTokenAuth(), "development token authentication is off unless a deployment says so");
    }

    @Test
    void multipartSizes_takeBytesOrABinarySuffix_withinWhatS3Allows() {
        Map<String, String> env = complete();
        env.put("CONVEYOR_MULTIPART_THRESHOLD", "5MiB");
        env.put("CONVEYOR_MULTIPART_PART_SIZE", "8388608");
        Settings settings = Settings.from(env);
        assertEquals(5L * 1024 * 1024, settings.multipartThreshold());
        assertEquals(8L * 1024 * 1024, settings.multipartPartSize());

        env.put("CONVEYOR_MULTIPART_THRESHOLD", "6GiB");
        env.put("CONVEYOR_MULTIPART_PART_SIZE", "1MiB");
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> Settings.from(env));
        assertEquals(List.of(
                "CONVEYOR_MULTIPART_THRESHOLD must be a size from 5MiB to 5GiB, in bytes or with a KiB, MiB or GiB suffix"
                        + " (for example 64MiB), was '6GiB'",
                "CONVEYOR_MULTIPART_PART_SIZE must be a size from 5MiB to 5GiB, in bytes or with a KiB, MiB or GiB suffix"
                        + " (for example 64MiB), was '1MiB'"), e.problems());
    }

    @Test
    void devTokenAuth_isOnOnlyWhenSetToTrue_andAnythingButABooleanIsRefused() {
        Map<String, String> env = complete();
        env.put("CONVEYOR_DEV_TOKEN_AUTH", "true");
        assertTrue(Settings.from(env).devTokenAuth());
        env.put("CONVEYOR_DEV_TOKEN_AUTH", "yes");
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> Settings.from(env));
        assertEquals(List.of("CONVEYOR_DEV_TOKEN_AUTH must be true or false, was 'yes'"), e.problems());
    }

    @Test
    void missingSettings_areAllNamedAtOnce() {
        Map<String, String> env = complete();
        env.remove("CONVEYOR_BUCKET");
        env.put("CONVEYOR_JOBS_TABLE", "  ");
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> Settings.from(env));
        assertEquals(List.of("CONVEYOR_JOBS_TABLE is not set", "CONVEYOR_BUCKET is not set"), e.problems());
    }

    @Test
    void badValues_sayWhatIsExpected() {
        Map<String, String> env = complete();
        env.put("CONVEYOR_MAX_ACTIVE_JOBS_PER_USER", "five");
        env.put("CONVEYOR_PRESIGNED_URL_TTL", "P30D");
        env.put("AWS_ENDPOINT_URL_S3", "localhost:4566");
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> Settings.from(env));
        assertEquals(3, e.problems().size(), e.getMessage());
        assertTrue(e.getMessage().contains("CONVEYOR_MAX_ACTIVE_JOBS_PER_USER must be a whole number above 0, was 'five'"));
        assertTrue(e.getMessage().contains("CONVEYOR_PRESIGNED_URL_TTL must be an ISO-8601 duration"));
        assertTrue(e.getMessage().contains("AWS_ENDPOINT_URL_S3 must be an http(s) URL"));
    }

    @Test
    void s3Endpoint_prefersTheServiceSpecificSetting() {
        Map<String, String> env = complete();
        env.put("AWS_ENDPOINT_URL", "http://127.0.0.1:4566");
        assertEquals(Optional.of(URI.create("http://127.0.0.1:4566")), Settings.from(env).s3Endpoint());
        env.put("AWS_ENDPOINT_URL_S3", "http://127.0.0.1:9000");
        assertEquals(Optional.of(URI.create("http://127.0.0.1:9000")), Settings.from(env).s3Endpoint());
    }

    @Test
    void defaultRetention_mayNotExceedTheMaximum() {
        Map<String, String> env = complete();
        env.put("CONVEYOR_DEFAULT_RETENTION", "P30D");
        env.put("CONVEYOR_MAX_RETENTION", "P10D");
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> Settings.from(env));
        assertTrue(e.getMessage().contains("must not exceed CONVEYOR_MAX_RETENTION"), e.getMessage());
    }
}
