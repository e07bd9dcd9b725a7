package io.conveyor.cli.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs a command once per subjob: the subjob's input (JSON) on standard input, or in a file named by
 * {@code CONVEYOR_INPUT_FILE}; the job's parameters in the environment as {@code CONVEYOR_PARAM_<NAME>} (and all of
 * them as JSON in {@code CONVEYOR_PARAMETERS}); what it writes to standard output is the subjob's output (as JSON when
 * it is JSON, else as a JSON string). Exit status 0 succeeds, the decline status hands the subjob back, any other
 * fails it for good with the end of what the command wrote to standard error.
 */
public final class CommandHandler implements SubJobHandler {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int STDERR_KEPT = 2000;

    private final List<String> command;
    private final boolean inputInFile;
    private final int declineExitCode;

    /**
     * @param inputInFile     write the input to a file ({@code CONVEYOR_INPUT_FILE}) instead of standard input
     * @param declineExitCode the exit status by which the command declines a subjob
     */
    public CommandHandler(List<String> command, boolean inputInFile, int declineExitCode) {
        if (command.isEmpty()) {
            throw new IllegalArgumentException("a command to run is needed");
        }
        this.command = List.copyOf(command);
        this.inputInFile = inputInFile;
        this.declineExitCode = declineExitCode;
    }

    @Override
    public JsonNode run(SubJob subJob) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command);
        Map<String, String> env = builder.environment();
        env.put("CONVEYOR_TASK_ID", subJob.taskId());
        env.put("CONVEYOR_PROGRAM", subJob.program());
        env.put("CONVEYOR_JOB_ID", subJob.jobId());
        env.put("CONVEYOR_JOB_ATTEMPT", Integer.toString(subJob.attempt()));
        env.put("CONVEYOR_SUBJOB_INDEX", Integer.toString(subJob.index()));
        env.put("CONVEYOR_PARAMETERS", JSON.writeValueAsString(subJob.parameters()));
        subJob.parameters().forEach((name, value) -> env.put("CONVEYOR_PARAM_"
                + name.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_"), value));
        byte[] input = JSON.writeValueAsBytes(subJob.input());
        Path inputFile = null;
        if (inputInFile) {
            inputFile = Files.createTempFile("conveyor-subjob-", ".json");
            Files.write(inputFile, input);
            env.put("CONVEYOR_INPUT_FILE", inputFile.toString());
        }
        Process process = builder.start();
        try {
            CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()));
            CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
            try (OutputStream stdin = process.getOutputStream()) {
                if (!inputInFile) {
                    stdin.write(input);
                }
            } catch (IOException closedEarly) {
                // The command did not read its standard input: its exit status says how it went.
            }
            if (!process.waitFor(subJob.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
                throw new SubJobHandler.RetryableFailureException("the command ran past the subjob's limit of "
                        + subJob.timeout().toSeconds() + " s");
            }
            int status = process.exitValue();
            if (status == declineExitCode) {
                throw new SubJobHandler.DeclineException("the command exited with " + status + ": " + tail(err.join()));
            }
            if (status != 0) {
                throw new IllegalStateException("the command exited with " + status + ": " + tail(err.join()));
            }
            return output(out.join());
        } finally {
            // Interrupted (the subjob was taken away or the worker stops) or done: the command must not outlive it.
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            if (inputFile != null) {
                Files.deleteIfExists(inputFile);
            }
        }
    }

    /** The command's standard output as JSON when it is one JSON value, else as a JSON string. */
    static JsonNode output(byte[] stdout) {
        String text = new String(stdout, StandardCharsets.UTF_8);
        try {
            JsonNode parsed = JSON.readTree(text);
            if (parsed != null && !parsed.isMissingNode()) {
                return parsed;
            }
        } catch (IOException notJson) {
            // fall through: plain text
        }
        return JSON.getNodeFactory().textNode(text);
    }

    private static byte[] readAll(InputStream in) {
        try (in) {
            return in.readAllBytes();
        } catch (IOException e) {
            return new byte[0];
        }
    }

    private static String tail(byte[] stderr) {
        String text = new String(stderr, StandardCharsets.UTF_8).strip();
        return text.isEmpty() ? "(nothing on standard error)"
                : text.length() > STDERR_KEPT ? "..." + text.substring(text.length() - STDERR_KEPT) : text;
    }
}
