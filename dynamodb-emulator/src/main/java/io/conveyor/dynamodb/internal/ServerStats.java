package io.conveyor.dynamodb.internal;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Requests handled per operation and the time spent handling them inside the server (from the request body
 * read to the answer written), so a benchmark can tell the server's share of a call from the client's.
 * Thread-safe; counters only grow until {@link #reset()}.
 */
public final class ServerStats {
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    /** One operation's request count and total handling time in nanoseconds. */
    public record Snapshot(long requests, long nanos) {
        /** The mean handling time per request in microseconds (0 without requests). */
        public double meanMicros() {
            return requests == 0 ? 0 : nanos / 1000.0 / requests;
        }
    }

    private static final class Counter {
        final LongAdder requests = new LongAdder();
        final LongAdder nanos = new LongAdder();
    }

    public void record(String operation, long nanos) {
        Counter c = counters.computeIfAbsent(operation, k -> new Counter());
        c.requests.increment();
        c.nanos.add(nanos);
    }

    /** The counters per operation name, sorted by name. */
    public Map<String, Snapshot> snapshot() {
        Map<String, Snapshot> out = new TreeMap<>();
        counters.forEach((op, c) -> out.put(op, new Snapshot(c.requests.sum(), c.nanos.sum())));
        return out;
    }

    /** Sets every counter back to zero. */
    public void reset() {
        counters.clear();
    }
}
