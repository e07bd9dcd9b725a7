package io.conveyor.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import io.conveyor.cli.ExitCodes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code conveyor status ID}: a job's status, progress, attempts and timestamps. */
@Command(name = "status", description = "Show a job: status, subjob progress, attempts, error, timestamps.")
public final class StatusCommand extends ApiCommand {
    @Parameters(paramLabel = "JOB_ID", description = "The job to show.")
    String id;

    @Override
    public Integer call() {
        JsonNode job = api().get(jobPath(id)).path("job");
        if (out().json()) {
            out().json(job);
        } else {
            Jobs.describe(out(), job);
        }
        return ExitCodes.OK;
    }
}
