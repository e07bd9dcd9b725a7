package io.conveyor.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conveyor.subjob.SubJob;
import io.conveyor.subjob.SubJobStore;
import io.conveyor.testing.LocalAws;
import io.conveyor.testing.SampleJobs;
import io.conveyor.usage.Usage;
import io.conveyor.usage.UsageMeter;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What an invocation measured rides in the job writes it makes anyway, and goes to the attempt that ends next. */
class JobUsageTest {
    private static final Instant T0 = Instant.parse("2026-12-06T10:00:00Z");
    private LocalAws.Deployment aws;
    private JobStore jobs;
    private SubJobStore subJobs;

    @BeforeEach
    void deploy() {
        aws = LocalAws.get().newDeployment();
        jobs = aws.jobs();
        subJobs = aws.subJobs();
    }

    /** {@code work} as one invocation of a 1,024 MB function working for {@code jobId}. */
    private static <T> T invocation(String jobId, Supplier<T> work) {
        return UsageMeter.measure(jobId, 1024, work);
    }

    @Test
    void eachInvocation_countsOnceInTheJobsUsage_withTheUnitsOfItsEarlierWrites() {
        Job created = invocation(null, () -> jobs.create(SampleJobs.created("j-1", "alice", "primes", T0)));
        assertEquals(1, created.usage().lambdaInvocations());
        assertEquals(0, created.usage().writeUnits(), "a write's own units are known only after it");

        Job queued = invocation("j-1", () -> {
            Job submitted = jobs.modify("j-1", j -> j.submit(T0)).orElseThrow();
            return jobs.modify(submitted, j -> j.admit(T0)).orElseThrow();
        });
        assertEquals(2, queued.usage().lambdaInvocations());
        assertEquals(1, queued.usage().transitions(), "the new execution's first state, HasDependencies");
        // The second write of the invocation carries the first one's units (and its read's, if any).
        assertTrue(queued.usage().writeUnits() >= 1, queued.usage().toString());
        assertEquals(queued, jobs.get("j-1").orElseThrow());
    }

    @Test
    void theUsageSoFar_goesToTheAttemptThatEnds_andTheNextStartsAfresh() {
        jobs.create(SampleJobs.created("j-1", "alice", "primes", T0));
        jobs.modify("j-1", j -> j.submit(T0).admit(T0));
        Job failed = invocation("j-1", () -> {
            UsageMeter.record(Usage.transitions(3));
            return jobs.modify("j-1", j -> j.fail(new JobError("Boom", "boom"), T0)).orElseThrow();
        });
        Usage attempt = failed.attempts().get(0).usage();
        assertEquals(1 + 3, attempt.transitions(), "HasDependencies, then what the failing step caused");
        assertEquals(1, attempt.lambdaInvocations());
        assertEquals(1, attempt.events(), "JobStatusChanged, published once the job is terminal");
        assertEquals(Usage.NONE, failed.usage());
        assertEquals(attempt, failed.totalUsage());

        Job retried = invocation("j-1", () -> jobs.modify("j-1", j -> j.retry(T0).admit(T0)).orElseThrow());
        assertEquals(1, retried.usage().transitions());
        assertEquals(attempt.plus(retried.usage()), retried.totalUsage());
    }

    @Test
    void subjobTransactions_addTheUsageToTheJob_withoutAWriteOfTheirOwn() {
        jobs.create(SampleJobs.created("j-1", "alice", "primes", T0));
        jobs.modify("j-1", j -> j.submit(T0).admit(T0));
        Usage before = jobs.get("j-1").orElseThrow().usage();
        invocation("j-1", () -> {
            UsageMeter.record(Usage.transitions(2));
            subJobs.registerAll("j-1", 1, List.of(SubJob.pending("j-1", 0, 1, "m"), SubJob.pending("j-1", 1, 1, "m")));
            Usage left = UsageMeter.untakenFor("j-1");
            assertEquals(0, left.transitions() + left.lambdaInvocations(), "the transaction took them: " + left);
            return null;
        });
        Usage after = jobs.get("j-1").orElseThrow().usage();
        assertEquals(before.transitions() + 2, after.transitions());
        assertEquals(before.lambdaInvocations() + 1, after.lambdaInvocations());
    }

    @Test
    void whatAnInvocationConsumesAfterItsLastJobWrite_isItsTail_underTheAttemptItsUsageWentTo() {
        jobs.create(SampleJobs.created("j-1", "alice", "primes", T0));
        jobs.modify("j-1", j -> j.submit(T0).admit(T0));
        double[] putUnits = new double[1];
        Job ended = invocation("j-1", () -> {
            Job failed = jobs.modify("j-1", j -> j.fail(new JobError("Boom", "boom"), T0)).orElseThrow();
            putUnits[0] = UsageMeter.untakenFor("j-1").writeUnits(); // the put's units, reported by its answer
            UsageMeter.record(Usage.events(1)); // sent after the write
            return failed;
        });
        UsageTails tails = jobs.usageTails().read("j-1");
        assertEquals(Set.of(1), tails.byAttempt().keySet(), "the write ended attempt 1: its tail is attempt 1's");
        Usage tail = tails.byAttempt().get(1);
        assertEquals(1, tail.events());
        assertEquals(0, tail.lambdaInvocations(), "the invocation went with its write");
        assertTrue(putUnits[0] >= 1, "the job's put: " + putUnits[0]);
        assertEquals(putUnits[0] + 1, tail.writeUnits(), "the put's units, and the tail's own write: " + tail);
        Attempt attempt = ended.attempts().get(0);
        assertEquals(attempt.usage().plus(tail), attempt.usage().plus(tails.of(attempt)));
        assertEquals(ended.totalUsage().plus(tail), tails.totalOf(ended));

        // A step that writes nothing (ConfirmSubJobs) leaves all it consumed to its tail, under the open usage's attempt.
        jobs.modify("j-1", j -> j.retry(T0));
        invocation("j-1", () -> jobs.get("j-1"));
        Usage next = jobs.usageTails().read("j-1").byAttempt().get(2);
        assertEquals(1, next.lambdaInvocations(), next.toString());
        assertEquals(1, next.readUnits(), "its consistent read of the job");
        assertEquals(1, next.writeUnits(), "the tail's own write");
        assertEquals(tail, jobs.usageTails().read("j-1").byAttempt().get(1), "attempt 1's tail is left as it was");
    }

    @Test
    void theTailItem_costsOneWriteUnit_isInNoIndex_expiresWithItsJob_andIsReadInBatches() {
        Job created = jobs.create(SampleJobs.created("j-1", "alice", "primes", T0));
        UsageTailStore tails = jobs.usageTails();
        Usage measured = invocation("other", () -> {
            tails.add("j-1", UsageTailStore.Place.of(created, 1), new Usage(1, 1, 2048, 0.5, 3, 1, 2, 100, 1));
            return UsageMeter.takeFor("other");
        });
        assertEquals(1, measured.writeUnits(), "what DynamoDB charged for the tail's write: its own unit, as it adds");
        assertEquals(new Usage(1, 1, 2048, 0.5, 3 + 1, 1, 2, 100, 1), tails.read("j-1").byAttempt().get(1));

        Map<String, AttributeValue> item = aws.dynamoDb().getItem(g -> g.tableName(aws.settings().jobsTable())
                .key(Map.of("jobId", AttributeValue.fromS("usage#j-1")))).item();
        assertEquals(Long.toString(T0.plus(created.retention()).plus(JobItem.TTL_MARGIN).getEpochSecond()),
                item.get("deleteAfter").n(), "the job's own TTL");
        assertEquals(List.of("j-1"), jobs.listForOwner("alice", Optional.empty(), Optional.empty(), 10, Optional.empty())
                .items().stream().map(Job::id).toList(), "the owner's listing shows the job alone");

        Job submitted = jobs.modify("j-1", j -> j.submit(T0)).orElseThrow();
        tails.add("j-1", UsageTailStore.Place.of(submitted, 1), Usage.events(1));
        assertFalse(aws.dynamoDb().getItem(g -> g.tableName(aws.settings().jobsTable())
                .key(Map.of("jobId", AttributeValue.fromS("usage#j-1")))).item().containsKey("deleteAfter"),
                "a queued job never expires, nor do its tails");

        List<String> ids = IntStream.range(0, 150).mapToObj(i -> "j-" + i).toList();
        Map<String, UsageTails> read = tails.read(ids);
        assertEquals(150, read.size());
        assertEquals(2, read.get("j-1").byAttempt().get(1).events());
        assertEquals(UsageTails.NONE, read.get("j-149"), "a job without tails has none");
        tails.delete("j-1");
        assertEquals(UsageTails.NONE, tails.read("j-1"));
    }
}
