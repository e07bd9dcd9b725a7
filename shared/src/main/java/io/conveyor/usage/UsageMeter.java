package io.conveyor.usage;

import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * What one Lambda invocation consumes on behalf of one job, as it goes: the SDK requests it sends
 * ({@link UsageInterceptor}), what it knows it caused (state transitions, events), and its own time. The job store
 * takes the usage measured so far into each write of the job it already makes ({@link #takeFor}), so recording usage
 * adds no write of its own to a step that writes its job anyway.
 *
 * <p>The meter of the running invocation is found through the thread it runs on; work the invocation hands to other
 * threads carries it along with {@link #carried}. Thread-safe.
 */
public final class UsageMeter {
    private static final ThreadLocal<UsageMeter> CURRENT = new ThreadLocal<>();

    private final int memoryMb;
    private final LongSupplier nanoTime;
    private final long startNanos;
    private String jobId;
    private Usage pending;
    /** Milliseconds of the invocation already handed to a write: the duration is rounded up once, over the whole. */
    private long reportedMillis;
    private boolean invocationReported;
    /** Writes that took this meter's usage, less those given back. */
    private int writes;

    UsageMeter(String jobId, int memoryMb, LongSupplier nanoTime) {
        this.jobId = jobId;
        this.memoryMb = memoryMb;
        this.nanoTime = nanoTime;
        this.startNanos = nanoTime.getAsLong();
        this.pending = Usage.NONE;
    }

    /**
     * Runs {@code work} as one invocation of a function of {@code memoryMb} on behalf of job {@code jobId} ({@code null}
     * when the invocation's job is known only once it writes it: a create).
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
            if (outer == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(outer);
            }
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
        long elapsedMillis = Billing.lambdaMillis(nanoTime.getAsLong() - startNanos);
        Usage own = Usage.lambda(invocationReported ? 0 : 1, (elapsedMillis - reportedMillis) * memoryMb);
        Usage taken = pending.plus(own);
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
     * Whether no write of the invocation's job has taken its usage yet: a step that wrote nothing must record it with a
     * write of its own ({@code JobStore#addUsage}).
     */
    public synchronized boolean untaken() {
        return writes == 0;
    }

    /** The job this invocation works for, once known. */
    public synchronized Optional<String> jobId() {
        return Optional.ofNullable(jobId);
    }
}
