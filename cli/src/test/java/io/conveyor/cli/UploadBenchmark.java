package io.conveyor.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conveyor.cli.config.Auth;
import io.conveyor.cli.config.CliSettings;
import io.conveyor.cli.http.ApiClient;
import io.conveyor.cli.http.RequestSigner;
import io.conveyor.cli.output.Output;
import io.conveyor.cli.output.ProgressDisplay;
import io.conveyor.cli.upload.InputFile;
import io.conveyor.cli.upload.JobUploader;
import io.conveyor.local.runtime.LocalRuntime;
import io.conveyor.local.runtime.LocalRuntimeOptions;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * Prints how long the CLI takes to hash, upload and submit one large file to the local runtime (in memory), with one
 * presigned PUT and as a multipart upload in parts of 64 MiB and of 16 MiB. Submit includes the API's check of the
 * file's SHA-256, read back from S3. Not a test: run it by hand (see cli/README.md).
 *
 * <p>Arguments: the file's size in MiB (default 200), the number of runs per way (default 2).
 */
public final class UploadBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();

    private UploadBenchmark() {}

    public static void main(String[] args) throws Exception {
        int mib = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        Path work = Files.createTempDirectory("conveyor-upload-benchmark");
        Path file = work.resolve("big.bin");
        writeRandom(file, mib);
        try {
            measure("single PUT", Map.of("CONVEYOR_MULTIPART_THRESHOLD", "5GiB"), work, runs, mib);
            measure("multipart, 64 MiB parts", Map.of(), work, runs, mib);
            measure("multipart, 16 MiB parts", Map.of("CONVEYOR_MULTIPART_PART_SIZE", "16MiB",
                    "CONVEYOR_MULTIPART_THRESHOLD", "16MiB"), work, runs, mib);
        } finally {
            Files.deleteIfExists(file);
            Files.deleteIfExists(work);
        }
        // DynamoDB Local leaves a non-daemon thread behind for minutes.
        System.exit(0);
    }

    private static void measure(String way, Map<String, String> environment, Path work, int runs, int mib) {
        LocalRuntimeOptions.Builder options = LocalRuntimeOptions.builder().schedules(false);
        environment.forEach(options::environment);
        try (LocalRuntime runtime = LocalRuntime.start(options.build())) {
            CliSettings settings = new CliSettings(runtime.apiEndpoint(), "benchmark", Auth.BEARER, Optional.of("bench"),
                    Optional.empty(), Optional.empty(), "default");
            ApiClient api = new ApiClient(settings, RequestSigner.bearer("bench"), ApiClient.newTransport(), "benchmark");
            Output quiet = new Output(new PrintWriter(Writer.nullWriter()), new PrintWriter(Writer.nullWriter()), false,
                    false, 80);
            for (int run = 1; run <= runs; run++) {
                long start = System.nanoTime();
                InputFile file = InputFile.inspect(work.resolve("big.bin"), size -> ProgressDisplay.NONE);
                long hashed = System.nanoTime();
                ObjectNode body = JSON.createObjectNode().put("program", "checksum");
                body.putArray("inputs").addObject().put("name", file.name()).put("size", file.size())
                        .put("contentType", file.contentType()).put("sha256", file.sha256());
                JsonNode created = api.post("/jobs", body);
                String jobPath = "/jobs/" + created.path("job").path("jobId").asText();
                long uploadStart = System.nanoTime();
                new JobUploader(api, quiet).upload(jobPath, created.path("uploads"), List.of(file));
                long uploaded = System.nanoTime();
                api.post(jobPath + "/submit", null);
                long submitted = System.nanoTime();
                System.out.printf("%-24s run %d, %d MiB: hash %.1f s, upload %.1f s (%.0f MiB/s), submit %.1f s%n", way, run,
                        mib, seconds(hashed - start), seconds(uploaded - uploadStart), mib / seconds(uploaded - uploadStart),
                        seconds(submitted - uploaded));
            }
        }
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

    private static void writeRandom(Path file, int mib) throws IOException {
        Random random = new Random(42);
        byte[] chunk = new byte[1024 * 1024];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (int i = 0; i < mib; i++) {
                random.nextBytes(chunk);
                out.write(chunk);
            }
        }
    }
}
