package io.conveyor.local.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conveyor.deployment.Resource;
import io.conveyor.local.runtime.LocalApiClient;
import io.conveyor.local.runtime.LocalRuntime;
import io.conveyor.local.runtime.LocalRuntimeOptions;
import io.conveyor.local.runtime.testing.LocalRuntimeExtension;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.S3Client;

/** The cleaner, run by its schedule in the runtime, removes an expired job entirely and leaves the others alone. */
class ExpiryScenariosTest {
    @RegisterExtension
    static final LocalRuntimeExtension RUNTIME = new LocalRuntimeExtension(LocalRuntimeOptions.builder()
            .timeScale(LocalRuntimeExtension.DEFAULT_TIME_SCALE)
            .schedules(true) // hourly, at this time scale every 6 minutes: the test fires it itself
            .environment("CONVEYOR_CLEANER_GRACE", "PT0S")
            .build());

    @Test
    void cleaner_removesAnExpiredJobEntirely_andLeavesActiveAndUnexpiredJobsAlone() {
        LocalApiClient alice = RUNTIME.api("alice");
        String expired = Scenarios.submit(alice, "primes", Map.of("to", 1000, "subJobs", 3), ", \"retention\": \"PT1H\"");
        String kept = Scenarios.submit(alice, "primes", Map.of("to", 1000, "subJobs", 3));
        assertEquals("SUCCEEDED", Scenarios.awaitEnd(alice, expired).path("status").asText());
        assertEquals("SUCCEEDED", Scenarios.awaitEnd(alice, kept).path("status").asText());
        LocalApiClient.Response waiting = alice.post("/jobs", "{\"program\": \"checksum\", \"inputs\": [{\"name\": \"a\", \"size\": 1}]}");
        String active = waiting.json().path("job").path("jobId").asText();

        LocalRuntime runtime = RUNTIME.runtime();
        Map<Resource, String> names = runtime.deployment().resourceNames();
        StaticCredentialsProvider credentials = StaticCredentialsProvider.create(
                AwsBasicCredentials.create(LocalRuntime.ACCESS_KEY, LocalRuntime.SECRET_KEY));
        try (DynamoDbClient dynamoDb = DynamoDbClient.builder().endpointOverride(runtime.endpoints().dynamoDb())
                .region(Region.of(runtime.options().region())).credentialsProvider(credentials)
                .httpClient(UrlConnectionHttpClient.create()).build();
             S3Client s3 = S3Client.builder().endpointOverride(runtime.endpoints().s3()).forcePathStyle(true)
                .region(Region.of(runtime.options().region())).credentialsProvider(credentials)
                .httpClient(UrlConnectionHttpClient.create()).build()) {
            // Time passes for one job only: its stored expiry moves an hour and a second into the past.
            dynamoDb.updateItem(b -> b.tableName(names.get(Resource.JOBS_TABLE))
                    .key(Map.of("jobId", AttributeValue.fromS(expired)))
                    .updateExpression("SET expiresAt = :past")
                    .expressionAttributeValues(Map.of(":past",
                            AttributeValue.fromN(Long.toString(Instant.now().minusSeconds(3601).getEpochSecond())))));
            assertEquals(410, alice.get("/jobs/" + expired).status(), "expired but not yet deleted: gone");

            runtime.scheduler().fire("CleanerSchedule");

            assertEquals(404, alice.get("/jobs/" + expired).status());
            String bucket = names.get(Resource.BUCKET);
            assertEquals(0, s3.listObjectsV2(b -> b.bucket(bucket).prefix("jobs/" + expired + "/")).keyCount());
            assertEquals(0, dynamoDb.query(b -> b.tableName(names.get(Resource.SUBJOBS_TABLE))
                    .keyConditionExpression("jobId = :id")
                    .expressionAttributeValues(Map.of(":id", AttributeValue.fromS(expired)))).count());
            assertEquals(200, alice.get("/jobs/" + kept).status());
            assertTrue(s3.listObjectsV2(b -> b.bucket(bucket).prefix("jobs/" + kept + "/")).keyCount() > 0);
            assertEquals("CREATED", Scenarios.job(alice, active).path("status").asText());
        }
    }
}
