package io.conveyor.admission;

import io.conveyor.persistence.KeyAttributeSpec;
import io.conveyor.persistence.TableSpec;
import io.conveyor.persistence.Timestamps;
import io.conveyor.persistence.Transactions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * Counts active jobs per user and per program, so quota checks are two key reads instead of a scan.
 *
 * <p>A job takes a slot by one transaction that writes a slot record for the job (only if it has none) and
 * increments both counters (only if each is below its limit); it gives the slot back by one transaction that
 * deletes the slot record (only if present) and decrements both. The slot record makes both idempotent: a
 * repeated acquire or release changes no count.
 *
 * <p>Thread-safe.
 */
public final class ActiveJobCounters {

    /** The counters table: one item per user counter, per program counter, and per held slot. */
    public static final TableSpec TABLE = new TableSpec(
            "Counters",
            "CONVEYOR_COUNTERS_TABLE",
            KeyAttributeSpec.string(ActiveJobCounters.COUNTER_ID),
            Optional.empty(),
            List.of(),
            Optional.empty());

    static final String COUNTER_ID = "counterId";
    private static final String ACTIVE = "active";
    private static final String ADMISSION_CURSOR = "admission#cursor";

    /** What an acquire found. */
    public enum Acquisition {
        /** The slot is now held by the job. */
        ACQUIRED,
        /** The job held the slot already; nothing changed. */
        ALREADY_HELD,
        /** The user is at their limit; nothing changed. */
        USER_LIMIT_REACHED,
        /** The program is at its limit; nothing changed. */
        PROGRAM_LIMIT_REACHED
    }

    private final DynamoDbClient dynamoDb;
    private final String tableName;

    public ActiveJobCounters(DynamoDbClient dynamoDb, String tableName) {
        this.dynamoDb = dynamoDb;
        this.tableName = tableName;
    }

    /** Takes a slot for {@code jobId} if both its owner and its program are below their limits. */
    public Acquisition acquire(String jobId, String owner, String program, int userLimit, int programLimit, Instant now) {
        Put slot = Put.builder()
                .tableName(tableName)
                .item(Map.of(
                        COUNTER_ID, s(slotId(jobId)),
                        "owner", s(owner),
                        "program", s(program),
                        "acquiredAt", s(Timestamps.sortable(now))))
                .conditionExpression("attribute_not_exists(#id)")
                .expressionAttributeNames(Map.of("#id", COUNTER_ID))
                .build();
        try {
            Transactions.write(dynamoDb, List.of(
                    TransactWriteItem.builder().put(slot).build(),
                    TransactWriteItem.builder().update(increment(userId(owner), userLimit)).build(),
                    TransactWriteItem.builder().update(increment(programId(program), programLimit)).build()));
            return Acquisition.ACQUIRED;
        } catch (TransactionCanceledException e) {
            List<CancellationReason> reasons = e.cancellationReasons();
            if (failedCondition(reasons, 0)) {
                return Acquisition.ALREADY_HELD;
            }
            if (failedCondition(reasons, 1)) {
                return Acquisition.USER_LIMIT_REACHED;
            }
            if (failedCondition(reasons, 2)) {
                return Acquisition.PROGRAM_LIMIT_REACHED;
            }
            throw e;
        }
    }

    /**
     * Gives back the slot {@code jobId} holds, counted against {@code owner} and {@code program} (the job's, as
     * given to {@link #acquire}: the caller knows them, so the slot is not read first).
     *
     * @return {@code true} if it held one, {@code false} if it held none (already released, or never admitted)
     */
    public boolean release(String jobId, String owner, String program) {
        Delete deleteSlot = Delete.builder()
                .tableName(tableName)
                .key(Map.of(COUNTER_ID, s(slotId(jobId))))
                .conditionExpression("attribute_exists(#id)")
                .expressionAttributeNames(Map.of("#id", COUNTER_ID))
                .build();
        try {
            Transactions.write(dynamoDb, List.of(
                    TransactWriteItem.builder().delete(deleteSlot).build(),
                    TransactWriteItem.builder().update(decrement(userId(owner))).build(),
                    TransactWriteItem.builder().update(decrement(programId(program))).build()));
            return true;
        } catch (TransactionCanceledException e) {
            if (failedCondition(e.cancellationReasons(), 0)) {
                return false;
            }
            throw e;
        }
    }

    /** Whether {@code jobId} holds a slot. */
    public boolean holds(String jobId) {
        Map<String, AttributeValue> item = dynamoDb.getItem(b -> b.tableName(tableName)
                .key(Map.of(COUNTER_ID, s(slotId(jobId)))).consistentRead(true)).item();
        return item != null && !item.isEmpty();
    }

    /** Active jobs of {@code owner}. */
    public int activeForUser(String owner) {
        return read(userId(owner));
    }

    /** Active jobs of {@code program}, across users. */
    public int activeForProgram(String program) {
        return read(programId(program));
    }

    /** The owner whose job was admitted last, empty before the first admission: the round-robin's cursor. */
    public java.util.Optional<String> lastAdmittedOwner() {
        Map<String, AttributeValue> item = dynamoDb.getItem(b -> b.tableName(tableName)
                .key(Map.of(COUNTER_ID, s(ADMISSION_CURSOR))).consistentRead(true)).item();
        return item == null || !item.containsKey("owner") ? java.util.Optional.empty() : java.util.Optional.of(item.get("owner").s());
    }

    /** Moves the round-robin's cursor to {@code owner}. */
    public void recordAdmittedOwner(String owner) {
        dynamoDb.putItem(b -> b.tableName(tableName).item(Map.of(COUNTER_ID, s(ADMISSION_CURSOR), "owner", s(owner))));
    }

    private int read(String counterId) {
        Map<String, AttributeValue> item = dynamoDb.getItem(b -> b.tableName(tableName)
                .key(Map.of(COUNTER_ID, s(counterId))).consistentRead(true)).item();
        return item == null || !item.containsKey(ACTIVE) ? 0 : Integer.parseInt(item.get(ACTIVE).n());
    }

    private Update increment(String counterId, int limit) {
        return Update.builder()
                .tableName(tableName)
                .key(Map.of(COUNTER_ID, s(counterId)))
                .updateExpression("ADD #active :one")
                .conditionExpression("attribute_not_exists(#active) OR #active < :limit")
                .expressionAttributeNames(Map.of("#active", ACTIVE))
                .expressionAttributeValues(Map.of(":one", n(1), ":limit", n(limit)))
                .build();
    }

    private Update decrement(String counterId) {
        return Update.builder()
                .tableName(tableName)
                .key(Map.of(COUNTER_ID, s(counterId)))
                .updateExpression("ADD #active :minusOne")
                .conditionExpression("#active > :zero")
                .expressionAttributeNames(Map.of("#active", ACTIVE))
                .expressionAttributeValues(Map.of(":minusOne", n(-1), ":zero", n(0)))
                .build();
    }

    private static boolean failedCondition(List<CancellationReason> reasons, int index) {
        return reasons.size() > index && "ConditionalCheckFailed".equals(reasons.get(index).code());
    }

    private static String slotId(String jobId) {
        return "slot#" + jobId;
    }

    private static String userId(String owner) {
        return "user#" + owner;
    }

    private static String programId(String program) {
        return "program#" + program;
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    private static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
