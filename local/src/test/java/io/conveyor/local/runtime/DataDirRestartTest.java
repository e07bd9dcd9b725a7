package io.conveyor.local.runtime;

import io.conveyor.apiclient.JobApiClient;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** With a data directory, jobs survive a restart: the DynamoDB emulator and S3Proxy keep them on disk. */
class DataDirRestartTest {
    @TempDir
    Path dataDir;

    @Test
    void restart_onTheSameDataDir_keepsACreatedJobAndItsInputs() {
        LocalRuntimeOptions options = LocalRuntimeOptions.builder().dataDir(dataDir).schedules(false).build();
        String jobId;
        try (LocalRuntime first = LocalRuntime.start(options)) {
            JobApiClient.Response created = new JobApiClient(first.apiEndpoint(), "carol").post("/jobs",
                    "{\"program\":\"word-frequency\",\"parameters\":{\"top\":5},"
                            + "\"files\":[{\"name\":\"a.txt\",\"content\":\"to be or not to be\",\"contentType\":\"text/plain\"}]}");
            assertEquals(201, created.status(), created.text());
            jobId = created.json().path("job").path("jobId").asText();
        }

        try (LocalRuntime second = LocalRuntime.start(options)) {
            JobApiClient.Response got = new JobApiClient(second.apiEndpoint(), "carol").get("/jobs/" + jobId);

            assertEquals(200, got.status(), got.text());
            JsonNode job = got.json().path("job");
            assertEquals(jobId, job.path("jobId").asText());
            assertEquals("CREATED", job.path("status").asText());
            assertEquals("a.txt", job.path("inputs").get(0).path("name").asText());
            try (S3Client s3 = S3Client.builder().endpointOverride(second.endpoints().s3()).forcePathStyle(true)
                    .region(Region.of(second.options().region())).httpClient(UrlConnectionHttpClient.create())
                    .credentialsProvider(StaticCredentialsProvider.create(
                            AwsBasicCredentials.create(LocalRuntime.ACCESS_KEY, LocalRuntime.SECRET_KEY))).build()) {
                String input = s3.getObjectAsBytes(b -> b.bucket(LocalDeployment.BUCKET)
                        .key("jobs/" + jobId + "/inputs/a.txt")).asUtf8String();
                assertEquals("to be or not to be", input);
            }
        }
    }
}
