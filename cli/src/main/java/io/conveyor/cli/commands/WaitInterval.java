package io.conveyor.cli.commands;

import java.time.Duration;
import picocli.CommandLine.Option;

/** The {@code --interval} option of the commands that can follow a job with {@code --wait} (submit, retry). */
final class WaitInterval {
    @Option(names = "--interval", paramLabel = "SECONDS", defaultValue = "1",
            description = "With --wait, how often to ask for the job's status (default: ${DEFAULT-VALUE} s).")
    double seconds;

    /** The interval, checked: see {@link JobFollower#interval}. */
    Duration duration() {
        return JobFollower.interval(seconds);
    }
}
