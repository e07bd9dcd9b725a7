package io.conveyor.local.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.conveyor.apiclient.JobApiClient;
import io.conveyor.persistence.StoredJson;
import io.conveyor.scenarios.Await;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * With a data directory, jobs survive a restart: the DynamoDB emulator and S3Proxy keep them on disk, and every write
 * the API acknowledged survives even a {@code kill -9} of the runtime.
 */
class DataDirRestartTest {
    private static final Duration START_TIMEOUT = Duration.ofMinutes(2);

    @TempDir
    Path dataDir;

    @Test
    void restart_onTheSameDataDir_keepsACreatedJobAndItsInputs() {
        LocalRuntimeOptions options = LocalRuntimeOptions.builder().dataDir(dataDir).schedules(false).build();
        String jobId;
        URI s3Before;
        try (LocalRuntime first = LocalRuntime.start(options)) {
            s3Before = first.endpoints().s3();
            JobApiClient.Response created = new JobApiClient(first.apiEndpoint(), "carol").post("/jobs",
                    "{\"program\":\"word-frequency\",\"parameters\":{\"top\":5},"
                            + "\"files\":[{\"name\":\"a.txt\",\"content\":\"to be or not to be\",\"contentType\":\"text/plain\"}]}");
            assertEquals(201, created.status(), created.text());
            jobId = created.json().path("job").path("jobId").asText();
        }

        try (LocalRuntime second = LocalRuntime.start(options)) {
            assertEquals(s3Before, second.endpoints().s3(), "S3 keeps its port, so presigned URLs keep working");
            JobApiClient.Response got = new JobApiClient(second.apiEndpoint(), "carol").get("/jobs/" + jobId);

            assertEquals(200, got.status(), got.text());
            JsonNode job = got.json().path("job");
            assertEquals(jobId, job.path("jobId").asText());
            assertEquals("CREATED", job.path("status").asText());
            assertEquals("a.txt", job.path("inputs").get(0).path("name").asText());
            try (S3Client s3 = S3Client.builder().endpointOverride(second.endpoints().s3()).forcePathStyle(true)
                    .region(Region.of(second.options().region())).httpClient(UrlConnectionHttpClient.create())
                    .credentialsProvider(StaticCredentialsProvider.create(
                            AwsBasicCredentials.create(LocalRuntime.ACCESS_KEY, LocalRuntime.SECRET_KEY))).build()) {
                String input = s3.getObjectAsBytes(b -> b.bucket(LocalDeployment.BUCKET)
                        .key("jobs/" + jobId + "/inputs/a.txt")).asUtf8String();
                assertEquals("to be or not to be", input);
            }
        }
    }

    @Test
    void theDataDirsS3Port_whenTaken_stopsTheStartWithWhatToDo() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Files.writeString(dataDir.resolve("s3.port"), taken.getLocalPort() + "\n");
            LocalRuntimeOptions options = LocalRuntimeOptions.builder().dataDir(dataDir).schedules(false).build();
            IllegalStateException refused = assertThrows(IllegalStateException.class, () -> LocalRuntime.start(options));
            assertTrue(refused.getMessage().contains("127.0.0.1:" + taken.getLocalPort())
                    && refused.getMessage().contains("delete " + dataDir.toAbsolutePath().resolve("s3.port")),
                    refused.getMessage());
        }
    }

    @Test
    void killMinus9_ofTheRuntime_losesNoJobWhoseCreateWasAcknowledged() throws Exception {
        int port = freePort();
        List<String> acknowledged = new ArrayList<>();
        Process first = startRuntimeProcess(port);
        try {
            JobApiClient api = awaitApi(first, port);
            for (int i = 0; i < 20; i++) {
                JobApiClient.Response created = api.post("/jobs", "{\"program\":\"word-frequency\","
                        + "\"inputs\":[{\"name\":\"a.txt\",\"size\":" + (i + 1) + "}]}");
                assertEquals(201, created.status(), created.text());
                acknowledged.add(created.json().path("job").path("jobId").asText());
            }
        } finally {
            first.destroyForcibly().waitFor(); // SIGKILL: no shutdown hook, no close, no flush
        }

        Process second = startRuntimeProcess(port);
        try {
            JobApiClient api = awaitApi(second, port);
            for (String jobId : acknowledged) {
                JobApiClient.Response got = api.get("/jobs/" + jobId);
                assertEquals(200, got.status(), "job " + jobId + " was acknowledged before the kill: " + got.text());
                assertEquals("CREATED", got.json().path("job").path("status").asText());
            }
        } finally {
            second.destroyForcibly().waitFor();
        }
    }

    @Test
    void killMinus9_midJob_theJobFinishesAfterTheRestart_withNoRecordedSubjobRunAgain() throws Exception {
        int port = freePort();
        String jobId;
        Map<Integer, Integer> attemptsOfSucceeded = new HashMap<>();
        String statusAtKill;
        Process first = startRuntimeProcess(port);
        try {
            JobApiClient api = awaitApi(first, port);
            // A hundred subjobs, each a few milliseconds of sieving: the orchestration of the remaining three quarters
            // takes seconds, long enough to be killed in the middle.
            JobApiClient.Response created = api.post("/jobs", "{\"program\":\"primes\",\"submit\":true,"
                    + "\"parameters\":{\"to\":" + PRIMES_TO + ",\"subJobs\":" + SUBJOBS + "}}");
            assertEquals(201, created.status(), created.text());
            jobId = created.json().path("job").path("jobId").asText();
            String id = jobId;
            JsonNode subJobs = Await.until("a quarter of the subjobs to succeed", START_TIMEOUT, () -> {
                JsonNode page = subJobs(api, id);
                return succeeded(page) >= SUBJOBS / 4 ? page : null;
            });
            for (JsonNode s : subJobs) {
                if (s.path("status").asText().equals("SUCCEEDED")) {
                    attemptsOfSucceeded.put(s.path("index").asInt(), s.path("attempts").asInt());
                }
            }
            statusAtKill = api.get("/jobs/" + id).json().path("job").path("status").asText();
        } finally {
            first.destroyForcibly().waitFor(); // SIGKILL: no shutdown hook, no close, no flush
        }
        assertTrue(attemptsOfSucceeded.size() < SUBJOBS, "the job was still running when it was killed");
        assertEquals("RUNNING", statusAtKill, "the job was running when it was killed");

        Process second = startRuntimeProcess(port);
        try {
            JobApiClient api = awaitApi(second, port);
            JsonNode job = Await.until("job " + jobId + " to end after the restart", JOB_TIMEOUT, () -> {
                JsonNode j = api.get("/jobs/" + jobId).json().path("job");
                return j.path("status").asText().matches("SUCCEEDED|FAILED|CANCELLED") ? j : null;
            });
            assertEquals("SUCCEEDED", job.path("status").asText(), job.toString());
            assertEquals(SUBJOBS, job.path("progress").path("succeeded").asInt(), job.toString());
            JsonNode subJobs = subJobs(api, jobId);
            assertEquals(SUBJOBS, succeeded(subJobs));
            for (JsonNode s : subJobs) {
                Integer before = attemptsOfSucceeded.get(s.path("index").asInt());
                if (before != null) {
                    assertEquals(before, s.path("attempts").asInt(), "subjob " + s.path("index")
                            + " had succeeded before the kill: it is not run again");
                }
            }
            JobApiClient.Response location = api.get("/jobs/" + jobId + "/result");
            assertEquals(200, location.status(), location.text());
            JsonNode result = StoredJson.MAPPER.readTree(api.send("GET", URI.create(location.json().path("url").asText()),
                    Map.of(), null).text());
            assertEquals(PRIMES_BELOW_TO, result.path("primes").asLong(), "each subjob counted once: " + result);
        } finally {
            second.destroyForcibly().waitFor();
        }
    }

    private static final int SUBJOBS = 100;
    private static final long PRIMES_TO = 100_000_000L;
    /** pi(10^8). */
    private static final long PRIMES_BELOW_TO = 5_761_455L;
    private static final Duration JOB_TIMEOUT = Duration.ofMinutes(5);

    private static JsonNode subJobs(JobApiClient api, String jobId) {
        JobApiClient.Response page = api.get("/jobs/" + jobId + "/subjobs?limit=1000");
        assertEquals(200, page.status(), page.text());
        return page.json().path("subJobs");
    }

    private static int succeeded(JsonNode subJobs) {
        int n = 0;
        for (JsonNode s : subJobs) {
            n += s.path("status").asText().equals("SUCCEEDED") ? 1 : 0;
        }
        return n;
    }

    /** The runtime as a user runs it, in a JVM of its own on this test's class path, so it can be killed. */
    private Process startRuntimeProcess(int port) throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        return new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                LocalRuntimeMain.class.getName(), "--data-dir", dataDir.toString(), "--port", Integer.toString(port),
                "--no-demo")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dataDir.resolve("runtime.log").toFile()))
                .start();
    }

    private static JobApiClient awaitApi(Process runtime, int port) {
        JobApiClient api = new JobApiClient(URI.create("http://127.0.0.1:" + port), "carol");
        return Await.until("the runtime's API on port " + port, START_TIMEOUT, () -> {
            if (!runtime.isAlive()) {
                throw new AssertionError("the runtime exited with status " + runtime.exitValue());
            }
            try {
                return api.get("/programs").status() == 200 ? api : null;
            } catch (RuntimeException notYetListening) {
                return null;
            }
        });
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
