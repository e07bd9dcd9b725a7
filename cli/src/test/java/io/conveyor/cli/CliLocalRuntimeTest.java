package io.conveyor.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.conveyor.local.runtime.LocalRuntime;
import io.conveyor.local.runtime.LocalRuntimeOptions;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI as a user runs it, in-process, against the whole product in the local runtime (real handlers, real
 * workflow, S3Proxy checking the presigned URLs' signatures), authenticated with the local bearer token.
 */
@Timeout(120)
class CliLocalRuntimeTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static LocalRuntime runtime;
    @TempDir
    static Path home;
    @TempDir
    Path work;

    @BeforeAll
    static void startRuntime() {
        runtime = LocalRuntime.start(LocalRuntimeOptions.builder().timeScale(0.01).schedules(false)
                .environment("CONVEYOR_ADMIN_USERS", "ops").build());
    }

    @AfterAll
    static void stopRuntime() {
        if (runtime != null) {
            runtime.close();
        }
    }

    private CliRunner cli(String user) {
        return new CliRunner(Map.of("CONVEYOR_ENDPOINT", runtime.apiEndpoint().toString(), "CONVEYOR_TOKEN", user), home,
                work, false);
    }

    private Path file(String name, String content) throws IOException {
        return Files.writeString(work.resolve(name), content, StandardCharsets.UTF_8);
    }

    private static JsonNode json(String text) throws IOException {
        return JSON.readTree(text);
    }

    /** The last JSON line printed (watch and --wait print one line per change). */
    private static JsonNode lastLine(String text) throws IOException {
        List<String> lines = text.lines().filter(l -> !l.isBlank()).toList();
        return JSON.readTree(lines.get(lines.size() - 1));
    }

    @Test
    void submit_uploadsTheFiles_waitsForTheEnd_andDownloadGetsTheResult() throws Exception {
        CliRunner alice = cli("alice");
        String river = "the river runs past the mill and the mill turns\n".repeat(40);
        String orchard = "apples and pears in the orchard by the river\n".repeat(40);
        file("river.txt", river);
        file("orchard.txt", orchard);

        CliRunner.Result submitted = alice.run("submit", "word-frequency", "river.txt", "orchard.txt",
                "--param", "top=3", "-p", "chunkBytes=1024", "--wait", "--interval", "0.05");

        assertEquals(ExitCodes.OK, submitted.exitCode(), submitted.toString());
        assertTrue(submitted.err().contains("Uploaded river.txt"), submitted.toString());
        assertTrue(submitted.err().contains("Uploaded orchard.txt"), submitted.toString());
        assertTrue(submitted.out().contains("SUCCEEDED"), submitted.toString());
        String id = submitted.out().lines().filter(l -> l.startsWith("Job ")).findFirst().orElseThrow().split(" ")[1];

        CliRunner.Result status = alice.run("status", id, "--json");
        assertEquals(ExitCodes.OK, status.exitCode(), status.toString());
        JsonNode job = json(status.out());
        assertEquals("SUCCEEDED", job.path("status").asText());
        assertEquals("3", job.path("parameters").path("top").asText());
        assertTrue(job.path("progress").path("total").asInt() > 1, "split into several subjobs: " + job);
        for (JsonNode input : job.path("inputs")) {
            String content = input.path("name").asText().equals("river.txt") ? river : orchard;
            assertEquals(sha256(content), input.path("sha256").asText(), "declared SHA-256 of " + input);
            assertEquals("text/plain", input.path("contentType").asText());
            assertEquals(content.getBytes(StandardCharsets.UTF_8).length, input.path("size").asLong());
        }

        Path downloads = work.resolve("downloads");
        CliRunner.Result downloaded = alice.run("download", id, "-o", "downloads");
        assertEquals(ExitCodes.OK, downloaded.exitCode(), downloaded.toString());
        Path result = downloads.resolve(id + "-result.json");
        assertTrue(Files.exists(result), downloaded.toString());
        JsonNode words = JSON.readTree(result.toFile());
        assertTrue(words.toString().contains("the"), words.toString());

        CliRunner.Result again = alice.run("download", id, "-o", "downloads");
        assertEquals(ExitCodes.USAGE, again.exitCode(), "an existing file is kept without --force: " + again);
        assertEquals(ExitCodes.OK, alice.run("download", id, "-o", "downloads", "--force").exitCode());
        CliRunner.Result toStdout = alice.run("download", id, "-o", "-");
        assertEquals(Files.readString(result), toStdout.out());
        CliRunner.Result intoAFile = alice.run("download", id, "-o", "downloads/" + id + "-result.json");
        assertEquals(ExitCodes.USAGE, intoAFile.exitCode(), intoAFile.toString());
        assertTrue(intoAFile.err().contains("is a file, not a directory"), intoAFile.err());
        CliRunner.Result badParam = alice.run("submit", "primes", "--param", "to");
        assertEquals(ExitCodes.USAGE, badParam.exitCode(), badParam.toString());
        assertTrue(badParam.err().startsWith("--param takes KEY=VALUE, such as --param to=1000; got 'to'."), badParam.err());

        CliRunner.Result subjobs = alice.run("subjobs", id);
        assertEquals(ExitCodes.OK, subjobs.exitCode(), subjobs.toString());
        assertTrue(subjobs.out().startsWith("INDEX"), subjobs.out());
        assertEquals(job.path("progress").path("total").asInt() + 1, subjobs.out().lines().count(), subjobs.out());
        assertTrue(subjobs.out().lines().skip(1).allMatch(l -> l.contains("SUCCEEDED")), subjobs.out());
    }

    @Test
    void submit_withoutWait_printsTheJobId_andWatchFollowsItToSucceeded() throws Exception {
        CliRunner bob = cli("bob");
        file("a.txt", "one two two three three three\n");

        CliRunner.Result submitted = bob.run("submit", "checksum", "a.txt");

        assertEquals(ExitCodes.OK, submitted.exitCode(), submitted.toString());
        String id = submitted.out().strip();
        assertFalse(id.isEmpty() || id.contains(" "), "only the job id on stdout: " + submitted);

        CliRunner.Result watched = bob.run("watch", id, "--interval", "0.05", "--json");
        assertEquals(ExitCodes.OK, watched.exitCode(), watched.toString());
        assertEquals("SUCCEEDED", lastLine(watched.out()).path("status").asText());
        assertEquals("", watched.err());

        CliRunner.Result text = bob.run("watch", id, "--interval", "0.05");
        assertTrue(text.out().contains("SUCCEEDED"), text.toString());
        assertTrue(text.out().contains("conveyor download " + id), text.toString());
    }

    @Test
    void submit_aJobThatFails_withWait_exits4_andSaysWhy() throws Exception {
        CliRunner carol = cli("carol");

        CliRunner.Result r = carol.run("submit", "primes", "-p", "from=100", "-p", "to=10", "--wait", "--interval", "0.05");

        assertEquals(ExitCodes.JOB_FAILED, r.exitCode(), r.toString());
        assertTrue(r.out().contains("FAILED"), r.toString());
        assertTrue(r.out().contains("conveyor retry"), r.toString());
    }

    @Test
    void cancel_aWaitingJob_endsItCancelled_andWatchExits4() throws Exception {
        CliRunner dave = cli("dave");
        file("in.txt", "never submitted\n");
        // A created job that is never submitted never succeeds, so a job depending on it waits.
        CliRunner.Result blocker = dave.run("submit", "checksum", "--json", "--idempotency-key", "blocker-" + work.hashCode(),
                "in.txt");
        assertEquals(ExitCodes.OK, blocker.exitCode(), blocker.toString());
        String first = json(blocker.out()).path("jobId").asText();
        CliRunner.Result waiting = dave.run("submit", "primes", "-p", "to=1000", "--depends-on", first);
        assertEquals(ExitCodes.OK, waiting.exitCode(), waiting.toString());
        String id = waiting.out().strip();

        CliRunner.Result cancelled = dave.run("cancel", id);

        assertEquals(ExitCodes.OK, cancelled.exitCode(), cancelled.toString());
        assertTrue(cancelled.out().contains("CANCELLED"), cancelled.toString());
        CliRunner.Result watched = dave.run("watch", id, "--interval", "0.05");
        assertEquals(ExitCodes.JOB_FAILED, watched.exitCode(), watched.toString());
        assertTrue(watched.out().contains("CANCELLED"), watched.toString());
        CliRunner.Result twice = dave.run("cancel", id);
        assertEquals(ExitCodes.API, twice.exitCode(), twice.toString());
        assertTrue(twice.err().contains("JobAlreadyFinished"), twice.toString());
        CliRunner.Result notReady = dave.run("download", id);
        assertEquals(ExitCodes.API, notReady.exitCode(), notReady.toString());
        assertTrue(notReady.err().contains("ResultNotReady"), notReady.toString());
    }

    @Test
    void retry_aFailedJob_runsASecondAttempt_andWaitExits4WhenItFailsAgain() throws Exception {
        CliRunner erin = cli("erin");
        CliRunner.Result failed = erin.run("submit", "primes", "-p", "from=50", "-p", "to=5", "--wait", "--interval", "0.05",
                "--json");
        assertEquals(ExitCodes.JOB_FAILED, failed.exitCode(), failed.toString());
        String id = lastLine(failed.out()).path("jobId").asText();

        CliRunner.Result retried = erin.run("retry", id, "--wait", "--interval", "0.05");

        assertEquals(ExitCodes.JOB_FAILED, retried.exitCode(), retried.toString());
        assertTrue(retried.out().contains("attempt 2"), retried.toString());
        JsonNode job = json(erin.run("status", id, "--json").out());
        assertEquals(2, job.path("attempts").size(), job.toString());
        assertEquals("Program.InvalidParameters", job.path("error").path("code").asText(), job.toString());
        CliRunner.Result text = erin.run("status", id);
        assertTrue(text.out().contains("Attempts:"), text.toString());
        assertTrue(text.out().contains("InvalidParameters"), text.toString());
        assertTrue(text.out().contains("Cost:       $0."), text.toString());
        assertTrue(text.out().contains("COST"), text.toString());

        CliRunner.Result usage = erin.run("usage", "--json");
        assertEquals(ExitCodes.OK, usage.exitCode(), usage.toString());
        JsonNode report = json(usage.out());
        assertEquals(1, report.path("total").path("jobs").asInt(), report.toString());
        assertEquals(job.path("usage").path("stateTransitions"), report.path("total").path("usage").path("stateTransitions"));
        CliRunner.Result table = erin.run("usage");
        assertTrue(table.out().contains("Usage of erin from ") && table.out().contains("primes"), table.toString());
        CliRunner.Result refused = erin.run("usage", "--user", "frank");
        assertEquals(ExitCodes.API, refused.exitCode(), refused.toString());
        assertTrue(refused.err().contains("NotAnAdministrator"), refused.toString());
        CliRunner.Result everyoneRefused = erin.run("usage", "--all-users");
        assertEquals(ExitCodes.API, everyoneRefused.exitCode(), everyoneRefused.toString());
        assertTrue(everyoneRefused.err().contains("NotAnAdministrator"), everyoneRefused.toString());
        CliRunner.Result both = erin.run("usage", "--all-users", "--user", "frank");
        assertEquals(ExitCodes.USAGE, both.exitCode(), both.toString());

        CliRunner.Result everyone = cli("ops").run("usage", "--all-users");
        assertEquals(ExitCodes.OK, everyone.exitCode(), everyone.toString());
        String erinsLine = everyone.out().lines().filter(l -> l.startsWith("erin ")).findFirst()
                .orElseThrow(() -> new AssertionError("no line for erin: " + everyone));
        assertTrue(erinsLine.contains(" " + job.path("usage").path("stateTransitions").asText() + " "), erinsLine);
    }

    @Test
    void submit_sameIdempotencyKeyTwice_givesTheSameJob_withoutUploadingAgain() throws Exception {
        CliRunner frank = cli("frank");
        file("same.txt", "same content\n");

        CliRunner.Result first = frank.run("submit", "checksum", "same.txt", "--idempotency-key", "k-1", "--json");
        CliRunner.Result second = frank.run("submit", "checksum", "same.txt", "--idempotency-key", "k-1");

        assertEquals(ExitCodes.OK, first.exitCode(), first.toString());
        assertEquals(ExitCodes.OK, second.exitCode(), second.toString());
        assertEquals(json(first.out()).path("jobId").asText(), second.out().strip());
        assertTrue(second.err().contains("submitted before"), second.toString());
        assertFalse(second.err().contains("Uploaded"), second.toString());
    }

    @Test
    void list_followsNextTokenWithAll_andFiltersByProgram() throws Exception {
        CliRunner grace = cli("grace");
        for (int i = 0; i < 3; i++) {
            assertEquals(ExitCodes.OK, grace.run("submit", "primes", "-p", "to=100").exitCode());
        }

        CliRunner.Result page = grace.run("list", "--limit", "2", "--json");
        CliRunner.Result all = grace.run("list", "--limit", "2", "--all", "--json");
        CliRunner.Result table = grace.run("list", "--limit", "2");
        CliRunner.Result none = grace.run("list", "--program", "checksum", "--json");

        assertEquals(2, json(page.out()).path("jobs").size(), page.toString());
        assertTrue(json(page.out()).hasNonNull("nextToken"), page.toString());
        assertEquals(3, json(all.out()).path("jobs").size(), all.toString());
        assertFalse(json(all.out()).has("nextToken"), all.toString());
        assertTrue(table.out().startsWith("JOB"), table.toString());
        assertTrue(table.err().contains("--all"), "says how to see more: " + table);
        assertEquals(0, json(none.out()).path("jobs").size(), none.toString());
        assertEquals(ExitCodes.USAGE, grace.run("list", "--status", "DONE").exitCode());
    }

    @Test
    void programs_listsTheSamples_andShowsOne() {
        CliRunner heidi = cli("heidi");

        CliRunner.Result all = heidi.run("programs");
        CliRunner.Result one = heidi.run("programs", "primes");
        CliRunner.Result missing = heidi.run("programs", "nope");

        assertEquals(ExitCodes.OK, all.exitCode(), all.toString());
        for (String name : List.of("word-frequency", "checksum", "primes")) {
            assertTrue(all.out().contains(name), all.toString());
        }
        assertTrue(one.out().contains("Retry:"), one.toString());
        assertTrue(!one.out().contains("Workers:"), "primes runs on Lambda: " + one);
        CliRunner.Result onWorkers = heidi.run("programs", "primes-on-workers");
        assertTrue(onWorkers.out().contains("Workers:     external (conveyor worker), any of the job's owner; a heartbeat "
                + "at least every 10 s"), onWorkers.toString());
        assertEquals(ExitCodes.API, missing.exitCode(), missing.toString());
        assertTrue(missing.err().contains("ProgramNotFound"), missing.toString());
    }

    @Test
    void submit_unknownProgram_exits3_withTheApisMessage() throws Exception {
        CliRunner.Result r = cli("ivan").run("submit", "no-such-program");
        CliRunner.Result asJson = cli("ivan").run("submit", "no-such-program", "--json");

        assertEquals(ExitCodes.API, r.exitCode(), r.toString());
        assertTrue(r.err().contains("Unknown program 'no-such-program'"), r.toString());
        assertTrue(r.err().contains("word-frequency"), "names the registered programs: " + r);
        assertTrue(r.err().contains("HTTP 400 UnknownProgram"), r.toString());
        assertEquals("", r.out());
        JsonNode error = json(asJson.err()).path("error");
        assertEquals("UnknownProgram", error.path("code").asText(), asJson.toString());
        assertEquals(400, error.path("status").asInt());
        assertEquals(ExitCodes.API, error.path("exitCode").asInt());
    }

    @Test
    void noToken_exits3_andSaysHowToPassOne() {
        CliRunner anonymous = new CliRunner(Map.of("CONVEYOR_ENDPOINT", runtime.apiEndpoint().toString()), home, work, false);

        CliRunner.Result r = anonymous.run("list");

        assertEquals(ExitCodes.API, r.exitCode(), r.toString());
        assertTrue(r.err().contains("HTTP 401"), r.toString());
        assertTrue(r.err().contains("--token"), r.toString());
        assertTrue(r.err().contains("CONVEYOR_TOKEN"), r.toString());
    }

    @Test
    void anotherUsersJob_isNotFound() throws Exception {
        file("mine.txt", "mine\n");
        String id = cli("judy").run("submit", "checksum", "mine.txt").out().strip();

        CliRunner.Result r = cli("mallory").run("status", id);

        assertEquals(ExitCodes.API, r.exitCode(), r.toString());
        assertTrue(r.err().contains("HTTP 404 JobNotFound"), r.toString());
    }

    @Test
    void unreachableEndpoint_exits5_namingTheEndpoint_andSuggestingToStartTheRuntime() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        CliRunner r = cli("kate").withEnv("CONVEYOR_ENDPOINT", "http://127.0.0.1:" + port);

        CliRunner.Result result = r.run("status", "j-1");

        assertEquals(ExitCodes.CONNECTION, result.exitCode(), result.toString());
        assertTrue(result.err().contains("http://127.0.0.1:" + port), result.toString());
        assertTrue(result.err().contains("connection refused"), result.toString());
        assertTrue(result.err().contains("local runtime"), result.toString());
        assertTrue(result.err().contains("CONVEYOR_ENDPOINT"), "names where the endpoint came from: " + result);
    }

    @Test
    void usageErrors_exit2_beforeAnythingIsSent() throws Exception {
        CliRunner leo = cli("leo");

        CliRunner.Result missingFile = leo.run("submit", "checksum", "nope.txt");
        CliRunner.Result unknownOption = leo.run("status", "j-1", "--bogus");
        CliRunner.Result noCommand = leo.run();
        CliRunner.Result noEndpoint = leo.withEnv("CONVEYOR_ENDPOINT", null).run("list");
        file("dup.txt", "x");
        Files.createDirectory(work.resolve("sub"));
        file("sub/dup.txt", "y");
        CliRunner.Result sameName = leo.run("submit", "checksum", "dup.txt", "sub/dup.txt");

        assertEquals(ExitCodes.USAGE, missingFile.exitCode(), missingFile.toString());
        assertTrue(missingFile.err().contains("No such file"), missingFile.toString());
        assertEquals(ExitCodes.USAGE, unknownOption.exitCode(), unknownOption.toString());
        assertEquals(ExitCodes.USAGE, noCommand.exitCode(), noCommand.toString());
        assertEquals(ExitCodes.USAGE, noEndpoint.exitCode(), noEndpoint.toString());
        assertTrue(noEndpoint.err().contains("--endpoint"), noEndpoint.toString());
        assertEquals(ExitCodes.USAGE, sameName.exitCode(), sameName.toString());
        assertTrue(sameName.err().contains("same file name"), sameName.toString());
    }

    @Test
    void onATerminal_submitDrawsProgressBarsOnStandardError_only() throws Exception {
        CliRunner mia = cli("mia").onTerminal();
        byte[] data = new byte[3 * 1024 * 1024 + 17];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) ('a' + i % 26);
        }
        Files.write(work.resolve("big.bin"), data);

        CliRunner.Result r = mia.run("submit", "checksum", "big.bin", "--wait", "--interval", "0.05");

        assertEquals(ExitCodes.OK, r.exitCode(), r.toString());
        assertTrue(r.err().contains("Uploading big.bin"), r.toString());
        assertTrue(r.err().contains("Hashing big.bin"), r.toString());
        assertFalse(r.out().contains("Uploading"), r.toString());
        assertTrue(r.out().contains("SUCCEEDED"), r.toString());
        String id = r.out().lines().filter(l -> l.startsWith("Job ")).findFirst().orElseThrow().split(" ")[1];
        JsonNode job = json(cli("mia").run("status", id, "--json").out());
        assertEquals("application/octet-stream", job.path("inputs").get(0).path("contentType").asText());
        assertEquals(sha256(data), job.path("inputs").get(0).path("sha256").asText());
        assertNotEquals(0, new ArrayList<>(List.of(r.err().split("\r"))).size());
    }

    private static String sha256(String text) throws Exception {
        return sha256(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
