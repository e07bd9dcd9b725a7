package io.conveyor.persistence;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongConsumer;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Writes a DynamoDB transaction, trying again when it met another transaction on one of its items. DynamoDB cancels
 * such a transaction with the reason {@code TransactionConflict} and writes nothing, and the SDK does not retry it:
 * batches of one job all change the job's progress, and jobs of one user or program change the same quota counters,
 * so on DynamoDB concurrent steps meet there routinely. Any other cancellation (a failed condition, above all) is
 * the caller's to read, and is thrown at once.
 *
 * <p>The job's item is the hottest: every batch's start and end transactions change its progress. The 10,000-subjob
 * job of the runtime's benchmark keeps about 50 batches in flight and writes the job item some 200 times a second;
 * on two cores a transaction is often preempted while it holds the item, and 8 tries (about 1.6 s of pauses) let two
 * of its 1,334 transactions fail, and their 30 subjobs with them. 16 tries wait about 7 s at most on average.
 */
public final class Transactions {
    /** Tries after the first, each after a pause with full jitter that doubles from 40 ms up to 1 s. */
    static final int CONFLICT_RETRIES = 16;
    static final long MAX_PAUSE_MILLIS = 1000;

    private Transactions() {}

    /**
     * Writes {@code writes} as one transaction.
     *
     * @throws TransactionCanceledException when a condition failed, or the transaction still conflicted after
     *     {@value #CONFLICT_RETRIES} more tries
     */
    public static void write(DynamoDbClient dynamoDb, List<TransactWriteItem> writes) {
        write(dynamoDb, writes, Transactions::pause);
    }

    /** As {@link #write(DynamoDbClient, List)}, pausing between tries through {@code pause} (milliseconds). */
    static void write(DynamoDbClient dynamoDb, List<TransactWriteItem> writes, LongConsumer pause) {
        for (int tries = 1; ; tries++) {
            try {
                dynamoDb.transactWriteItems(t -> t.transactItems(writes));
                return;
            } catch (TransactionCanceledException e) {
                if (tries > CONFLICT_RETRIES || !onlyConflicts(e.cancellationReasons())) {
                    throw e;
                }
                pause.accept(ThreadLocalRandom.current().nextLong(Math.min(MAX_PAUSE_MILLIS, 20L << tries) + 1));
            }
        }
    }

    /** Whether a conflict, and nothing the caller must see (a failed condition, a validation error), cancelled it. */
    private static boolean onlyConflicts(List<CancellationReason> reasons) {
        boolean conflict = false;
        for (CancellationReason reason : reasons) {
            String code = reason.code();
            if ("TransactionConflict".equals(code)) {
                conflict = true;
            } else if (code != null && !"None".equals(code)) {
                return false;
            }
        }
        return conflict;
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting to retry a conflicting transaction", e);
        }
    }
}
