package io.conveyor.admission;

import io.conveyor.admission.ActiveJobCounters.Acquisition;
import io.conveyor.job.Job;
import io.conveyor.job.JobStatus;
import io.conveyor.job.JobStore;
import io.conveyor.persistence.StoredJson;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Admission to quota slots. A job's workflow parks on a task token in the admission lane; whenever a job joins
 * the lane or a slot is released, a pass admits every waiting job that now fits: in submission order for each
 * user, round-robin between users (starting after the user admitted last), as long as both the user's and the
 * program's active-job limits allow. Only the head of each user's line is considered, so a user's jobs start in
 * the order they were submitted.
 *
 * <p>Any number of passes may run at once: a slot is taken per job (idempotently), and a waiter is resumed only
 * by the pass that removed it from the lane.
 */
public final class Admissions {
    private static final Logger LOG = LoggerFactory.getLogger(Admissions.class);

    private final JobStore jobs;
    private final ActiveJobCounters counters;
    private final WaitlistStore waitlist;
    private final TaskCallbacks callbacks;
    private final int userLimit;
    private final int programLimit;
    private final Clock clock;

    public Admissions(JobStore jobs, ActiveJobCounters counters, WaitlistStore waitlist, TaskCallbacks callbacks,
            int userLimit, int programLimit, Clock clock) {
        this.jobs = jobs;
        this.counters = counters;
        this.waitlist = waitlist;
        this.callbacks = callbacks;
        this.userLimit = userLimit;
        this.programLimit = programLimit;
        this.clock = clock;
    }

    /**
     * {@code job}, as just read, queued, waits for a slot on {@code taskToken}; then a pass admits whoever fits,
     * starting from that read for this job rather than reading it again.
     */
    public void enqueue(Job job, String taskToken) {
        // In line from when it was queued (a queued job's last change), not from when this step runs: two jobs
        // submitted back to back may reach it in either order, and a user's jobs start in submission order.
        waitlist.add(new Waiter(WaitlistStore.ADMISSION, job.id(), job.owner(), job.program(), taskToken, job.updatedAt()));
        admitWaiting(Optional.of(job));
    }

    /**
     * The Admit step of a job an earlier delivery of the same step admitted already: Lambda may run an invocation
     * again after the first one ran (its answer lost), and the local engine does for a step in flight at a restart.
     * The new delivery's task token is resumed at once with the attempt the first one started; no slot is taken twice.
     */
    public void resumeAdmitted(Job running, String taskToken) {
        if (running.status() != JobStatus.RUNNING) {
            throw new IllegalArgumentException("job " + running.id() + " is " + running.status() + ", not admitted");
        }
        callbacks.succeed(taskToken, StoredJson.write(Map.of("attempt", running.attempts().size())));
    }

    /**
     * Admits waiting jobs while slots are free.
     *
     * @return how many this pass admitted
     */
    public int admitWaiting() {
        return admitWaiting(Optional.empty());
    }

    /**
     * @param read a waiting job as its caller just read it, used instead of reading it again the first time it is
     *             considered: if it changed since, the conditional write that admits it finds out
     */
    private int admitWaiting(Optional<Job> read) {
        int admitted = 0;
        Optional<Job> known = read;
        while (true) {
            List<Waiter> waiting = waitlist.list(WaitlistStore.ADMISSION);
            if (waiting.isEmpty() || admitOne(waiting, known).isEmpty()) {
                return admitted;
            }
            known = Optional.empty(); // once a job is admitted, that read may be stale
            admitted++;
            // Look again even when the one waiter seen is admitted: a pass that ran meanwhile may have passed over
            // a job behind it while it was still in line.
        }
    }

    /** Admits the first job of {@code waiting}, in fair order, that fits; the owner it admitted, or empty. */
    private Optional<String> admitOne(List<Waiter> waiting, Optional<Job> known) {
        // Whose turn it is matters only between users: with one user waiting, the order is theirs.
        boolean severalUsers = waiting.stream().map(Waiter::owner).distinct().count() > 1;
        List<Waiter> heads = headsInFairOrder(waiting, severalUsers ? counters.lastAdmittedOwner() : Optional.empty());
        for (Waiter head : heads) {
            Optional<Job> job = known.filter(j -> j.id().equals(head.jobId())).or(() -> jobs.get(head.jobId()));
            if (admit(head, job)) {
                counters.recordAdmittedOwner(head.owner());
                return Optional.of(head.owner());
            }
        }
        return Optional.empty();
    }

    /**
     * The first waiter of each user, users in name order starting after {@code lastOwner} and wrapping around.
     */
    public static List<Waiter> headsInFairOrder(List<Waiter> waiting, Optional<String> lastOwner) {
        Map<String, Waiter> heads = new LinkedHashMap<>();
        for (Waiter w : waiting) {
            heads.putIfAbsent(w.owner(), w);
        }
        TreeSet<String> owners = new TreeSet<>(heads.keySet());
        List<String> order = new ArrayList<>();
        lastOwner.ifPresentOrElse(last -> {
            order.addAll(owners.tailSet(last, false));
            order.addAll(owners.headSet(last, true));
        }, () -> order.addAll(owners));
        return order.stream().map(heads::get).toList();
    }

    private boolean admit(Waiter waiter, Optional<Job> job) {
        if (job.isEmpty() || job.get().status() != JobStatus.QUEUED) {
            // Cancelled or already admitted: its place in line is stale.
            waitlist.remove(waiter);
            return false;
        }
        Acquisition acquisition = counters.acquire(waiter.jobId(), waiter.owner(), waiter.program(), userLimit,
                programLimit, clock.instant());
        if (acquisition == Acquisition.USER_LIMIT_REACHED || acquisition == Acquisition.PROGRAM_LIMIT_REACHED) {
            return false;
        }
        if (!waitlist.remove(waiter)) {
            return false; // another pass took this waiter and resumes it
        }
        Optional<Job> running = markRunning(job.get());
        if (running.isEmpty()) {
            counters.release(waiter.jobId(), waiter.owner(), waiter.program()); // cancelled between our read and our write
            return false;
        }
        callbacks.succeed(waiter.taskToken(), StoredJson.write(Map.of("attempt", running.get().attempts().size())));
        LOG.info("admitted job {} of {} ({} attempt {})", waiter.jobId(), waiter.owner(), waiter.program(),
                running.get().attempts().size());
        return true;
    }

    /** The job, now running, if it was still queued; empty if it was cancelled meanwhile. */
    private Optional<Job> markRunning(Job queued) {
        return jobs.modify(queued, j -> j.status() == JobStatus.QUEUED ? j.admit(clock.instant()) : j)
                .filter(j -> j.status() == JobStatus.RUNNING);
    }
}
