package io.conveyor.dynamodb.internal.store;

import java.util.Arrays;
import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Per-item locking without a global lock: items hash onto a fixed set of lock stripes, and a write holds the
 * stripe of its item (a transaction holds those of all its items, taken in stripe order so two transactions never
 * deadlock). Besides, a transaction first <em>claims</em> its items: a second transaction or a single-item write
 * meeting a claimed item is refused with a conflict instead of waiting, as DynamoDB does.
 */
public final class ItemLocks {
    private static final int STRIPES = 4096;

    private final ReentrantLock[] stripes = new ReentrantLock[STRIPES];
    private final ConcurrentHashMap<String, Object> claims = new ConcurrentHashMap<>();

    public ItemLocks() {
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new ReentrantLock();
        }
    }

    /** The name an item's lock and claim go by. */
    public static String lockName(String table, Key key) {
        return table + '\u0001' + key.id();
    }

    private static int stripe(String lockName) {
        int h = lockName.hashCode();
        return (h ^ (h >>> 16)) & (STRIPES - 1);
    }

    /** Locks one item's stripe; unlock with the returned {@link Held}. */
    public Held lock(String lockName) {
        ReentrantLock l = stripes[stripe(lockName)];
        l.lock();
        return l::unlock;
    }

    /** Locks the stripes of several items, in stripe order. */
    public Held lockAll(Collection<String> lockNames) {
        int[] idx = lockNames.stream().mapToInt(ItemLocks::stripe).distinct().sorted().toArray();
        for (int i : idx) {
            stripes[i].lock();
        }
        return () -> Arrays.stream(idx).forEach(i -> stripes[i].unlock());
    }

    /** Whether a transaction has claimed the item. */
    public boolean claimed(String lockName) {
        return claims.containsKey(lockName);
    }

    /** Claims an item for {@code owner}; false when another owner holds it. */
    public boolean claim(String lockName, Object owner) {
        Object prior = claims.putIfAbsent(lockName, owner);
        return prior == null || prior == owner;
    }

    /** Gives up a claim held by {@code owner}. */
    public void release(String lockName, Object owner) {
        claims.remove(lockName, owner);
    }

    /** A held lock: closing it unlocks. */
    @FunctionalInterface
    public interface Held extends AutoCloseable {
        @Override
        void close();
    }
}
