package io.conveyor.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conveyor.testing.Concurrently;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Idempotency-Key on POST /jobs. */
class IdempotencyApiTest {
    private final ApiHarness h = new ApiHarness();
    private static final String BODY = "{\"program\": \"primes\", \"parameters\": {\"from\": 1, \"to\": 100}}";

    @Test
    void sameKeySameBody_returnsTheSameJob_evenWithOtherWhitespaceAndKeyOrder() {
        ApiHarness.Response first = h.alice().header("Idempotency-Key", "k-1").post("/jobs", BODY);
        ApiHarness.Response second = h.alice().header("Idempotency-Key", "k-1")
                .post("/jobs", "{ \"parameters\": {\"to\": 100, \"from\": 1},\n \"program\": \"primes\" }");
        assertEquals(201, first.status());
        assertEquals(200, second.status());
        assertEquals("true", second.headers().get("Idempotent-Replayed"));
        assertEquals(first.body().path("job").path("jobId"), second.body().path("job").path("jobId"));
    }

    @Test
    void sameKeyDifferentBody_isRefusedWith409() {
        h.alice().header("Idempotency-Key", "k-1").post("/jobs", BODY);
        ApiHarness.Response other = h.alice().header("Idempotency-Key", "k-1").post("/jobs", "{\"program\": \"checksum\"}");
        assertEquals(409, other.status());
        assertEquals("IdempotencyKeyReused", other.code());
        assertTrue(other.message().contains("different request body"), other.message());
    }

    @Test
    void sameKeyOfAnotherCaller_createsTheirOwnJob() {
        ApiHarness.Response alices = h.alice().header("Idempotency-Key", "k-1").post("/jobs", BODY);
        ApiHarness.Response bobs = h.bob().header("Idempotency-Key", "k-1").post("/jobs", BODY);
        assertEquals(201, bobs.status());
        assertTrue(!alices.body().path("job").path("jobId").equals(bobs.body().path("job").path("jobId")));
    }

    @Test
    void twentyConcurrentCreatesWithOneKey_yieldExactlyOneJob() throws Exception {
        List<Concurrently.Outcome<ApiHarness.Response>> outcomes =
                Concurrently.run(20, () -> h.alice().header("Idempotency-Key", "burst").post("/jobs", BODY));
        Set<String> jobIds = new HashSet<>();
        int created = 0;
        for (Concurrently.Outcome<ApiHarness.Response> outcome : outcomes) {
            ApiHarness.Response response = outcome.result();
            assertTrue(response.status() == 201 || response.status() == 200, response.toString());
            created += response.status() == 201 ? 1 : 0;
            jobIds.add(response.body().path("job").path("jobId").asText());
        }
        assertEquals(1, created, "exactly one request created the job");
        assertEquals(1, jobIds.size(), "every request answered with the same job");
        assertEquals(1, h.jobs.listForOwner("alice", Optional.empty(), Optional.empty(), 100, Optional.empty()).items().size());
    }

    @Test
    void aFailedCreate_releasesItsKey_soTheRetryCreatesTheJob() {
        h.launcher.unavailable = true;
        String body = "{\"program\": \"primes\", \"submit\": true}";
        assertEquals(503, h.alice().header("Idempotency-Key", "k-2").post("/jobs", body).status());
        h.launcher.unavailable = false;
        ApiHarness.Response retried = h.alice().header("Idempotency-Key", "k-2").post("/jobs", body);
        assertEquals(200, retried.status(), retried.toString());
        assertEquals("QUEUED", retried.body().path("job").path("status").asText(), "the replay finishes the submit");
        assertEquals(1, h.jobs.listForOwner("alice", Optional.empty(), Optional.empty(), 100, Optional.empty()).items().size());
    }
}
