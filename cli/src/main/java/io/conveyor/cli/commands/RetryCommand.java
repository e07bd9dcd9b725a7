package io.conveyor.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import io.conveyor.cli.ExitCodes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code conveyor retry ID [--wait]}. */
@Command(name = "retry", description = "Run a FAILED or CANCELLED job again, as a new attempt on the same inputs.")
public final class RetryCommand extends ApiCommand {
    @Parameters(paramLabel = "JOB_ID", description = "The job to run again.")
    String id;

    @Option(names = {"-w", "--wait"}, description = "Follow the job until it ends (exit status 4 if it fails again).")
    boolean wait;

    @Mixin
    WaitInterval interval;

    @Override
    public Integer call() {
        JsonNode job = api().post(jobPath(id) + "/retry", null);
        if (!wait) {
            if (out().json()) {
                out().json(job);
            } else {
                out().line("Job " + text(job, "jobId", id) + " is " + text(job, "status", "QUEUED") + " again (attempt "
                        + (Jobs.attempt(job) + 1) + " to come). Follow it with: conveyor watch " + text(job, "jobId", id));
            }
            return ExitCodes.OK;
        }
        out().note("Job " + id + " queued again.");
        return new JobFollower(api(), out(), interval.duration()).followToEnd(id);
    }
}
