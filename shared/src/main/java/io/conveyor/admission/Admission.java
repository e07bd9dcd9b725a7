package io.conveyor.admission;

import io.conveyor.config.Settings;
import io.conveyor.job.JobStore;
import java.time.Clock;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Admission wired to the deployment's tables: the quota gate, the dependency gate and what follows a job's end.
 * The workflow's steps use all three; the API's cancel only {@link #endings()}.
 */
public record Admission(Admissions admissions, DependencyGate dependencies, JobEndings endings) {

    /** Builds the three services over the deployment's tables and the workflow's callbacks and events. */
    public static Admission wire(Settings settings, DynamoDbClient dynamoDb, JobStore jobs, TaskCallbacks callbacks,
            JobEvents events, Clock clock) {
        ActiveJobCounters counters = new ActiveJobCounters(dynamoDb, settings.countersTable());
        WaitlistStore waitlist = new WaitlistStore(dynamoDb, settings.waitlistTable());
        Admissions admissions = new Admissions(jobs, counters, waitlist, callbacks, settings.maxActiveJobsPerUser(),
                settings.maxActiveJobsPerProgram(), clock);
        DependencyGate dependencies = new DependencyGate(jobs, waitlist, callbacks, clock);
        JobEndings endings = new JobEndings(counters, waitlist, admissions, dependencies, events, clock);
        return new Admission(admissions, dependencies, endings);
    }
}
