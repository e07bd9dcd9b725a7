package io.conveyor.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import io.conveyor.cli.ExitCodes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code conveyor cancel ID}. */
@Command(name = "cancel", description = "Cancel a job that has not finished: its execution stops and its quota slot is released.")
public final class CancelCommand extends ApiCommand {
    @Parameters(paramLabel = "JOB_ID", description = "The job to cancel.")
    String id;

    @Override
    public Integer call() {
        JsonNode job = api().delete(jobPath(id));
        if (out().json()) {
            out().json(job);
        } else {
            out().line("Job " + text(job, "jobId", id) + " " + text(job, "status", "CANCELLED") + ". Run it again with: "
                    + "conveyor retry " + text(job, "jobId", id));
        }
        return ExitCodes.OK;
    }
}
