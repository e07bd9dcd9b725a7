package io.conveyor.idempotency;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conveyor.idempotency.IdempotencyStore.Claim;
import io.conveyor.testing.Concurrently;
import io.conveyor.testing.LocalAws;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Idempotency keys on the DynamoDB emulator. */
class IdempotencyStoreTest {
    private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
    private static final Duration CLAIM = Duration.ofSeconds(30);
    private IdempotencyStore keys;

    @BeforeEach
    void freshTable() {
        keys = LocalAws.get().newDeployment().idempotency();
    }

    @Test
    void secondClaim_getsTheFirstRecordBack() {
        Claim first = keys.claim("alice", "k1", "hash-a", "job-1", T0, CLAIM);
        assertInstanceOf(Claim.Claimed.class, first);
        Claim second = keys.claim("alice", "k1", "hash-b", "job-2", T0.plusSeconds(1), CLAIM);
        IdempotencyRecord existing = assertInstanceOf(Claim.Existing.class, second).record();
        assertEquals("job-1", existing.jobId());
        assertTrue(existing.sameRequestAs("hash-a"));
        assertEquals(false, existing.sameRequestAs("hash-b"));
    }

    @Test
    void sameKey_ofAnotherCaller_isTheirOwn() {
        keys.claim("alice", "k1", "hash", "job-1", T0, CLAIM);
        assertInstanceOf(Claim.Claimed.class, keys.claim("bob", "k1", "hash", "job-2", T0, CLAIM));
    }

    @Test
    void completedRecord_answersUntilItExpires_thenTheKeyIsFree() {
        IdempotencyRecord record = ((Claim.Claimed) keys.claim("alice", "k1", "h", "job-1", T0, CLAIM)).record();
        keys.complete(record, T0.plus(Duration.ofHours(24)));
        IdempotencyRecord stored = keys.find("alice", "k1").orElseThrow();
        assertTrue(stored.completed());
        assertInstanceOf(Claim.Existing.class, keys.claim("alice", "k1", "h", "job-2", T0.plus(Duration.ofHours(23)), CLAIM));
        assertInstanceOf(Claim.Claimed.class, keys.claim("alice", "k1", "h", "job-3", T0.plus(Duration.ofHours(25)), CLAIM));
    }

    @Test
    void releasedClaim_canBeClaimedAgain_butNotSomeoneElses() {
        IdempotencyRecord mine = ((Claim.Claimed) keys.claim("alice", "k1", "h", "job-1", T0, CLAIM)).record();
        keys.release(mine);
        IdempotencyRecord theirs = ((Claim.Claimed) keys.claim("alice", "k1", "h", "job-2", T0, CLAIM)).record();
        keys.release(mine); // a stale release must not free the new claim
        assertEquals("job-2", keys.find("alice", "k1").orElseThrow().jobId());
        assertEquals(theirs, keys.find("alice", "k1").orElseThrow());
    }

    @Test
    void twentyConcurrentClaims_exactlyOneWins() throws Exception {
        AtomicInteger n = new AtomicInteger();
        List<Concurrently.Outcome<Claim>> outcomes = Concurrently.run(20,
                () -> keys.claim("alice", "k1", "h", "job-" + n.incrementAndGet(), T0, CLAIM));
        List<Claim> claims = outcomes.stream().map(Concurrently.Outcome::result).toList();
        assertEquals(1, claims.stream().filter(c -> c instanceof Claim.Claimed).count(), outcomes.toString());
        String winner = claims.stream().filter(c -> c instanceof Claim.Claimed).findFirst()
                .map(c -> ((Claim.Claimed) c).record().jobId()).orElseThrow();
        claims.stream().filter(c -> c instanceof Claim.Existing)
                .forEach(c -> assertEquals(winner, ((Claim.Existing) c).record().jobId()));
    }
}
