package io.conveyor.local.runtime.events;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every event the product put on an event bus, newest last, up to a limit (the oldest are dropped beyond it).
 * Each is also written to the log ({@code conveyor.events}). Thread-safe.
 */
public final class EventLog {
    private static final Logger LOG = LoggerFactory.getLogger("conveyor.events");
    /** The default number of events kept. */
    public static final int DEFAULT_CAPACITY = 10_000;

    private final int capacity;
    private final Deque<RecordedEvent> events = new ArrayDeque<>();
    private final List<Consumer<RecordedEvent>> listeners = new CopyOnWriteArrayList<>();

    public EventLog() {
        this(DEFAULT_CAPACITY);
    }

    public EventLog(int capacity) {
        this.capacity = capacity;
    }

    public void record(RecordedEvent event) {
        synchronized (events) {
            events.addLast(event);
            while (events.size() > capacity) {
                events.removeFirst();
            }
            events.notifyAll();
        }
        LOG.info("{} {} {} {}", event.bus(), event.source(), event.detailType(), event.detail());
        listeners.forEach(l -> l.accept(event));
    }

    /** Every event kept, oldest first. */
    public List<RecordedEvent> all() {
        synchronized (events) {
            return List.copyOf(events);
        }
    }

    /** The events kept that match {@code filter}, oldest first. */
    public List<RecordedEvent> matching(Predicate<RecordedEvent> filter) {
        return all().stream().filter(filter).toList();
    }

    /**
     * The first event kept that matches {@code filter}, waiting up to {@code timeout} for it: the product writes a
     * job's status before it publishes the change, so a test that has seen the status must wait for the event.
     *
     * @throws AssertionError when none arrives in time, listing the events kept
     */
    public RecordedEvent await(Predicate<RecordedEvent> filter, java.time.Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (events) {
            while (true) {
                for (RecordedEvent e : events) {
                    if (filter.test(e)) {
                        return e;
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("no matching event within " + timeout + "; events kept: " + this);
                }
                try {
                    events.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted waiting for an event", e);
                }
            }
        }
    }

    /** The events kept, one envelope per line. */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder();
        all().forEach(e -> out.append(e.envelope()).append('\n'));
        return out.toString();
    }

    /** Calls {@code listener} with every event recorded from now on, on the recording thread. */
    public void subscribe(Consumer<RecordedEvent> listener) {
        listeners.add(listener);
    }

    public void clear() {
        synchronized (events) {
            events.clear();
        }
    }
}
