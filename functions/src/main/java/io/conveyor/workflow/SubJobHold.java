package io.conveyor.workflow;

import io.conveyor.subjob.SubJobRunner;
import io.conveyor.subjob.SubJobStore;
import io.conveyor.usage.UsageMeter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The subjobs one RunSubJob invocation holds ({@link SubJobStore#startAll}), as a lease: taken for {@link #LEASE},
 * {@linkplain #renew renewed} every {@link #RENEW_EVERY} while the invocation runs them, let go of when it ends. A
 * batch delivered again after its task timed out then waits for an invocation that is still at work, while the
 * subjobs of one that crashed (out of memory, its runtime killed) are free again within the lease, not after the
 * longest an invocation may run. Thread-safe: the renewals come from another thread.
 */
final class SubJobHold implements AutoCloseable {
    /** How long a hold lasts unless renewed: how long a crashed invocation's subjobs wait. */
    static final Duration LEASE = Duration.ofSeconds(30);
    /** How often a running invocation renews: a third of the lease, so two renewals may fail before it runs out. */
    static final Duration RENEW_EVERY = LEASE.dividedBy(3);

    private final SubJobStore subJobs;
    private final String jobId;
    private final int attempt;
    private final Clock clock;
    private final Set<Integer> held = new LinkedHashSet<>();
    /** A renewal's writes are the invocation's: measured by its meter, whichever thread renews. */
    private final Supplier<Void> renewal;
    private Instant until;

    SubJobHold(SubJobStore subJobs, String jobId, int attempt, Clock clock) {
        this.subJobs = subJobs;
        this.jobId = jobId;
        this.attempt = attempt;
        this.clock = clock;
        this.until = clock.instant().plus(LEASE);
        this.renewal = UsageMeter.carried(() -> {
            renewNow();
            return null;
        });
    }

    /** Starts and holds those of {@code wanted} that no other invocation holds ({@link SubJobStore#startAll}). */
    synchronized List<Integer> start(List<Integer> wanted, SubJobRunner.Function runner) {
        List<Integer> started = subJobs.startAll(jobId, attempt, wanted, clock.instant(), until, runner);
        held.addAll(started);
        return started;
    }

    /** These subjobs have their outcomes recorded: nothing to hold any more. */
    synchronized void finished(Collection<Integer> indices) {
        held.removeAll(indices);
    }

    /**
     * Moves the hold of every subjob still held to now plus the lease; one this invocation lost (its hold ran out while
     * it was frozen, and another took it) is no longer its.
     */
    void renew() {
        renewal.get();
    }

    private synchronized void renewNow() {
        Instant next = clock.instant().plus(LEASE);
        held.removeIf(index -> !subJobs.holds().renew(jobId, attempt, index, until, next));
        until = next;
    }

    /** Lets go of what it still holds (those left without an outcome), for the state's Retry to run them at once. */
    @Override
    public synchronized void close() {
        if (!held.isEmpty()) {
            subJobs.holds().release(jobId, attempt, List.copyOf(held), until, clock.instant());
            held.clear();
        }
    }
}
