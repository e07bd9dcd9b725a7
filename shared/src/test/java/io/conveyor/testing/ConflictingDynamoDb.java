package io.conveyor.testing;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * A DynamoDB client over a real one whose next transactions are cancelled with {@code TransactionConflict}, as
 * DynamoDB cancels one that meets another transaction on the same item (the emulator does too, but only when two
 * overlap in time, which a test cannot arrange at will). Everything else goes to the real client.
 */
public final class ConflictingDynamoDb {
    private final AtomicInteger conflictsLeft = new AtomicInteger();
    private final AtomicInteger transactions = new AtomicInteger();
    private final DynamoDbClient client;

    public ConflictingDynamoDb(DynamoDbClient real) {
        this.client = (DynamoDbClient) Proxy.newProxyInstance(ConflictingDynamoDb.class.getClassLoader(),
                new Class<?>[] {DynamoDbClient.class}, (proxy, method, args) -> {
                    if (method.getName().equals("transactWriteItems")) {
                        transactions.incrementAndGet();
                        if (conflictsLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                            throw TransactionCanceledException.builder().message("Transaction cancelled")
                                    .cancellationReasons(CancellationReason.builder().code("TransactionConflict").build(),
                                            CancellationReason.builder().code("None").build())
                                    .build();
                        }
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    /** The client to hand to the code under test. */
    public DynamoDbClient client() {
        return client;
    }

    /** Cancels the next {@code count} transactions with a conflict. */
    public void conflictNext(int count) {
        conflictsLeft.set(count);
    }

    /** Transactions sent so far, cancelled or not. */
    public int transactions() {
        return transactions.get();
    }
}
