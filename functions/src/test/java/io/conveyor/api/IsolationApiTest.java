package io.conveyor.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conveyor.deployment.Catalogue;
import io.conveyor.deployment.RouteSpec;
import io.conveyor.job.JobStatus;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One caller never sees or touches another's jobs: every route answers 404, exactly as for a missing job. */
class IsolationApiTest {
    private final ApiHarness h = new ApiHarness();

    @Test
    void everyJobRoute_answers404ForSomeoneElsesJob_exactlyAsForAMissingOne() {
        String alices = h.submittedJob(h.alice());
        for (RouteSpec route : Catalogue.ROUTES) {
            if (!route.path().contains("{id}")) {
                continue;
            }
            ApiHarness.Response foreign = h.bob().send(route.method(), route.path().replace("{id}", alices), null);
            ApiHarness.Response missing = h.bob().send(route.method(), route.path().replace("{id}", "no-such-job"), null);
            assertEquals(404, foreign.status(), route.method() + " " + route.path());
            assertEquals("JobNotFound", foreign.code());
            assertEquals(missing.message().replace("no-such-job", alices), foreign.message(),
                    "the answer must not reveal that the job exists");
        }
        assertEquals(JobStatus.QUEUED, h.stored(alices).status(), "nothing bob sent changed alice's job");
        assertEquals(List.of(), h.launcher.stops);
    }

    @Test
    void listings_showOnlyTheCallersOwnJobs() {
        String alices = h.submittedJob(h.alice());
        String bobs = h.submittedJob(h.bob());
        assertEquals(alices, h.alice().get("/jobs").body().path("jobs").get(0).path("jobId").asText());
        assertEquals(1, h.alice().get("/jobs").body().path("jobs").size());
        assertEquals(bobs, h.bob().get("/jobs").body().path("jobs").get(0).path("jobId").asText());
        assertEquals(ApiHarness.BOB_ARN, h.stored(bobs).owner(), "an IAM caller is known by its principal ARN");
    }

    @Test
    void aCallersPageToken_doesNotOpenAnotherCallersListing() {
        h.submittedJob(h.alice());
        h.submittedJob(h.alice());
        String token = h.alice().query("limit", "1").get("/jobs").body().path("nextToken").asText();
        ApiHarness.Response response = h.bob().query("nextToken", token).get("/jobs");
        assertEquals(400, response.status());
        assertTrue(response.message().contains("nextToken"), response.message());
    }
}
