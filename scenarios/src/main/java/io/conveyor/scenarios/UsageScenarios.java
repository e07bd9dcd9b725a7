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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;
import software.amazon.awssdk.services.sfn.model.MapRunListItem;

/**
 * What jobs of a known shape consumed, as {@code GET /jobs/{id}} shows it: the state transitions the product derives
 * from the steps it runs equal what Step Functions' own histories show, and the invocations, S3 requests and events are
 * exact; so are the DynamoDB request units of a job whose requests do not depend on the order of concurrent steps, every
 * request of every invocation counted (each invocation's tail included).
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
        JsonNode job = settled(alice, id);
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
        Map<String, Long> longestBefore = longestSubJobPerHour("scenario");
        String id = Scenarios.submit(alice, "scenario", Map.of("subJobs", 1));
        JsonNode job = settled(alice, id);
        // The one write that depends on what ran before: the hour's longest subjob is raised if this one is longer.
        int longestRaised = longestSubJobPerHour("scenario").equals(longestBefore) ? 0 : 1;
        assertEquals("SUCCEEDED", job.path("status").asText(), job.toString());
        JsonNode usage = job.path("usage");

        // An invocation's units go into its next write of the job; what it consumes after its last job write (that
        // write's own units, what it sends after it) is its tail, added with one UpdateItem of the job's usage item at
        // its end, whose own unit is part of what it adds (an item under 1 KB in no index: 1). Invocation by
        // invocation, taken by job writes + tail:
        // - the create with submit: a COUNT Query of the owner's queued jobs on byOwnerStatus (eventually consistent,
        //   0.5) and the submit's consistent GetItem of the job (1) are read; the first job put (CREATED: table 1,
        //   byOwner 1, byOwnerStatus 1, byLastChange 1 = 4) and the idempotency record's put (1) are written before
        //   the last job write. Tail: that put (QUEUED: table 1, byOwner 1, byOwnerStatus moves 2, byLastChange
        //   stays 1, byExpiry leaves 1 = 6), the submit's idempotency record deleted (1), the tail (1).
        //                                                            reads 1.5 + 0,   writes 5 + 8
        // - Admit: two consistent GetItems of the job (2) and a Query of the admission lane (1); the waitlist put (1),
        //   the slot transaction (a slot put and two counter updates: 3 x 2 = 6) and the waitlist delete (1), before
        //   the job's put as RUNNING. Tail: that put (table 1, byOwner 1, byOwnerStatus moves 2 = 4), the admission
        //   cursor's put (1) and the next look at the lane (1 read), the tail (1).
        //                                                            reads 3 + 1,     writes 8 + 6
        // - Split: a GetItem of the job (1). Tail: the transaction registering the subjob and updating the job (the
        //   group item 1 and the job's update 3: table, byOwner, byOwnerStatus; byLastChange and byExpiry keep
        //   their entries; x 2 = 8), the tail (1).                   reads 1 + 0,     writes 0 + 9
        // - RunSubJob: a GetItem of the job (1); the transaction marking the subjob started (8) before the one
        //   recording its outcome. Tail: that transaction (8), the program's statistics item updated (1) and its
        //   hour's longest subjob raised if this is it (longestRaised), the tail (1).
        //                                                            reads 1 + 0,     writes 8 + 10 + longestRaised
        // - ConfirmSubJobs writes no job. Tail: a GetItem of the job (1), the tail (1).
        //                                                            reads 0 + 1,     writes 0 + 1
        // - Aggregate writes no job. Tail: a GetItem of the job (1) and a consistent Query of the subjob groups (one
        //   item: 1), the tail (1).                                  reads 0 + 2,     writes 0 + 1
        // - Finalize: a GetItem of the job (1) before its put as SUCCEEDED. Tail: that put (table 1, byOwner 1,
        //   byOwnerStatus moves 2, byLastChange leaves 1, byExpiry enters 1 = 6), the slot's release transaction
        //   (a slot delete and two counter updates: 6), two Queries of the admission lane (1 + 1), the read of the
        //   job's tails for its program's cost figure (0.5) and that figure's update (1), the tail (1).
        //                                                            reads 1 + 2.5,   writes 0 + 14
        assertEquals((1.5 + 3 + 1 + 1 + 0 + 0 + 1) + (0 + 1 + 0 + 0 + 1 + 2 + 2.5), usage.path("dynamoDbReadUnits").asDouble(),
                usage.toString());
        assertEquals((5 + 8 + 0 + 8 + 0 + 0 + 0) + (8 + 6 + 9 + 10 + longestRaised + 1 + 1 + 14), usage.path("dynamoDbWriteUnits").asDouble(),
                usage.toString());
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
        JsonNode job = settled(alice, id);
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
            // ConfirmSubJobs writes no job: its invocation is in the attempt only through its tail.
            assertEquals(6, usage.path("lambdaInvocations").asLong(), "attempt " + (n + 1) + ": " + usage);
            assertEquals(1, usage.path("eventBridgeEvents").asLong());
            assertTrue(attempts.get(n).path("cost").path("total").decimalValue().signum() > 0);
            transitions += usage.path("stateTransitions").asLong();
        }
        assertEquals(transitions, job.path("usage").path("stateTransitions").asLong(), "the job's usage is its attempts'");
        double writeUnits = 0;
        for (JsonNode attempt : attempts) {
            writeUnits += attempt.path("usage").path("dynamoDbWriteUnits").asDouble();
        }
        assertEquals(writeUnits, job.path("usage").path("dynamoDbWriteUnits").asDouble(), "the tails too: " + job);
    }

    @Test
    void usageReport_addsUpTheCallersJobs_perProgramAndDay_andOnlyAnAdministratorMayAskForAnotherUserOrEveryUser() {
        JobApiClient dana = target().api("dana-" + UUID.randomUUID());
        String first = Scenarios.submit(dana, "primes", Map.of("to", 1_000, "subJobs", 2));
        String second = Scenarios.submit(dana, "primes", Map.of("to", 1_000, "subJobs", 1));
        JsonNode a = settled(dana, first);
        JsonNode b = settled(dana, second);

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

    /** The longest subjob of {@code program} in each hour of the last day that has one, in milliseconds. */
    private Map<String, Long> longestSubJobPerHour(String program) {
        Map<String, Long> longest = new HashMap<>();
        for (JsonNode hour : alice.get("/programs/" + program + "/statistics").json().path("hours")) {
            if (hour.hasNonNull("maxMillis")) {
                longest.put(hour.path("hour").asText(), hour.path("maxMillis").asLong());
            }
        }
        return longest;
    }

    /**
     * The job once it ended and every execution of it did too: each invocation records the rest of its usage as it
     * ends, after its last job write (Finalize's after the job's end), and a task's invocation has ended once its
     * execution moved on. Read again then, the job's usage is final.
     */
    private JsonNode settled(JobApiClient api, String id) {
        JsonNode ended = Scenarios.awaitEnd(api, id);
        String arn = target().stateMachineArn(Catalogue.WORKFLOW_PREFIX + ended.path("program").asText());
        try (SfnClient sfn = target().stepFunctions()) {
            Await.until("the executions of job " + id + " to end", Scenarios.JOB_TIMEOUT, () ->
                    sfn.listExecutionsPaginator(b -> b.stateMachineArn(arn).statusFilter(ExecutionStatus.RUNNING))
                            .executions().stream().noneMatch(e -> Job.idOfExecution(e.name()).equals(id)) ? true : null);
        }
        return Scenarios.job(api, id);
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
