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
     * One operation's request count, total handling time and total CPU time of the handling thread, in
     * nanoseconds. On a busy machine the handling time includes waits for a CPU; the CPU time does not.
     */
    public record Snapshot(long requests, long nanos, long cpuNanos) {
        /** The mean handling time per request in microseconds (0 without requests). */
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
        final LongAdder nanos = new LongAdder();
        final LongAdder cpuNanos = new LongAdder();
    }

    public void record(String operation, long nanos, long cpuNanos) {
        Counter c = counters.computeIfAbsent(operation, k -> new Counter());
        c.requests.increment();
        c.nanos.add(nanos);
        c.cpuNanos.add(cpuNanos);
    }

    /** The counters per operation name, sorted by name. */
    public Map<String, Snapshot> snapshot() {
        Map<String, Snapshot> out = new TreeMap<>();
        counters.forEach((op, c) -> out.put(op, new Snapshot(c.requests.sum(), c.nanos.sum(), c.cpuNanos.sum())));
        return out;
    }

    /** Sets every counter back to zero. */
    public void reset() {
        counters.clear();
    }
}
