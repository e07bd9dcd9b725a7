package io.conveyor.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import io.conveyor.job.Job;
import io.conveyor.job.JobStore;
import io.conveyor.persistence.StoredJson;
import io.conveyor.subjob.SubJobRunner;
import io.conveyor.subjob.SubJobStore;
import io.conveyor.worker.WorkQueue;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The workflow's side of subjobs run by external workers: OfferSubJob puts a subjob in the work queue with the token
 * of the task that waits for a claim, and AwaitWorker's function starts the claimed subjob and stores the token the
 * worker's answer resumes. The API does the rest (claims, heartbeats, answers).
 *
 * <p>Thread-safe.
 */
public final class ExternalSubJobs {
    private static final Logger LOG = LoggerFactory.getLogger(ExternalSubJobs.class);

    private final JobStore jobs;
    private final SubJobStore subJobs;
    private final WorkQueue queue;
    private final Clock clock;

    public ExternalSubJobs(JobStore jobs, SubJobStore subJobs, WorkQueue queue, Clock clock) {
        this.jobs = jobs;
        this.subJobs = subJobs;
        this.queue = queue;
        this.clock = clock;
    }

    /**
     * OfferSubJob: the subjob waits for a worker of its job's owner whose capabilities match its program.
     *
     * @param timeoutSeconds the subjob's time limit on a worker; the offer is kept at least that long
     */
    public void offer(String jobId, int attempt, int index, JsonNode input, int timeoutSeconds, String offerToken) {
        Job job = WorkflowSteps.running(jobs, jobId, attempt);
        queue.offer(new WorkQueue.Offer(jobId, attempt, index, job.program(), job.owner(), StoredJson.write(input)),
                offerToken, clock.instant(), Duration.ofSeconds(timeoutSeconds));
        LOG.info("subjob {} of job {} attempt {} offered to {}'s workers of {}", index, jobId, attempt, job.owner(),
                job.program());
    }

    /**
     * AwaitWorker: the worker's claim {@code claimId} stands; the subjob starts (counted running, its attempt counted
     * with the worker that runs it) and {@code runToken} is kept for the worker's heartbeats and answer.
     *
     * @throws IllegalStateException when the claim was replaced before the workflow came here, which its order rules out
     */
    public void start(String jobId, int attempt, int index, String claimId, SubJobRunner.Worker worker, String runToken) {
        WorkflowSteps.running(jobs, jobId, attempt);
        subJobs.start(jobId, index, attempt, clock.instant(), worker);
        if (!queue.handOver(jobId, attempt, index, claimId, runToken)) {
            throw new IllegalStateException("subjob " + index + " of job " + jobId + " attempt " + attempt
                    + " is no longer claimed as " + claimId);
        }
    }
}
