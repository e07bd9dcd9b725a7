package io.conveyor.admission;

import io.conveyor.job.Job;
import io.conveyor.job.JobStatus;
import io.conveyor.job.JobStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Holds a job until every job it depends on has succeeded. Its workflow parks on a task token in the lane of
 * each unfinished dependency; when a job ends, the dependents in its lane are looked at again. A dependency that
 * failed, was cancelled or is gone fails the dependent at once, with an error naming it.
 */
public final class DependencyGate {
    /** The error a dependent fails with. */
    public static final String DEPENDENCY_FAILED = "Dependency.Failed";

    private final JobStore jobs;
    private final WaitlistStore waitlist;
    private final TaskCallbacks callbacks;
    private final Clock clock;

    public DependencyGate(JobStore jobs, WaitlistStore waitlist, TaskCallbacks callbacks, Clock clock) {
        this.jobs = jobs;
        this.waitlist = waitlist;
        this.callbacks = callbacks;
        this.clock = clock;
    }

    /** What a dependent can do now. */
    sealed interface Verdict {
        record Ready() implements Verdict {}

        record Blocked(String message) implements Verdict {}

        record Waiting(List<String> unfinished) implements Verdict {}
    }

    Verdict verdict(Job dependent) {
        List<String> unfinished = new ArrayList<>();
        for (String id : dependent.dependsOn()) {
            Optional<Job> dependency = jobs.get(id).filter(d -> !d.isExpired(clock.instant()));
            if (dependency.isEmpty()) {
                return new Verdict.Blocked("Job " + dependent.id() + " depends on job " + id + ", which no longer exists.");
            }
            JobStatus status = dependency.get().status();
            if (status == JobStatus.FAILED || status == JobStatus.CANCELLED) {
                return new Verdict.Blocked("Job " + dependent.id() + " depends on job " + id + ", which "
                        + (status == JobStatus.FAILED ? "failed" : "was cancelled") + ".");
            }
            if (status != JobStatus.SUCCEEDED) {
                unfinished.add(id);
            }
        }
        return unfinished.isEmpty() ? new Verdict.Ready() : new Verdict.Waiting(unfinished);
    }

    /** {@code job}'s workflow waits on {@code taskToken} until its dependencies have succeeded, or one failed. */
    public void await(Job job, String taskToken) {
        Verdict verdict = verdict(job);
        if (verdict instanceof Verdict.Waiting waiting) {
            for (String dependency : waiting.unfinished()) {
                waitlist.add(new Waiter(WaitlistStore.after(dependency), job.id(), job.owner(), job.program(), taskToken,
                        clock.instant()));
            }
            // A dependency may have ended between the verdict and the parking: look again, or it would never wake us.
            verdict = verdict(job);
            if (verdict instanceof Verdict.Waiting) {
                return;
            }
            for (String dependency : waiting.unfinished()) {
                waitlist.removeJob(WaitlistStore.after(dependency), job.id());
            }
        }
        resolve(verdict, taskToken);
    }

    /** {@code ended} reached a terminal status: look again at the jobs waiting for it. */
    public void jobEnded(Job ended) {
        for (Waiter waiter : waitlist.list(WaitlistStore.after(ended.id()))) {
            if (!waitlist.remove(waiter)) {
                continue;
            }
            Optional<Job> dependent = jobs.get(waiter.jobId()).filter(j -> j.status() == JobStatus.QUEUED);
            if (dependent.isEmpty()) {
                continue;
            }
            Verdict verdict = verdict(dependent.get());
            if (verdict instanceof Verdict.Blocked) {
                for (String other : dependent.get().dependsOn()) {
                    waitlist.removeJob(WaitlistStore.after(other), dependent.get().id());
                }
            }
            resolve(verdict, waiter.taskToken());
        }
    }

    private void resolve(Verdict verdict, String taskToken) {
        if (verdict instanceof Verdict.Ready) {
            callbacks.succeed(taskToken, "{}");
        } else if (verdict instanceof Verdict.Blocked blocked) {
            callbacks.fail(taskToken, DEPENDENCY_FAILED, blocked.message());
        }
    }
}
