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
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What an invocation measured rides in the job writes it makes anyway, and goes to the attempt that ends next. */
class JobUsageTest {
    private static final Instant T0 = Instant.parse("2026-12-06T10:00:00Z");
    private JobStore jobs;
    private SubJobStore subJobs;

    @BeforeEach
    void deploy() {
        LocalAws.Deployment aws = LocalAws.get().newDeployment();
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
            assertFalse(UsageMeter.current().orElseThrow().untaken(), "the transaction took it");
            return null;
        });
        Usage after = jobs.get("j-1").orElseThrow().usage();
        assertEquals(before.transitions() + 2, after.transitions());
        assertEquals(before.lambdaInvocations() + 1, after.lambdaInvocations());
    }

    @Test
    void addUsage_addsToWhatTheJobConsumedSinceItsLastAttempt() {
        jobs.create(SampleJobs.created("j-1", "alice", "primes", T0));
        jobs.addUsage("j-1", new Usage(2, 1, 1024, 1.5, 2, 1, 1, 10, 0));
        jobs.addUsage("j-1", new Usage(1, 1, 2048, 0.5, 0, 0, 0, 0, 1));
        assertEquals(new Usage(3, 2, 3072, 2, 2, 1, 1, 10, 1), jobs.get("j-1").orElseThrow().usage());
        jobs.addUsage("gone", Usage.transitions(1)); // nothing to add to, nothing created
        assertTrue(jobs.get("gone").isEmpty());
    }
}
