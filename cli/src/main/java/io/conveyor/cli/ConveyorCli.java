package io.conveyor.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conveyor.cli.commands.CancelCommand;
import io.conveyor.cli.commands.DownloadCommand;
import io.conveyor.cli.commands.ListCommand;
import io.conveyor.cli.commands.ProgramsCommand;
import io.conveyor.cli.commands.RetryCommand;
import io.conveyor.cli.commands.StatusCommand;
import io.conveyor.cli.commands.SubJobsCommand;
import io.conveyor.cli.commands.WorkersCommand;
import io.conveyor.cli.commands.SubmitCommand;
import io.conveyor.cli.commands.UsageCommand;
import io.conveyor.cli.commands.WatchCommand;
import io.conveyor.cli.commands.WorkerCommand;
import io.conveyor.cli.config.CliSettings;
import io.conveyor.cli.config.SettingsResolver;
import io.conveyor.cli.http.ApiClient;
import io.conveyor.cli.http.ApiError;
import io.conveyor.cli.output.Output;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * {@code conveyor}: the command-line client of the job API. {@link #main} runs it in this process;
 * {@link #commandLine(CliContext)} gives the picocli {@link CommandLine} that tests execute with their own
 * environment and output writers. Exit statuses: {@link ExitCodes}.
 */
@Command(name = "conveyor", mixinStandardHelpOptions = true, versionProvider = ConveyorCli.Version.class,
        sortOptions = false, usageHelpAutoWidth = true,
        description = "Submit jobs to Conveyor, follow them, and fetch their results.",
        subcommands = {SubmitCommand.class, WatchCommand.class, StatusCommand.class, ListCommand.class,
                SubJobsCommand.class, DownloadCommand.class, CancelCommand.class, RetryCommand.class,
                ProgramsCommand.class, UsageCommand.class, WorkerCommand.class, WorkersCommand.class,
                CommandLine.HelpCommand.class},
        footerHeading = "%n",
        footer = {"Endpoint and identity: --endpoint/--token/--auth/--region/--profile, else CONVEYOR_ENDPOINT, "
                + "CONVEYOR_TOKEN, CONVEYOR_AUTH, CONVEYOR_REGION, CONVEYOR_PROFILE, else the profile in ~/.conveyor/config.",
                "Exit status: 0 done, 2 usage, 3 API refused, 4 waited-for job failed or was cancelled, 5 cannot connect."})
public final class ConveyorCli implements Runnable {
    private final CliContext context;
    @Spec
    CommandSpec spec;

    @Option(names = "--endpoint", scope = ScopeType.INHERIT, paramLabel = "URL",
            description = "The API's base URL, e.g. http://127.0.0.1:8080 or https://ID.execute-api.REGION.amazonaws.com/prod.")
    String endpoint;

    @Option(names = "--token", scope = ScopeType.INHERIT, paramLabel = "TOKEN",
            description = "A bearer token; for the local runtime, your user name.")
    String token;

    @Option(names = "--auth", scope = ScopeType.INHERIT, paramLabel = "bearer|sigv4|none",
            description = "How to authenticate (default: bearer with a token, sigv4 for an execute-api endpoint, else none).")
    String auth;

    @Option(names = "--region", scope = ScopeType.INHERIT, paramLabel = "REGION",
            description = "The region to sign for with sigv4 (default: the endpoint's, then AWS_REGION).")
    String region;

    @Option(names = "--profile", scope = ScopeType.INHERIT, paramLabel = "NAME",
            description = "The profile of the profile file to use (default: default).")
    String profile;

    @Option(names = "--config", scope = ScopeType.INHERIT, paramLabel = "FILE",
            description = "The profile file (default: ~/.conveyor/config).")
    String config;

    @Option(names = "--json", scope = ScopeType.INHERIT, description = "Print JSON for scripts instead of text.")
    boolean json;

    @Option(names = "--no-progress", scope = ScopeType.INHERIT, description = "Never draw progress bars.")
    boolean noProgress;

    private Output output;
    private ApiClient api;

    public ConveyorCli(CliContext context) {
        this.context = context;
    }

    public static void main(String[] args) {
        System.exit(commandLine(CliContext.ofProcess()).execute(args));
    }

    /** The command line, with the CLI's error handling and exit statuses, writing to {@code System.out/err}. */
    public static CommandLine commandLine(CliContext context) {
        CommandLine line = new CommandLine(new ConveyorCli(context));
        line.setExecutionExceptionHandler(ConveyorCli::handle);
        line.setCaseInsensitiveEnumValuesAllowed(true);
        return line;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing command: choose one of "
                + spec.subcommands().keySet() + " (conveyor help COMMAND for its options).");
    }

    public CliContext context() {
        return context;
    }

    /** The output of the command being run. */
    public Output output() {
        if (output == null) {
            CommandLine line = spec.commandLine();
            output = new Output(line.getOut(), line.getErr(), json, context.terminal() && !noProgress, context.width());
        }
        return output;
    }

    /** The settings of this run: flags, environment, profile file. */
    public CliSettings settings() {
        return new SettingsResolver(context.env(), context.home())
                .resolve(new SettingsResolver.Flags(endpoint, token, auth, region, profile, config));
    }

    /** The API client for this run's settings. */
    public ApiClient api() {
        if (api == null) {
            api = ApiClient.create(settings(), "conveyor-cli/" + Version.version());
        }
        return api;
    }

    private static int handle(Exception e, CommandLine line, CommandLine.ParseResult parsed) {
        PrintWriter err = line.getErr();
        boolean json = parsed.hasMatchedOption("--json") || parsed.subcommands().stream()
                .anyMatch(p -> p.hasMatchedOption("--json"));
        int status = e instanceof CliException c ? c.exitCode() : ExitCodes.SOFTWARE;
        if (json) {
            ObjectNode error = new ObjectMapper().createObjectNode();
            if (e instanceof ApiError a) {
                error.put("status", a.status()).put("code", a.code());
            }
            error.put("message", e instanceof CliException ? e.getMessage() : "Unexpected error: " + e);
            error.put("exitCode", status);
            err.println(new ObjectMapper().createObjectNode().set("error", error).toString());
        } else if (e instanceof CliException) {
            err.println("conveyor: " + e.getMessage());
        } else {
            err.println("conveyor: unexpected error, please report it: " + e);
            e.printStackTrace(err);
        }
        err.flush();
        return status;
    }

    /** The version in the jar's manifest ({@code dev} when run from classes). */
    public static final class Version implements CommandLine.IVersionProvider {
        public static String version() {
            String v = ConveyorCli.class.getPackage().getImplementationVersion();
            return v == null ? "dev" : v;
        }

        @Override
        public String[] getVersion() {
            return new String[] {"conveyor-cli " + version() + " (Java " + Runtime.version() + ")"};
        }
    }
}
