package io.conveyor.cli.commands;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code conveyor watch ID}: live progress until the job ends. */
@Command(name = "watch", description = {"Follow a job until it ends: subjobs done, running and failed, and attempts.",
        "Exit status 0 when it SUCCEEDED, 4 when it FAILED or was CANCELLED. With --json, one JSON line per change."})
public final class WatchCommand extends ApiCommand {
    @Parameters(paramLabel = "JOB_ID", description = "The job to follow.")
    String id;

    @Option(names = "--interval", paramLabel = "SECONDS", defaultValue = "1",
            description = "How often to ask for the job's status (default: ${DEFAULT-VALUE} s).")
    double interval;

    @Override
    public Integer call() {
        return new JobFollower(api(), out(), JobFollower.interval(interval)).followToEnd(id);
    }
}
