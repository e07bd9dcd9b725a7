package io.conveyor.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conveyor.cli.CliException;
import io.conveyor.cli.ExitCodes;
import io.conveyor.cli.http.ApiClient;
import io.conveyor.cli.output.Format;
import io.conveyor.cli.upload.InputFile;
import io.conveyor.cli.upload.JobUploader;
import io.conveyor.cli.upload.MultipartUploader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code conveyor submit PROGRAM FILE... }: declare the files (size, content type, SHA-256), create the job, upload
 * each file through its presigned URL, submit, and with {@code --wait} follow the job to its end.
 */
@Command(name = "submit", description = {"Create a job of PROGRAM with FILEs as its inputs, upload them, and submit it.",
        "Each file is read twice, streaming: once for its SHA-256, declared with its size and content type when the job "
                + "is created, then to upload it: with one presigned PUT, checked against the same SHA-256 as it is sent, "
                + "or above the API's multipart threshold (64 MiB by default) in parts, " + MultipartUploader.PARALLEL_PARTS
                + " at a time, each with its Content-MD5 and sent again after a transient failure; the API checks the "
                + "whole file's SHA-256 at submit.",
        "With --idempotency-key, running the same command again after a failure resumes the same job: files already "
                + "uploaded, and parts of files, are skipped."})
public final class SubmitCommand extends ApiCommand {
    @Parameters(index = "0", paramLabel = "PROGRAM", description = "The program to run (conveyor programs lists them).")
    String program;

    @Parameters(index = "1..*", arity = "0..*", paramLabel = "FILE", description = "Input files; each is named in the "
            + "job by its file name.")
    List<Path> files = new ArrayList<>();

    final Map<String, String> parameters = new LinkedHashMap<>();

    @Spec
    CommandSpec spec;

    /**
     * The program's parameters. Split here rather than by picocli's map option, whose refusal reads "Value for option
     * option '--param' ...". Picocli passes every value given so far.
     */
    @Option(names = {"-p", "--param"}, paramLabel = "KEY=VALUE", description = "A parameter of the program; repeatable.")
    void parameters(List<String> keyValues) {
        parameters.clear();
        for (String keyValue : keyValues) {
            int equals = keyValue.indexOf('=');
            if (equals < 1) {
                throw new ParameterException(spec.commandLine(), "--param takes KEY=VALUE, such as --param to=1000; got '"
                        + keyValue + "'.");
            }
            parameters.put(keyValue.substring(0, equals), keyValue.substring(equals + 1));
        }
    }

    @Option(names = "--depends-on", paramLabel = "JOB_ID", description = "Start only after this job SUCCEEDED; repeatable.")
    List<String> dependsOn = new ArrayList<>();

    @Option(names = "--idempotency-key", paramLabel = "KEY", description = "Makes the create safe to repeat for 24 h: "
            + "the same key and request give the same job.")
    String idempotencyKey;

    @Option(names = "--retention", paramLabel = "DURATION", description = "How long to keep the job and its files, "
            + "ISO-8601 such as P7D or PT12H (default: the program's).")
    String retention;

    @Option(names = {"-w", "--wait"}, description = "Follow the job until it ends (exit status 4 if it fails or is cancelled).")
    boolean wait;

    @Mixin
    WaitInterval interval;

    @Override
    public Integer call() {
        var pollEvery = interval.duration();
        List<InputFile> inputs = new ArrayList<>();
        Map<String, Path> names = new HashMap<>();
        for (Path file : files) {
            Path path = cli.context().workingDir().resolve(file);
            Path other = names.putIfAbsent(path.getFileName().toString(), path);
            if (other != null) {
                throw CliException.usage(other + " and " + path + " have the same file name, and inputs are named by "
                        + "their file names: rename one.");
            }
            inputs.add(InputFile.inspect(path, size -> out().bytes("Hashing " + path.getFileName(), size)));
        }
        ApiClient.Call create = new ApiClient.Call("POST", "/jobs", Map.of(), Map.of(), createRequest(inputs))
                .header("Idempotency-Key", idempotencyKey);
        JsonNode created = api().send(create);
        JsonNode job = created.path("job");
        String id = job.path("jobId").asText();
        out().note("Created job " + id + " (" + program + ", " + inputs.size() + " input" + (inputs.size() == 1 ? "" : "s")
                + ", " + Format.bytes(inputs.stream().mapToLong(InputFile::size).sum()) + ")");

        if (job.path("status").asText().equals("CREATED")) {
            new JobUploader(api(), out()).upload(jobPath(id), created.path("uploads"), inputs);
            job = api().post(jobPath(id) + "/submit", null);
            out().note("Submitted job " + id + ": " + text(job, "status", "QUEUED"));
        } else {
            out().note("Job " + id + " was submitted before (same idempotency key): it is " + job.path("status").asText());
        }

        if (!wait) {
            if (out().json()) {
                out().json(job);
            } else {
                out().line(id);
            }
            return ExitCodes.OK;
        }
        return new JobFollower(api(), out(), pollEvery).followToEnd(id);
    }

    private ObjectNode createRequest(List<InputFile> inputs) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("program", program);
        if (!parameters.isEmpty()) {
            ObjectNode p = body.putObject("parameters");
            parameters.forEach(p::put);
        }
        if (!inputs.isEmpty()) {
            ArrayNode declared = body.putArray("inputs");
            for (InputFile f : inputs) {
                declared.addObject().put("name", f.name()).put("size", f.size()).put("contentType", f.contentType())
                        .put("sha256", f.sha256());
            }
        }
        if (!dependsOn.isEmpty()) {
            ArrayNode deps = body.putArray("dependsOn");
            dependsOn.forEach(deps::add);
        }
        if (retention != null) {
            body.put("retention", retention);
        }
        return body;
    }

}
