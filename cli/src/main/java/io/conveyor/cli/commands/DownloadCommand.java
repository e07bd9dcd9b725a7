package io.conveyor.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.conveyor.cli.CliException;
import io.conveyor.cli.ExitCodes;
import io.conveyor.cli.output.Format;
import io.conveyor.cli.output.ProgressDisplay;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code conveyor download ID [-o DIR]}: the result of a SUCCEEDED job, through its presigned URL. */
@Command(name = "download", description = {"Download the result of a SUCCEEDED job into a directory (or to standard "
        + "output with -o -).", "The file is named as the API names it, such as JOB_ID-result.json."})
public final class DownloadCommand extends ApiCommand {
    private static final Pattern FILENAME = Pattern.compile("filename=\"?([^\";]+)\"?");

    @Parameters(paramLabel = "JOB_ID", description = "The job whose result to download.")
    String id;

    @Option(names = {"-o", "--output"}, paramLabel = "DIR", description = "The directory to save it in, created if "
            + "missing (default: the current one), or - for standard output.")
    String output;

    @Option(names = "--force", description = "Replace a file of the same name.")
    boolean force;

    @Override
    public Integer call() {
        JsonNode result = api().get(jobPath(id) + "/result");
        URI url = URI.create(result.path("url").asText());
        HttpRequest request = HttpRequest.newBuilder(url).GET().build();
        HttpResponse<InputStream> response = api().presigned(request, HttpResponse.BodyHandlers.ofInputStream(),
                "the storage (download of " + id + "'s result)");
        long size = response.headers().firstValueAsLong("Content-Length").orElse(-1);
        if ("-".equals(output)) {
            try (InputStream in = response.body()) {
                out().out().print(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                out().out().flush();
            } catch (IOException e) {
                throw api().connectionProblem(url, "the storage", e);
            }
            return ExitCodes.OK;
        }
        Path dir = output == null ? cli.context().workingDir() : cli.context().workingDir().resolve(output);
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw CliException.usage("-o " + dir + " is a file, not a directory: name a directory (it is created if "
                    + "missing), or use -o - for standard output.");
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw CliException.usage("Cannot create the directory " + dir + " for -o: " + e.getMessage());
        }
        String name = fileName(response.headers().firstValue("Content-Disposition").orElse(""), id);
        Path target = dir.resolve(name);
        if (Files.exists(target) && !force) {
            throw CliException.usage(target + " exists already: pass --force to replace it, or -o another directory.");
        }
        Path partial = dir.resolve("." + name + ".part");
        long written = 0;
        boolean reading = false;
        try (InputStream in = response.body(); OutputStream file = Files.newOutputStream(partial);
             ProgressDisplay bar = out().bytes("Downloading " + name, Math.max(size, 0))) {
            byte[] buffer = new byte[256 * 1024];
            while (true) {
                reading = true;
                int n = in.read(buffer);
                reading = false;
                if (n < 0) {
                    break;
                }
                file.write(buffer, 0, n);
                written += n;
                bar.step(n);
            }
        } catch (IOException e) {
            deleteQuietly(partial);
            if (reading) {
                throw api().connectionProblem(url, "the storage", e);
            }
            throw new CliException(ExitCodes.SOFTWARE, "Cannot write " + partial + ": " + e.getMessage(), e);
        }
        try {
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            deleteQuietly(partial);
            throw new CliException(ExitCodes.SOFTWARE, "Cannot write " + target + ": " + e.getMessage(), e);
        }
        if (out().json()) {
            out().json(JsonNodeFactory.instance.objectNode().put("jobId", id).put("file", target.toString())
                    .put("bytes", written));
        } else {
            out().line("Saved " + target + " (" + Format.bytes(written) + ")");
        }
        return ExitCodes.OK;
    }

    /** The file name from {@code Content-Disposition}, reduced to a plain name; else {@code ID-result.json}. */
    static String fileName(String disposition, String id) {
        Matcher m = FILENAME.matcher(disposition);
        String name = m.find() ? m.group(1).strip() : "";
        name = name.replaceAll(".*[/\\\\]", "");
        if (name.isEmpty() || name.equals(".") || name.equals("..") || name.chars().anyMatch(c -> c < 0x20)) {
            name = id.replaceAll("[^A-Za-z0-9._-]", "_") + "-result.json";
        }
        return name;
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // Best effort: a leftover .part file is harmless.
        }
    }
}
