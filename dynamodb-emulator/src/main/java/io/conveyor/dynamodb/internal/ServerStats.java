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

    /**
     * One operation's request count and, in nanoseconds summed over its requests: the time to handle the request
     * (from its JSON body to the answer's bytes), the time until the answer was written to the connection, and
     * the handling thread's CPU time in that span. On a busy machine the wall times include waits for a CPU; the
     * CPU time does not.
     */
    public record Snapshot(long requests, long handleNanos, long nanos, long cpuNanos) {
        /** The mean time from request body to answer bytes, in microseconds (0 without requests). */
        public double meanHandleMicros() {
            return requests == 0 ? 0 : handleNanos / 1000.0 / requests;
        }

        /** The mean time from request body to the answer written, in microseconds (0 without requests). */
        public double meanMicros() {
            return requests == 0 ? 0 : nanos / 1000.0 / requests;
        }

        /** The mean CPU time per request in microseconds (0 without requests). */
        public double meanCpuMicros() {
            return requests == 0 ? 0 : cpuNanos / 1000.0 / requests;
        }
    }

    private static final class Counter {
        final LongAdder requests = new LongAdder();
        final LongAdder handleNanos = new LongAdder();
        final LongAdder nanos = new LongAdder();
        final LongAdder cpuNanos = new LongAdder();
    }

    public void record(String operation, long handleNanos, long nanos, long cpuNanos) {
        Counter c = counters.computeIfAbsent(operation, k -> new Counter());
        c.requests.increment();
        c.handleNanos.add(handleNanos);
        c.nanos.add(nanos);
        c.cpuNanos.add(cpuNanos);
    }

    /** The counters per operation name, sorted by name. */
    public Map<String, Snapshot> snapshot() {
        Map<String, Snapshot> out = new TreeMap<>();
        counters.forEach((op, c) -> out.put(op, new Snapshot(c.requests.sum(), c.handleNanos.sum(), c.nanos.sum(), c.cpuNanos.sum())));
        return out;
    }

    /** Sets every counter back to zero. */
    public void reset() {
        counters.clear();
    }
}
