package io.conveyor.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.conveyor.apiclient.JobApiClient;
import io.conveyor.deployment.Catalogue;
import io.conveyor.job.Job;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;
import software.amazon.awssdk.services.sfn.model.MapRunListItem;

/**
 * What jobs of a known shape consumed, as {@code GET /jobs/{id}} shows it: the state transitions the product derives
 * from the steps it runs equal what Step Functions' own histories show, and the invocations, S3 requests and events are
 * exact; so are the DynamoDB request units of a job whose requests do not depend on the order of concurrent steps.
 */
public abstract class UsageScenarios {
    private JobApiClient alice;

    protected abstract ScenarioTarget target();

    @BeforeEach
    void callAsAlice() {
        alice = target().api("alice");
    }

    @Test
    void aJobOfThreeSubjobs_recordsExactlyWhatItsStepsConsumed() {
        Scenarios.require(target(), ScenarioTarget.Capability.SCENARIO_PROGRAMS);
        // 3 subjobs below the program's 10 concurrent: a batch each, so 3 child executions.
        String id = Scenarios.submit(alice, "scenario", Map.of("subJobs", 3));
        JsonNode job = Scenarios.awaitEnd(alice, id);
        assertEquals("SUCCEEDED", job.path("status").asText(), job.toString());
        JsonNode usage = job.path("usage");

        // HasDependencies, Admit, Split, RunSubJobs, 3 x (WhereSubJobsRun, RunSubJob), ConfirmSubJobs, Aggregate, Finalize.
        assertEquals(13, usage.path("stateTransitions").asLong(), usage.toString());
        assertEquals(billedTransitions(id + "-1"), usage.path("stateTransitions").asLong(), "as the histories show");
        // The create (which submits), Admit, Split, 3 x RunSubJob, ConfirmSubJobs, Aggregate, Finalize.
        assertEquals(9, usage.path("lambdaInvocations").asLong(), usage.toString());
        // The manifest and the result are put; the map reads the manifest.
        assertEquals(2, usage.path("s3ClassARequests").asLong(), usage.toString());
        assertEquals(1, usage.path("s3ClassBRequests").asLong(), usage.toString());
        assertEquals(1, usage.path("eventBridgeEvents").asLong(), usage.toString());
        assertTrue(usage.path("lambdaGbSeconds").asDouble() > 0, usage.toString());
        assertTrue(usage.path("dynamoDbReadUnits").asDouble() > 0 && usage.path("dynamoDbWriteUnits").asDouble() > 0,
                usage.toString());
        assertTrue(usage.path("s3BytesStored").asLong() > 0, usage.toString());

        JsonNode cost = job.path("cost");
        assertTrue(cost.path("total").decimalValue().signum() > 0, cost.toString());
        assertEquals(0, cost.path("stepFunctions").decimalValue().compareTo(new BigDecimal("0.000325")), cost.toString());
        assertTrue(cost.path("priceDate").asText().matches("\\d{4}-\\d{2}-\\d{2}"), cost.toString());
        assertEquals(usage, job.path("attempts").get(0).path("usage"), "one attempt: the job's usage is its attempt's");

        // Finalize adds the job to its program's cost statistics right after its last write.
        JsonNode programCost = Await.until("the program's cost statistics to count the job", Scenarios.JOB_TIMEOUT, () -> {
            JsonNode c = alice.get("/programs/scenario").json().path("cost");
            return c.path("jobs").asLong() > 0 ? c : null;
        });
        assertTrue(programCost.path("perJobP50").decimalValue().compareTo(cost.path("total").decimalValue()) >= 0
                || programCost.path("jobs").asLong() > 1, programCost.toString());
        assertTrue(programCost.path("perSubJobP50").decimalValue().signum() > 0, programCost.toString());
    }

    /**
     * One subjob, so one batch and no step running beside another: every request of the job, and the size of every item
     * it writes, is the same run after run, so the request units are exact. Each number below follows from DynamoDB's
     * charging rules: a read is one unit per 4 KB of the item (rounded up, a missing item or an empty result still one),
     * half when eventually consistent; a write is one unit per 1 KB of the larger of the item before and after, plus one
     * per global secondary index entry put, deleted or changed (two when it moves to another key; none for a keys-only
     * index whose key stays); a transaction is twice that. Every item here is under 1 KB. A job item (under 1 KB) is in
     * four indexes: byOwner and byOwnerStatus project all of it, byLastChange and byExpiry its keys.
     */
    @Test
    void aJobOfOneSubjob_recordsTheRequestUnitsDynamoDbChargesForItsRequests() {
        Scenarios.require(target(), ScenarioTarget.Capability.SCENARIO_PROGRAMS);
        String id = Scenarios.submit(alice, "scenario", Map.of("subJobs", 1));
        JsonNode job = Scenarios.awaitEnd(alice, id);
        assertEquals("SUCCEEDED", job.path("status").asText(), job.toString());
        JsonNode usage = job.path("usage");

        // An invocation's units go into its next write of the job; the units of its last job write, and of what it
        // sends after it, are not recorded (README, "What a job costs": left out). So, invocation by invocation:
        // - the create with submit: a COUNT Query of the owner's queued jobs on byOwnerStatus (eventually consistent,
        //   0.5) and the submit's consistent GetItem of the job (1) are read; the first job put (CREATED: table 1,
        //   byOwner 1, byOwnerStatus 1, byLastChange 1 = 4) and the idempotency record's put (1) are written before the
        //   last job write (QUEUED).                                                          reads 1.5, writes 5
        // - Admit: two consistent GetItems of the job (2) and a Query of the admission lane (1); the waitlist put (1),
        //   the slot transaction (a slot put and two counter updates: 3 x 2 = 6) and the waitlist delete (1), before
        //   the job's put as RUNNING.                                                         reads 3,   writes 8
        // - Split: a GetItem of the job (1); its only write is the transaction that writes the job.   reads 1
        // - RunSubJob: a GetItem of the job (1); the transaction marking the subjob started (the group item 1 and the
        //   job's update 3: table, byOwner, byOwnerStatus; byLastChange and byExpiry keep their entries; x 2 = 8)
        //   before the one recording its outcome.                                              reads 1,   writes 8
        // - ConfirmSubJobs: a GetItem of the job (1), then the write of its usage.                   reads 1
        // - Aggregate: a GetItem of the job (1) and a consistent Query of the subjob groups (one item: 1).   reads 2
        // - Finalize: a GetItem of the job (1) before its put as SUCCEEDED.                           reads 1
        assertEquals(1.5 + 3 + 1 + 1 + 1 + 2 + 1, usage.path("dynamoDbReadUnits").asDouble(), usage.toString());
        assertEquals(5 + 8 + 8, usage.path("dynamoDbWriteUnits").asDouble(), usage.toString());
        assertEquals(usage, job.path("attempts").get(0).path("usage"), "one attempt: the job's usage is its attempt's");
    }

    @Test
    void aJobRetriedTwice_showsThreeAttemptsUsage_eachAsItsExecutionBilled() {
        Scenarios.require(target(), ScenarioTarget.Capability.SCENARIO_PROGRAMS);
        String id = Scenarios.submit(alice, "scenario-strict", Map.of("subJobs", 1, "failIndexes", "0"));
        assertEquals("FAILED", Scenarios.awaitEnd(alice, id).path("status").asText());
        for (int retry = 0; retry < 2; retry++) {
            JobApiClient.Response retried = alice.post("/jobs/" + id + "/retry", "");
            assertEquals(202, retried.status(), retried.text());
            assertEquals("FAILED", Scenarios.awaitEnd(alice, id).path("status").asText());
        }
        JsonNode job = Scenarios.job(alice, id);
        JsonNode attempts = job.path("attempts");
        assertEquals(3, attempts.size(), job.toString());
        long transitions = 0;
        for (int n = 0; n < 3; n++) {
            JsonNode usage = attempts.get(n).path("usage");
            // HasDependencies, Admit, Split, RunSubJobs, WhereSubJobsRun, RunSubJob, ConfirmSubJobs (tolerance exceeded),
            // HandleFailure, ReregisterOrFail, JobFailed.
            assertEquals(10, usage.path("stateTransitions").asLong(), "attempt " + (n + 1) + ": " + usage);
            assertEquals(billedTransitions(id + "-" + (n + 1)), usage.path("stateTransitions").asLong());
            // The create or retry request, Admit, Split, RunSubJob, ConfirmSubJobs, HandleFailure.
            assertEquals(6, usage.path("lambdaInvocations").asLong(), "attempt " + (n + 1) + ": " + usage);
            assertEquals(1, usage.path("eventBridgeEvents").asLong());
            assertTrue(attempts.get(n).path("cost").path("total").decimalValue().signum() > 0);
            transitions += usage.path("stateTransitions").asLong();
        }
        assertEquals(transitions, job.path("usage").path("stateTransitions").asLong(), "the job's usage is its attempts'");
    }

    @Test
    void usageReport_addsUpTheCallersJobs_perProgramAndDay_andOnlyAnAdministratorMayAskForAnotherUserOrEveryUser() {
        JobApiClient dana = target().api("dana-" + UUID.randomUUID());
        String first = Scenarios.submit(dana, "primes", Map.of("to", 1_000, "subJobs", 2));
        String second = Scenarios.submit(dana, "primes", Map.of("to", 1_000, "subJobs", 1));
        JsonNode a = Scenarios.awaitEnd(dana, first);
        JsonNode b = Scenarios.awaitEnd(dana, second);

        JobApiClient.Response response = dana.get("/usage");
        assertEquals(200, response.status(), response.text());
        JsonNode report = response.json();
        String today = LocalDate.now(ZoneOffset.UTC).toString();
        assertEquals(today, report.path("to").asText());
        assertEquals(2, report.path("total").path("jobs").asInt(), report.toString());
        long transitions = a.path("usage").path("stateTransitions").asLong() + b.path("usage").path("stateTransitions").asLong();
        assertEquals(transitions, report.path("total").path("usage").path("stateTransitions").asLong());
        assertEquals(1, report.path("programs").size());
        assertEquals("primes", report.path("programs").get(0).path("program").asText());
        assertEquals(transitions, report.path("programs").get(0).path("usage").path("stateTransitions").asLong());
        assertEquals(List.of(today), List.of(report.path("days").get(0).path("day").asText()));
        BigDecimal jobsApart = a.path("cost").path("total").decimalValue().add(b.path("cost").path("total").decimalValue());
        BigDecimal together = report.path("total").path("cost").path("total").decimalValue();
        assertTrue(jobsApart.subtract(together).abs().compareTo(new BigDecimal("0.00000001")) <= 0,
                "the jobs' exact costs added, rounded once: " + together + " against " + jobsApart);

        assertEquals(0, target().api("erin-" + UUID.randomUUID()).get("/usage").json().path("total").path("jobs").asInt());
        String danaId = report.path("user").asText();
        JobApiClient.Response refused = alice.get("/usage?user=" + danaId);
        assertEquals(403, refused.status(), refused.text());
        assertEquals("NotAnAdministrator", refused.json().path("code").asText());
        JobApiClient.Response audited = target().api(administrator()).get("/usage?user=" + danaId);
        assertEquals(200, audited.status(), audited.text());
        assertEquals(report.path("total"), audited.json().path("total"));

        JobApiClient.Response everyone = target().api(administrator()).get("/usage?allUsers=true");
        assertEquals(200, everyone.status(), everyone.text());
        JsonNode danasShare = null;
        long jobs = 0;
        for (JsonNode user : everyone.json().path("users")) {
            jobs += user.path("total").path("jobs").asLong();
            if (user.path("user").asText().equals(danaId)) {
                danasShare = user;
            }
        }
        assertEquals(report, danasShare, "every user's report holds dana's as dana reads it");
        assertEquals(jobs, everyone.json().path("total").path("jobs").asLong(), "the total is the users' sum");
        assertTrue(jobs >= 2, everyone.text());
        JobApiClient.Response notAnAdministrator = dana.get("/usage?allUsers=true");
        assertEquals(403, notAnAdministrator.status(), notAnAdministrator.text());
        assertEquals("NotAnAdministrator", notAnAdministrator.json().path("code").asText());
        assertEquals(400, target().api(administrator()).get("/usage?allUsers=true&user=" + danaId).status());
        assertEquals(400, target().api(administrator()).get("/usage?allUsers=yes").status());

        assertEquals(400, dana.get("/usage?from=yesterday").status());
        assertEquals(400, dana.get("/usage?from=2026-12-06&to=2026-12-01").status());
        assertEquals(400, dana.get("/usage?from=2024-01-01&to=2026-12-01").status());
        JobApiClient.Response tomorrowOnly = dana.get("/usage?from=2999-01-01&to=2999-01-02");
        assertEquals(0, tomorrowOnly.json().path("total").path("jobs").asInt(), tomorrowOnly.text());
    }

    /** A user the deployment names an administrator ({@code CONVEYOR_ADMIN_USERS}). */
    protected abstract String administrator();

    @Test
    void anotherUsersJobsUsage_isNotFound() {
        String id = Scenarios.submit(alice, "primes", Map.of("to", 1_000, "subJobs", 1));
        Scenarios.awaitEnd(alice, id);
        JobApiClient mallory = target().api("mallory");
        JobApiClient.Response response = mallory.get("/jobs/" + id);
        assertEquals(404, response.status(), response.text());
        assertFalse(response.text().contains("usage"), response.text());
    }

    /**
     * The state transitions Step Functions bills for execution {@code executionName} of the scenario programs' workflow
     * and its map's child executions, from their histories: one per state entered, and one more per retry of a task
     * (a task scheduled again without a new state entry).
     */
    private long billedTransitions(String executionName) {
        String program = Scenarios.job(alice, Job.idOfExecution(executionName)).path("program").asText();
        String arn = target().stateMachineArn(Catalogue.WORKFLOW_PREFIX + program)
                .replace(":stateMachine:", ":execution:") + ":" + executionName;
        try (SfnClient sfn = target().stepFunctions()) {
            long billed = billed(sfn, arn);
            for (MapRunListItem run : sfn.listMapRuns(b -> b.executionArn(arn)).mapRuns()) {
                for (var child : sfn.listExecutionsPaginator(b -> b.mapRunArn(run.mapRunArn())).executions()) {
                    billed += billed(sfn, child.executionArn());
                }
            }
            return billed;
        }
    }

    private static long billed(SfnClient sfn, String executionArn) {
        List<HistoryEvent> events = sfn.getExecutionHistoryPaginator(b -> b.executionArn(executionArn)).events().stream().toList();
        long entered = events.stream().filter(e -> e.typeAsString().endsWith("StateEntered")).count();
        long tasksEntered = events.stream().filter(e -> e.typeAsString().equals("TaskStateEntered")).count();
        long scheduled = events.stream().filter(e -> e.typeAsString().equals("TaskScheduled")
                || e.typeAsString().equals("LambdaFunctionScheduled")).count();
        return entered + (scheduled - tasksEntered);
    }
}
