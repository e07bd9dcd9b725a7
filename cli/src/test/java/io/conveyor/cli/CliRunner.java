package io.conveyor.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine;

/** Runs the CLI in this JVM, as {@code main} would, with a chosen environment, capturing what it prints. */
public final class CliRunner {
    private final Map<String, String> env;
    private final Path home;
    private final Path workingDir;
    private final boolean terminal;

    public CliRunner(Map<String, String> env, Path home, Path workingDir, boolean terminal) {
        this.env = Map.copyOf(env);
        this.home = home;
        this.workingDir = workingDir;
        this.terminal = terminal;
    }

    /** What a run printed and how it ended. */
    public record Result(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    /** The same runner with {@code name} set (or removed, for null) in the environment. */
    public CliRunner withEnv(String name, String value) {
        Map<String, String> e = new HashMap<>(env);
        if (value == null) {
            e.remove(name);
        } else {
            e.put(name, value);
        }
        return new CliRunner(e, home, workingDir, terminal);
    }

    /** The same runner as if standard error were a terminal (progress bars drawn). */
    public CliRunner onTerminal() {
        return new CliRunner(env, home, workingDir, true);
    }

    public Result run(String... args) {
        CommandLine line = ConveyorCli.commandLine(new CliContext(env, home, workingDir, terminal, 100));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        line.setOut(new PrintWriter(out, true));
        line.setErr(new PrintWriter(err, true));
        int code = line.execute(args);
        return new Result(code, out.toString(), err.toString());
    }
}
