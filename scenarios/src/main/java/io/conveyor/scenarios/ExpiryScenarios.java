package io.conveyor.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conveyor.deployment.Resource;
import io.conveyor.apiclient.JobApiClient;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The cleaner, run as its schedule runs it, removes an expired job entirely and leaves the others alone. The expired
 * job's stored expiry is moved an hour into the past, beyond the cleaner's grace period (15 minutes by default).
 */
public abstract class ExpiryScenarios {

    /** The deployment these scenarios run against, running from before the first scenario to after the last. */
    protected abstract ScenarioTarget target();

    @Test
    void cleaner_removesAnExpiredJobEntirely_andLeavesActiveAndUnexpiredJobsAlone() {
        JobApiClient alice = target().api("alice");
        String expired = Scenarios.submit(alice, "primes", Map.of("to", 1000, "subJobs", 3), ", \"retention\": \"PT1H\"");
        String kept = Scenarios.submit(alice, "primes", Map.of("to", 1000, "subJobs", 3));
        assertEquals("SUCCEEDED", Scenarios.awaitEnd(alice, expired).path("status").asText());
        assertEquals("SUCCEEDED", Scenarios.awaitEnd(alice, kept).path("status").asText());
        JobApiClient.Response waiting = alice.post("/jobs", "{\"program\": \"checksum\", \"inputs\": [{\"name\": \"a\", \"size\": 1}]}");
        String active = waiting.json().path("job").path("jobId").asText();

        ScenarioTarget target = target();
        try (DynamoDbClient dynamoDb = target.dynamoDb(); S3Client s3 = target.s3()) {
            // Time passes for one job only: its stored expiry moves an hour and a second into the past.
            dynamoDb.updateItem(b -> b.tableName(target.physicalName(Resource.JOBS_TABLE))
                    .key(Map.of("jobId", AttributeValue.fromS(expired)))
                    .updateExpression("SET expiresAt = :past")
                    .expressionAttributeValues(Map.of(":past",
                            AttributeValue.fromN(Long.toString(Instant.now().minusSeconds(3601).getEpochSecond())))));
            assertEquals(410, alice.get("/jobs/" + expired).status(), "expired but not yet deleted: gone");

            target.runCleaner();

            assertEquals(404, alice.get("/jobs/" + expired).status());
            String bucket = target.physicalName(Resource.BUCKET);
            assertEquals(0, s3.listObjectsV2(b -> b.bucket(bucket).prefix("jobs/" + expired + "/")).keyCount());
            assertEquals(0, dynamoDb.query(b -> b.tableName(target.physicalName(Resource.SUBJOBS_TABLE))
                    .keyConditionExpression("jobId = :id")
                    .expressionAttributeValues(Map.of(":id", AttributeValue.fromS(expired)))).count());
            assertEquals(200, alice.get("/jobs/" + kept).status());
            assertTrue(s3.listObjectsV2(b -> b.bucket(bucket).prefix("jobs/" + kept + "/")).keyCount() > 0);
            assertEquals("CREATED", Scenarios.job(alice, active).path("status").asText());
        }
    }
}
