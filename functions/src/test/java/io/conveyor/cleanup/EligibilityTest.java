package io.conveyor.cleanup;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.conveyor.job.Job;
import io.conveyor.job.JobError;
import io.conveyor.testing.SampleJobs;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which jobs the cleaner may delete, decided from the job as stored: no AWS involved. */
class EligibilityTest {
    private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
    private static final Duration RETENTION = Duration.ofDays(7);

    private static Job running() {
        return SampleJobs.created("j", "alice", "primes", T0).submit(T0).admit(T0);
    }

    @Test
    void aJobThatIsGone_isGone() {
        assertEquals(Eligibility.GONE, Eligibility.of(Optional.empty(), T0));
    }

    @Test
    void aTerminalJob_isExpiredFromItsStoredExpiryOn_andNotASecondBefore() {
        Job succeeded = running().succeed("jobs/j/attempts/1/result.json", T0);
        Instant expiry = T0.plus(RETENTION);
        assertEquals(Eligibility.NOT_EXPIRED, Eligibility.of(Optional.of(succeeded), expiry.minusSeconds(1)));
        assertEquals(Eligibility.EXPIRED, Eligibility.of(Optional.of(succeeded), expiry));
        assertEquals(Eligibility.EXPIRED, Eligibility.of(Optional.of(succeeded), expiry.plus(Duration.ofDays(30))));
    }

    @Test
    void anActiveJob_isNeverExpired_howeverLateTheCutoff() {
        assertEquals(Eligibility.IN_USE, Eligibility.of(Optional.of(running()), Instant.MAX));
    }

    @Test
    void aJobRetriedBeforeItExpired_isInUse_evenWhenTheIndexStillListedIt() {
        Job failed = running().fail(new JobError("Program.Failed", "bad input"), T0);
        Job retried = failed.retry(T0.plus(Duration.ofDays(6)));
        assertEquals(Eligibility.IN_USE, Eligibility.of(Optional.of(retried), T0.plus(Duration.ofDays(30))));
    }

    @Test
    void aJobNeverSubmitted_expiresItsRetentionAfterItWasCreated_butNotOnceSubmitted() {
        Job created = Job.create("j", "alice", "primes", Map.of(), List.of(), List.of(), null, RETENTION, T0);
        assertEquals(Eligibility.NOT_EXPIRED, Eligibility.of(Optional.of(created), T0.plus(RETENTION).minusSeconds(1)));
        assertEquals(Eligibility.EXPIRED, Eligibility.of(Optional.of(created), T0.plus(RETENTION)));
        Job submitted = created.submit(T0.plusSeconds(60));
        assertEquals(Eligibility.IN_USE, Eligibility.of(Optional.of(submitted), T0.plus(Duration.ofDays(30))));
    }
}
