package io.conveyor.local.runtime.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import io.conveyor.asl.task.LambdaInvoker;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A function written in any language, run locally as a process per invocation: the event is written to its standard
 * input, and its standard output is the answer. Exit status 0: the output is the result (JSON; empty means
 * {@code null}). Any other status is a function error: the output is its error document when it is a JSON object
 * with an {@code errorType}, else the error is {@code Runtime.ExitError}, as Lambda reports a runtime that exited.
 * Standard error goes to the log, line by line, as a function's log does to CloudWatch. An invocation still running
 * at the timeout is killed (with its child processes) and answered as Lambda answers a timeout.
 *
 * @param name        the function's name, which invocations use
 * @param command     the program and its arguments, such as {@code [node, handler.js]}
 * @param timeout     how long one invocation may run
 * @param environment variables added to this JVM's environment for the process
 */
public record CommandFunction(String name, List<String> command, Duration timeout, Map<String, String> environment) {
    private static final Logger LOG = LoggerFactory.getLogger(CommandFunction.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger STREAMS = new AtomicInteger();

    public CommandFunction {
        Objects.requireNonNull(name, "name");
        if (!name.matches("[A-Za-z0-9_-]{1,64}")) {
            throw new IllegalArgumentException("a function name is 1-64 letters, digits, '-' or '_', was '" + name + "'");
        }
        command = List.copyOf(command);
        if (command.isEmpty() || command.get(0).isBlank()) {
            throw new IllegalArgumentException("function " + name + " needs a command to run, such as: node handler.js");
        }
        if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(Duration.ofMinutes(15)) > 0) {
            throw new IllegalArgumentException("function " + name + ": the timeout must be from 1 second to 15 minutes "
                    + "(Lambda's limit), was " + timeout);
        }
        environment = Map.copyOf(environment);
    }

    /** Runs the command once with {@code payload} on its standard input; {@code streamReaders} drain its output. */
    Invocation invoke(String requestId, String payload, Executor streamReaders) {
        long start = System.nanoTime();
        Process process;
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.PIPE);
            builder.environment().putAll(environment);
            process = builder.start();
        } catch (IOException e) {
            return failed(requestId, error("Runtime.InvalidEntrypoint", "RequestId: " + requestId + " Error: cannot run "
                    + command + ": " + e.getMessage()), start);
        }
        // Both streams are drained while the process runs: a full pipe would stop it.
        CompletableFuture<String> stdout = CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()),
                streamReaders);
        String stream = name + "/" + STREAMS.incrementAndGet();
        CompletableFuture<Void> stderr = CompletableFuture.runAsync(() -> log(stream, process.getErrorStream()),
                streamReaders);
        try (OutputStream in = process.getOutputStream()) {
            in.write(payload.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            // The process closed its input early (it may not read the event at all); its exit decides.
        }
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                LOG.warn("{} {} timed out after {} ms", name, requestId, timeout.toMillis());
                return failed(requestId, LambdaErrors.timeout(requestId, timeout), start);
            }
            String output = stdout.join().trim();
            stderr.join();
            int exit = process.exitValue();
            if (exit == 0) {
                String result = output.isEmpty() ? "null" : output;
                if (!isJson(result)) {
                    return failed(requestId, error("Runtime.InvalidResponse", "the standard output of " + name
                            + " is not JSON: " + abbreviated(result)), start);
                }
                return new Invocation(requestId, name, result, null, Duration.ofNanos(System.nanoTime() - start), true);
            }
            ObjectNode reported = errorDocument(output);
            return failed(requestId, reported != null ? reported : error("Runtime.ExitError", "RequestId: " + requestId
                    + " Error: Runtime exited with error: exit status " + exit), start);
        } catch (InterruptedException e) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new LambdaInvoker.LambdaServiceException("ServiceException", "interrupted while invoking " + name);
        }
    }

    private Invocation failed(String requestId, ObjectNode document, long start) {
        LOG.info("{} {} failed: {}: {}", name, requestId, document.path("errorType").asText(),
                document.path("errorMessage").asText());
        return new Invocation(requestId, name, document.toString(), "Unhandled", Duration.ofNanos(System.nanoTime() - start),
                true);
    }

    private static ObjectNode errorDocument(String output) {
        try {
            JsonNode doc = JSON.readTree(output);
            return doc instanceof ObjectNode o && o.path("errorType").isTextual() ? o : null;
        } catch (IOException notJson) {
            return null;
        }
    }

    private static boolean isJson(String text) {
        try {
            JSON.readTree(text);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static ObjectNode error(String type, String message) {
        return JSON.createObjectNode().put("errorType", type).put("errorMessage", message);
    }

    private static String abbreviated(String text) {
        return text.length() > 200 ? text.substring(0, 200) + "..." : text;
    }

    private static String readAll(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void log(String stream, InputStream err) {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(err, StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                LOG.info("[{}] {}", stream, line);
            }
        } catch (IOException e) {
            LOG.debug("{}: standard error closed: {}", stream, e.toString());
        }
    }
}
