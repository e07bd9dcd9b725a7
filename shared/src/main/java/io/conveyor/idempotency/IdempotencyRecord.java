package io.conveyor.idempotency;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * What an idempotency key was first used for.
 *
 * @param owner       the caller who used the key; keys of different callers never meet
 * @param key         the caller's {@code Idempotency-Key}
 * @param requestHash a digest of the request the key was first used with
 * @param jobId       the job that request creates
 * @param completed   {@code false} while the first request is still being served
 * @param expiresAt   when the key may be used afresh (an unfinished claim expires sooner, so a crashed request
 *                    does not block its key for long)
 */
public record IdempotencyRecord(String owner, String key, String requestHash, String jobId, boolean completed,
        Instant expiresAt) {

    public IdempotencyRecord {
        // Kept to the second, DynamoDB TTL's unit, so the record equals what is stored.
        expiresAt = expiresAt.truncatedTo(ChronoUnit.SECONDS);
    }

    /** Whether this record was made by the same request (same body) as {@code requestHash}. */
    public boolean sameRequestAs(String otherRequestHash) {
        return requestHash.equals(otherRequestHash);
    }
}
