package io.conveyor.idempotency;

import io.conveyor.persistence.KeyAttributeSpec;
import io.conveyor.persistence.TableSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;

/**
 * Idempotency keys, claimed with one conditional put: the first request with a key claims it; any other gets
 * the existing record back from the failed condition itself ({@code ALL_OLD}), without a second read.
 *
 * <p>Thread-safe.
 */
public final class IdempotencyStore {

    /** The idempotency table, keyed by caller and key, with TTL on the expiry. */
    public static final TableSpec TABLE = new TableSpec(
            "Idempotency",
            "CONVEYOR_IDEMPOTENCY_TABLE",
            KeyAttributeSpec.string(IdempotencyStore.ID),
            Optional.empty(),
            List.of(),
            Optional.of(IdempotencyStore.EXPIRES_AT));

    static final String ID = "idempotencyId";
    static final String EXPIRES_AT = "expiresAt";
    private static final String OWNER = "owner";
    private static final String KEY = "key";
    private static final String REQUEST_HASH = "requestHash";
    private static final String JOB_ID = "jobId";
    private static final String COMPLETED = "completed";

    /** The outcome of a claim: either this request now owns the key, or the record that already does. */
    public sealed interface Claim {
        /** This request claimed the key and should create the job. */
        record Claimed(IdempotencyRecord record) implements Claim {}

        /** The key was claimed before; the record says by which request and for which job. */
        record Existing(IdempotencyRecord record) implements Claim {}
    }

    private final DynamoDbClient dynamoDb;
    private final String tableName;

    public IdempotencyStore(DynamoDbClient dynamoDb, String tableName) {
        this.dynamoDb = dynamoDb;
        this.tableName = tableName;
    }

    /**
     * Claims {@code key} for {@code owner}'s request with digest {@code requestHash}, which will create
     * {@code jobId}. An unfinished claim lapses after {@code claimTimeout}, so a request that crashed does not
     * hold the key for ever; an expired record is claimed over.
     */
    public Claim claim(String owner, String key, String requestHash, String jobId, Instant now, Duration claimTimeout) {
        IdempotencyRecord record =
                new IdempotencyRecord(owner, key, requestHash, jobId, false, now.plus(claimTimeout));
        try {
            dynamoDb.putItem(b -> b.tableName(tableName)
                    .item(toItem(record))
                    .conditionExpression("attribute_not_exists(#id) OR #exp < :now")
                    .expressionAttributeNames(Map.of("#id", ID, "#exp", EXPIRES_AT))
                    .expressionAttributeValues(Map.of(":now", AttributeValue.fromN(Long.toString(now.getEpochSecond()))))
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
            return new Claim.Claimed(record);
        } catch (ConditionalCheckFailedException e) {
            if (e.hasItem() && !e.item().isEmpty()) {
                return new Claim.Existing(fromItem(e.item()));
            }
            // Emulators may not return the old item: read it instead.
            return new Claim.Existing(find(owner, key).orElseThrow(() -> e));
        }
    }

    /** Marks the claim of {@code record} done: the key now answers with its job until {@code keepUntil}. */
    public void complete(IdempotencyRecord record, Instant keepUntil) {
        IdempotencyRecord done = new IdempotencyRecord(record.owner(), record.key(), record.requestHash(),
                record.jobId(), true, keepUntil);
        dynamoDb.putItem(b -> b.tableName(tableName)
                .item(toItem(done))
                .conditionExpression("#job = :job")
                .expressionAttributeNames(Map.of("#job", JOB_ID))
                .expressionAttributeValues(Map.of(":job", AttributeValue.fromS(record.jobId()))));
    }

    /** Gives up the claim of {@code record}, so the key can be used again (its request failed). */
    public void release(IdempotencyRecord record) {
        try {
            dynamoDb.deleteItem(b -> b.tableName(tableName)
                    .key(Map.of(ID, AttributeValue.fromS(id(record.owner(), record.key()))))
                    .conditionExpression("#job = :job")
                    .expressionAttributeNames(Map.of("#job", JOB_ID))
                    .expressionAttributeValues(Map.of(":job", AttributeValue.fromS(record.jobId()))));
        } catch (ConditionalCheckFailedException someoneElsesClaim) {
            // The claim lapsed and another request holds the key now: leave theirs alone.
        }
    }

    /** The record for {@code owner}'s {@code key}, if any. */
    public Optional<IdempotencyRecord> find(String owner, String key) {
        Map<String, AttributeValue> item = dynamoDb.getItem(b -> b.tableName(tableName)
                .key(Map.of(ID, AttributeValue.fromS(id(owner, key)))).consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(fromItem(item));
    }

    private static String id(String owner, String key) {
        // The owner is part of the id, so two callers choosing the same key never see each other's job.
        return owner.length() + ":" + owner + "#" + key;
    }

    private static Map<String, AttributeValue> toItem(IdempotencyRecord r) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(ID, AttributeValue.fromS(id(r.owner(), r.key())));
        item.put(OWNER, AttributeValue.fromS(r.owner()));
        item.put(KEY, AttributeValue.fromS(r.key()));
        item.put(REQUEST_HASH, AttributeValue.fromS(r.requestHash()));
        item.put(JOB_ID, AttributeValue.fromS(r.jobId()));
        item.put(COMPLETED, AttributeValue.fromBool(r.completed()));
        item.put(EXPIRES_AT, AttributeValue.fromN(Long.toString(r.expiresAt().getEpochSecond())));
        return item;
    }

    private static IdempotencyRecord fromItem(Map<String, AttributeValue> item) {
        return new IdempotencyRecord(
                item.get(OWNER).s(),
                item.get(KEY).s(),
                item.get(REQUEST_HASH).s(),
                item.get(JOB_ID).s(),
                item.get(COMPLETED).bool(),
                Instant.ofEpochSecond(Long.parseLong(item.get(EXPIRES_AT).n())));
    }
}
