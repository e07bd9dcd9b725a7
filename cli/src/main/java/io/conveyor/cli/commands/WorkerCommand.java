package io.conveyor.cli.commands;

import io.conveyor.cli.ExitCodes;
import io.conveyor.cli.worker.CommandHandler;
import io.conveyor.cli.worker.ExternalWorker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code conveyor worker --program NAME [--capability C]... [--works-for OWNER]... -- COMMAND ARGS...}. */
@Command(name = "worker", description = {"Run subjobs of programs whose worker is external: register, take subjobs "
        + "matching the capabilities, run COMMAND once per subjob, answer with what it printed.",
        "The subjob's input is on standard input (or in $CONVEYOR_INPUT_FILE with --input-file); the job's parameters are "
                + "in CONVEYOR_PARAM_<NAME>; standard output is the output. Exit 0 succeeds, the decline code hands the "
                + "subjob back, any other fails it. SIGTERM stops cleanly: the running subjob finishes within --grace, "
                + "or is handed back."})
public final class WorkerCommand extends ApiCommand {
    @Option(names = "--program", required = true, paramLabel = "NAME", description = "A program whose worker is external (repeatable).")
    List<String> programs = new ArrayList<>();

    @Option(names = "--capability", paramLabel = "CAPABILITY",
            description = "What this machine offers: a label (gpu) or a value (region=eu, memoryGiB=128). Repeatable.")
    List<String> capabilities = new ArrayList<>();

    @Option(names = "--works-for", paramLabel = "OWNER", description = "Take only this user's subjobs (repeatable), for a "
            + "worker identity the deployment lets work for several users. Default: every user this caller may work for.")
    List<String> worksFor = new ArrayList<>();

    @Option(names = "--lease", paramLabel = "SECONDS", defaultValue = "60",
            description = "Taken for dead after this long without calling the API (default: ${DEFAULT-VALUE}).")
    long leaseSeconds;

    @Option(names = "--decline-exit-code", paramLabel = "STATUS", defaultValue = "75",
            description = "The exit status by which COMMAND declines a subjob (default: ${DEFAULT-VALUE}, EX_TEMPFAIL).")
    int declineExitCode;

    @Option(names = "--input-file", description = "Write each subjob's input to a file named by $CONVEYOR_INPUT_FILE instead of standard input.")
    boolean inputFile;

    @Option(names = "--grace", paramLabel = "SECONDS", defaultValue = "30",
            description = "On SIGTERM, how long the running subjob may take to finish before it is handed back (default: ${DEFAULT-VALUE}).")
    long graceSeconds;

    @Parameters(paramLabel = "COMMAND", arity = "1..*", description = "The command to run per subjob, after --.")
    List<String> command;

    @Override
    public Integer call() {
        ExternalWorker worker = new ExternalWorker(api(), programs, capabilities, Duration.ofSeconds(leaseSeconds),
                Duration.ofSeconds(20), new CommandHandler(command, inputFile, declineExitCode), out()::note)
                .worksFor(worksFor);
        Thread stop = new Thread(() -> worker.stop(Duration.ofSeconds(graceSeconds)), "conveyor-worker-stop");
        Runtime.getRuntime().addShutdownHook(stop);
        worker.run();
        return ExitCodes.OK;
    }
}
