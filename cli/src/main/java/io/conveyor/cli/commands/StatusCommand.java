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
        JsonNode answer = api().get(jobPath(id));
        JsonNode job = answer.path("job");
        if (out().json()) {
            out().json(job);
        } else {
            Jobs.describe(out(), job);
            // A job of a program on external workers that no worker serves yet: say so, and how to start one.
            JsonNode waiting = answer.path("waitingForWorkers");
            if (waiting.isObject()) {
                out().line("Waiting:    " + waiting.path("message").asText());
            }
        }
        return ExitCodes.OK;
    }
}
