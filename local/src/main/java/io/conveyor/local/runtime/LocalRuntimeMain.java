package io.conveyor.local.runtime;

import io.conveyor.apiclient.JobApiClient;
import io.conveyor.config.ConfigurationException;
import io.conveyor.local.runtime.demo.Demo;
import io.conveyor.program.ProgramRegistry;
import io.conveyor.worker.WorkerIdentities;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The one command that runs Conveyor on this machine: starts the {@link LocalRuntime}, runs a sample job end to
 * end through the HTTP API, then keeps serving and prints how to call the API. Exit status: 0 on success, 1 when
 * the demo failed, 2 when the runtime did not start.
 */
@Command(name = "conveyor-local", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Runs Conveyor locally: the DynamoDB emulator, S3Proxy, the Step Functions engine, every Lambda "
                + "function in-process, the REST API on 127.0.0.1, EventBridge and the cleaner's schedule.")
public final class LocalRuntimeMain implements Callable<Integer> {
    @Option(names = "--data-dir", description = "Keep tables and objects under this directory, so jobs survive a "
            + "restart (default: in memory).")
    Path dataDir;

    @Option(names = "--port", description = "The API's port on 127.0.0.1 (default: a free port, printed at start-up).",
            defaultValue = "0")
    int port;

    @Option(names = "--cleaner-schedule", description = "The cleaner's schedule instead of the catalogue's, such as "
            + "'rate(5 minutes)' ('rate(30 seconds)' is accepted locally).")
    String cleanerSchedule;

    @Option(names = "--no-demo", negatable = true, description = "Skip the demo job.")
    boolean demo = true;

    @Option(names = "--exit-after-demo", description = "Stop after the demo: exit status 0 when it succeeded, 1 if not.")
    boolean exitAfterDemo;

    @Option(names = "--user", description = "The user the demo runs as (default: ${DEFAULT-VALUE}).", defaultValue = "demo")
    String user;

    @Option(names = "--time-scale", description = "Multiply the workflow's waits and the schedule's period, "
            + "e.g. 0.1 (default: ${DEFAULT-VALUE}).", defaultValue = "1")
    double timeScale;

    @Option(names = "--dev-open", description = "Open what reaches every user's data, for a developer alone on this "
            + "machine: print the emulators' endpoints and credentials (also in /_local/health), list every user's "
            + "events in /_local/events, and allow POST /_local/schedules/{rule}.")
    boolean devOpen;

    @Option(names = "--region", description = "The region of every ARN and client (default: ${DEFAULT-VALUE}).",
            defaultValue = "us-east-1")
    String region;

    @Option(names = "--function", paramLabel = "NAME=COMMAND", description = "A Lambda function in another language, "
            + "such as a program's worker, run as a process per invocation: the event on standard input, the answer "
            + "on standard output; quote it: --function 'wc-work=node wc.js'. Repeatable.")
    List<String> functions = new ArrayList<>();

    @Option(names = "--programs", paramLabel = "JSON", description = "Further programs, the JSON array CONVEYOR_PROGRAMS "
            + "takes, given to every function; such as '[{\"name\": \"wc\", \"implementation\": \"lambda:wc\"}]'.")
    String programs;

    @Option(names = "--worker-identities", paramLabel = "JSON", description = "Callers whose external workers may work "
            + "for other users, the JSON object CONVEYOR_WORKER_IDENTITIES takes: identity to the owners it works for, "
            + "such as '{\"render-farm\": [\"alice\", \"bob\"]}'.")
    String workerIdentities;

    @Option(names = "--function-timeout", description = "How long one invocation of a --function may run, in seconds "
            + "(default: ${DEFAULT-VALUE}).", defaultValue = "60")
    long functionTimeoutSeconds;

    @Option(names = "--account-concurrency", description = "The account's limit of concurrent Lambda executions; "
            + "invocations beyond it (or beyond a function's reserved concurrency) are throttled "
            + "(default: ${DEFAULT-VALUE}, AWS's).", defaultValue = "1000")
    int accountConcurrency;

    private final PrintStream out = System.out;

    public static void main(String[] args) {
        int status = new CommandLine(new LocalRuntimeMain()).execute(args);
        // The exit status is picocli's; a program run in-process may leave non-daemon threads behind.
        System.exit(status);
    }

    @Override
    public Integer call() {
        long mainStarted = System.nanoTime();
        LocalRuntimeOptions.Builder options = LocalRuntimeOptions.builder().apiPort(port).timeScale(timeScale)
                .region(region).devOpen(devOpen).accountConcurrency(accountConcurrency);
        if (dataDir != null) {
            options.dataDir(dataDir);
        }
        if (cleanerSchedule != null) {
            options.cleanerSchedule(cleanerSchedule);
        }
        if (programs != null) {
            options.environment(ProgramRegistry.SETTING, programs);
        }
        try {
            if (workerIdentities != null) {
                WorkerIdentities.from(Map.of(WorkerIdentities.SETTING, workerIdentities)); // refused now, not at a poll
                options.environment(WorkerIdentities.SETTING, workerIdentities);
            }
            for (String function : functions) {
                int equals = function.indexOf('=');
                if (equals < 1 || function.substring(equals + 1).isBlank()) {
                    throw new IllegalArgumentException("--function takes NAME=COMMAND, such as 'wc-work=node wc.js', was '"
                            + function + "'");
                }
                options.commandFunction(function.substring(0, equals), Duration.ofSeconds(functionTimeoutSeconds),
                        List.of(function.substring(equals + 1).trim().split("\\s+")));
            }
        } catch (IllegalArgumentException e) {
            out.println("The local runtime did not start: " + e.getMessage());
            return 2;
        } catch (ConfigurationException e) {
            out.println("The local runtime did not start: " + String.join("; ", e.problems()));
            return 2;
        }
        LocalRuntime runtime;
        try {
            runtime = LocalRuntime.start(options.build());
        } catch (RuntimeException e) {
            out.println("The local runtime did not start: " + e.getMessage());
            e.printStackTrace(out);
            return 2;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(runtime::close, "local-runtime-shutdown"));
        long sinceJvm = System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
        out.printf("%nConveyor local runtime ready in %.1f s (%.1f s since the JVM started)%n",
                runtime.startupTime().toMillis() / 1000.0, sinceJvm / 1000.0);
        printEndpoints(runtime);

        boolean ok = true;
        if (demo) {
            out.println();
            runtime.dashboardAddress().ifPresent(a -> out.println("Watch the demo job in the dashboard: " + a
                    + " (sign in as '" + user + "')"));
            ok = new Demo(new JobApiClient(runtime.apiEndpoint(), user), runtime.events(), out,
                    Duration.ofMinutes(5), Duration.ofMillis(250)).run();
        }
        if (exitAfterDemo) {
            runtime.close();
            out.printf("%nStopped after %.1f s.%n", (System.nanoTime() - mainStarted) / 1e9);
            return ok ? 0 : 1;
        }
        printUsage(runtime);
        try {
            new CountDownLatch(1).await(); // until Ctrl-C; the shutdown hook stops the runtime
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return ok ? 0 : 1;
    }

    private void printEndpoints(LocalRuntime runtime) {
        LocalDeployment.Endpoints e = runtime.endpoints();
        out.println("  API (REST, Lambda proxy)  " + runtime.apiEndpoint() + "   state machines: " + runtime.stateMachines());
        out.println("  dashboard                 " + runtime.dashboardAddress().map(a -> a + "   (sign in as any user name)")
                .orElse("not built (mvn -pl dashboard package puts its files on the class path)"));
        out.println("  data                      " + runtime.options().dataDir().map(d -> d.toAbsolutePath().toString())
                .orElse("in memory"));
        if (!devOpen) {
            out.println("  The emulators' endpoints and credentials reach every user's data: --dev-open prints them.");
            return;
        }
        out.println("  Step Functions            " + e.stepFunctions());
        out.println("  DynamoDB                  " + e.dynamoDb());
        out.println("  S3 (S3Proxy)              " + e.s3() + "   bucket: " + LocalDeployment.BUCKET);
        out.println("  EventBridge (recording)   " + e.eventBridge());
        out.println("  Lambda (Invoke)           " + e.lambda() + (runtime.lambda().commands().isEmpty() ? ""
                : "   commands: " + runtime.lambda().commands().stream().map(c -> c.name()).toList()));
        out.println("  credentials               " + LocalRuntime.ACCESS_KEY + " / " + LocalRuntime.SECRET_KEY
                + ", region " + runtime.options().region());
    }

    private void printUsage(LocalRuntime runtime) {
        String api = runtime.apiEndpoint().toString();
        out.println();
        runtime.dashboardAddress().ifPresent(a -> out.println("Dashboard: " + a + " (sign in as any user name; '" + user
                + "' sees the demo's job)"));
        out.println("Serving. Call the API as any user with 'Authorization: Bearer <user>' (local stand-in for Cognito):");
        out.println("  curl -s -H 'Authorization: Bearer " + user + "' " + api + "/programs");
        out.println("  curl -s -H 'Authorization: Bearer " + user + "' " + api + "/jobs");
        out.println("  curl -s -H 'Authorization: Bearer " + user + "' -H 'Content-Type: application/json' \\");
        out.println("       -d '{\"program\":\"word-frequency\",\"parameters\":{\"top\":5},\"submit\":true,"
                + "\"files\":[{\"name\":\"a.txt\",\"content\":\"to be or not to be\"}]}' " + api + "/jobs");
        out.println("  curl -s -H 'Authorization: Bearer " + user + "' " + api + "/jobs/<jobId>");
        out.println("  curl -s -L -H 'Authorization: Bearer " + user + "' '" + api + "/jobs/<jobId>/result?redirect=true'");
        out.println("Subjobs on this machine, with the CLI as an external worker (from the repository's root):");
        out.println("  export CONVEYOR_ENDPOINT=" + api + " CONVEYOR_TOKEN=" + user);
        out.println("  java -jar cli/target/conveyor-cli.jar worker --program primes-on-workers -- node cli/examples/count-primes.mjs &");
        out.println("  java -jar cli/target/conveyor-cli.jar submit primes-on-workers -p to=1000000 -p subJobs=8 --wait");
        out.println("Local endpoints (the same token; your own jobs' events): " + api + "/_local/events, " + api
                + "/_local/functions, " + api + "/_local/health" + (devOpen
                ? ", POST " + api + "/_local/schedules/CleanerSchedule" : ""));
        if (devOpen) {
            out.println("AWS CLI: aws --endpoint-url " + runtime.endpoints().stepFunctions()
                    + " stepfunctions list-executions --state-machine-arn "
                    + runtime.deployment().stateMachineArn("conveyor-job-word-frequency"));
        }
        out.println("Ctrl-C stops it.");
    }
}
