package io.conveyor.usage;

import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one Lambda invocation consumes on behalf of one job, as it goes: the SDK requests it sends
 * ({@link UsageInterceptor}), what it knows it caused (state transitions, events), and its own time. The job store
 * takes the usage measured so far into each write of the job it already makes ({@link #takeFor}), so recording usage
 * adds no write of its own to a step that writes its job anyway. What is left when the invocation ends (the units of
 * its last job write, what it sent after it, the rest of its time; all of it for a step that writes no job) goes to
 * the job with one write of its own, where the store that last read or wrote the job {@linkplain #routeTail routed}
 * it.
 *
 * <p>The meter of the running invocation is found through the thread it runs on; work the invocation hands to other
 * threads carries it along with {@link #carried}. Thread-safe.
 */
public final class UsageMeter {
    private static final Logger LOG = LoggerFactory.getLogger(UsageMeter.class);
    private static final ThreadLocal<UsageMeter> CURRENT = new ThreadLocal<>();

    private final int memoryMb;
    private final LongSupplier nanoTime;
    private final long startNanos;
    private String jobId;
    /** Whether the invocation is charged to its job even if it never writes it (its job was known from the start). */
    private final boolean chargedWithoutWrite;
    /** Where what is left at the end goes, as the job's store last said; {@code null} until it says. */
    private Consumer<Usage> tail;
    private Usage pending;
    /** Milliseconds of the invocation already handed to a write: the duration is rounded up once, over the whole. */
    private long reportedMillis;
    private boolean invocationReported;
    /** Writes that took this meter's usage, less those given back. */
    private int writes;

    UsageMeter(String jobId, int memoryMb, LongSupplier nanoTime) {
        this.jobId = jobId;
        this.chargedWithoutWrite = jobId != null;
        this.memoryMb = memoryMb;
        this.nanoTime = nanoTime;
        this.startNanos = nanoTime.getAsLong();
        this.pending = Usage.NONE;
    }

    /**
     * Runs {@code work} as one invocation of a function of {@code memoryMb} on behalf of job {@code jobId}, then records
     * what its writes of the job did not take ({@link #routeTail}). With {@code jobId} {@code null} the invocation is
     * charged to the first job it writes, and only if it writes one (a create, a cancel; not a read of a job).
     */
    public static <T> T measure(String jobId, int memoryMb, Supplier<T> work) {
        UsageMeter meter = new UsageMeter(jobId, memoryMb, System::nanoTime);
        return meter.run(work);
    }

    <T> T run(Supplier<T> work) {
        UsageMeter outer = CURRENT.get();
        CURRENT.set(this);
        try {
            return work.get();
        } finally {
            // The tail's write is not measured by this meter (its units are part of what it adds) nor by the outer one.
            CURRENT.remove();
            recordTail();
            if (outer != null) {
                CURRENT.set(outer);
            }
        }
    }

    /**
     * Where what the running invocation has not handed to a write of job {@code jobId} goes when it ends: {@code tail}
     * is given it once, never if it is nothing. The store that reads or writes the job routes it each time (the last
     * route wins); a route for another job than the invocation's is ignored.
     */
    public static void routeTail(String jobId, Consumer<Usage> tail) {
        UsageMeter meter = CURRENT.get();
        if (meter != null) {
            meter.route(jobId, tail);
        }
    }

    synchronized void route(String routedJob, Consumer<Usage> to) {
        if (routedJob.equals(jobId)) {
            tail = to;
        }
    }

    /** Best effort: the invocation's own outcome stands whatever happens to the record of what it cost. */
    private void recordTail() {
        Consumer<Usage> to;
        Usage rest;
        synchronized (this) {
            if (jobId == null || tail == null || !(chargedWithoutWrite || writes > 0)) {
                return;
            }
            to = tail;
            rest = take(jobId);
        }
        if (rest.isNone()) {
            return;
        }
        try {
            to.accept(rest);
        } catch (RuntimeException e) {
            LOG.warn("could not record the rest of this invocation's usage for job {}", jobId, e);
        }
    }

    /** The meter of the invocation running on this thread, if it is measured. */
    public static Optional<UsageMeter> current() {
        return Optional.ofNullable(CURRENT.get());
    }

    /** Adds {@code usage} to the running invocation's meter, if any. */
    public static void record(Usage usage) {
        UsageMeter meter = CURRENT.get();
        if (meter != null) {
            meter.add(usage);
        }
    }

    /**
     * For a write of job {@code writtenJob}: what the running invocation measured since its last write of that job,
     * including its invocation and time so far; {@link Usage#NONE} when the invocation works for another job (Finalize
     * admitting the next job writes that one) or is not measured. A meter with no job yet takes the first job written.
     * If the write does not happen, {@link #giveBack} returns the usage to the meter.
     */
    public static Usage takeFor(String writtenJob) {
        UsageMeter meter = CURRENT.get();
        return meter == null ? Usage.NONE : meter.take(writtenJob);
    }

    /** Returns usage {@link #takeFor taken} for a write that was not made. */
    public static void giveBack(Usage usage) {
        UsageMeter meter = CURRENT.get();
        if (meter != null && !usage.isNone()) {
            meter.restore(usage);
        }
    }

    /** {@code task} run on another thread, measured by the meter of the invocation that hands it over. */
    public static <T> Supplier<T> carried(Supplier<T> task) {
        UsageMeter meter = CURRENT.get();
        if (meter == null) {
            return task;
        }
        return () -> {
            UsageMeter outer = CURRENT.get();
            CURRENT.set(meter);
            try {
                return task.get();
            } finally {
                if (outer == null) {
                    CURRENT.remove();
                } else {
                    CURRENT.set(outer);
                }
            }
        };
    }

    synchronized void add(Usage usage) {
        pending = pending.plus(usage);
    }

    synchronized Usage take(String writtenJob) {
        if (jobId == null) {
            jobId = writtenJob;
        } else if (!jobId.equals(writtenJob)) {
            return Usage.NONE;
        }
        long elapsedMillis = elapsedMillis();
        Usage taken = untaken(elapsedMillis);
        pending = Usage.NONE;
        reportedMillis = elapsedMillis;
        invocationReported = true;
        writes++;
        return taken;
    }

    synchronized void restore(Usage usage) {
        // The invocation and its time stay counted as reported: the next take measures the time from the start again.
        long millis = memoryMb == 0 ? 0 : usage.lambdaMbMillis() / memoryMb;
        reportedMillis -= millis;
        writes--;
        invocationReported = invocationReported && usage.lambdaInvocations() == 0;
        pending = pending.plus(new Usage(usage.transitions(), 0, 0, usage.readUnits(), usage.writeUnits(),
                usage.s3ClassA(), usage.s3ClassB(), usage.s3BytesWritten(), usage.events()));
    }

    /**
     * What the running invocation measured for {@code jobId} and has not handed to a write yet, its time so far included,
     * left in the meter: for a figure of the job's cost taken before the invocation ends.
     */
    public static Usage untakenFor(String jobId) {
        UsageMeter meter = CURRENT.get();
        return meter == null ? Usage.NONE : meter.peek(jobId);
    }

    synchronized Usage peek(String ofJob) {
        if (!ofJob.equals(jobId)) {
            return Usage.NONE;
        }
        return untaken(elapsedMillis());
    }

    private long elapsedMillis() {
        return Billing.lambdaMillis(nanoTime.getAsLong() - startNanos);
    }

    /** What no write took yet: the measured usage, the invocation itself if not yet reported, its time since. */
    private Usage untaken(long elapsedMillis) {
        return pending.plus(Usage.lambda(invocationReported ? 0 : 1, (elapsedMillis - reportedMillis) * memoryMb));
    }

    /** The job this invocation works for, once known. */
    public synchronized Optional<String> jobId() {
        return Optional.ofNullable(jobId);
    }
}
