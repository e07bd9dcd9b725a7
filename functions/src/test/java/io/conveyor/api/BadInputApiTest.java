package io.conveyor.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conveyor.job.Job;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bad-input catalogue of POST /jobs: each request gets a 4xx with a code and a message that says what to
 * change, and nothing is stored.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputApiTest {
    private final ApiHarness h = new ApiHarness();
    private String bobsJob;
    private String alicesJob;

    @BeforeAll
    void existingJobs() {
        bobsJob = h.submittedJob(h.bob());
        alicesJob = h.submittedJob(h.alice());
    }

    static Stream<Arguments> badRequests() {
        String longName = "n".repeat(256);
        return Stream.of(
                Arguments.of("malformed JSON", "{\"program\": ", "not valid JSON"),
                Arguments.of("an array instead of an object", "[1, 2]", "must be a JSON object"),
                Arguments.of("no program", "{}", "'program' is required"),
                Arguments.of("program of the wrong type", "{\"program\": 7}", "'program' is required"),
                Arguments.of("unknown field", "{\"program\": \"primes\", \"prgoram\": 1}", "Unknown field 'prgoram'"),
                Arguments.of("parameters not an object", "{\"program\": \"primes\", \"parameters\": [1]}", "'parameters' must be a JSON object"),
                Arguments.of("nested parameter", "{\"program\": \"primes\", \"parameters\": {\"a\": {\"b\": 1}}}", "Parameter 'a' must be a string, number or boolean"),
                Arguments.of("inputs not an array", "{\"program\": \"checksum\", \"inputs\": {}}", "'inputs' must be a JSON array"),
                Arguments.of("size as a string", "{\"program\": \"checksum\", \"inputs\": [{\"name\": \"a\", \"size\": \"12\"}]}", "inputs[0].size' is required"),
                Arguments.of("negative size", "{\"program\": \"checksum\", \"inputs\": [{\"name\": \"a\", \"size\": -1}]}", "inputs[0].size' is required"),
                Arguments.of("input too large", "{\"program\": \"checksum\", \"inputs\": [{\"name\": \"a\", \"size\": 6000000000}]}", "the largest allowed is"),
                Arguments.of("bad sha256", "{\"program\": \"checksum\", \"inputs\": [{\"name\": \"a\", \"size\": 1, \"sha256\": \"xyz\"}]}", "64 hex digits"),
                Arguments.of("name with a slash", "{\"program\": \"checksum\", \"inputs\": [{\"name\": \"dir/a\", \"size\": 1}]}", "without '/'"),
                Arguments.of("name with a backslash", "{\"program\": \"checksum\", \"inputs\": [{\"name\": \"dir\\\\a\", \"size\": 1}]}", "without '/' or '\\'"),
                Arguments.of("name with ..", "{\"program\": \"checksum\", \"inputs\": [{\"name\": \"..\", \"size\": 1}]}", "must not contain '..'"),
                Arguments.of("name with a control character", "{\"program\": \"checksum\", \"inputs\": [{\"name\": \"a\\u0007b\", \"size\": 1}]}", "control characters"),
                Arguments.of("over-long name", "{\"program\": \"checksum\", \"inputs\": [{\"name\": \"" + longName + "\", \"size\": 1}]}", "longer than 255"),
                Arguments.of("duplicate names", "{\"program\": \"checksum\", \"inputs\": [{\"name\": \"a\", \"size\": 1}], \"files\": [{\"name\": \"a\", \"content\": \"x\"}]}", "is used twice"),
                Arguments.of("too many inputs", "{\"program\": \"checksum\", \"inputs\": [" + manyInputs(101) + "]}", "at most 100"),
                Arguments.of("file without content", "{\"program\": \"checksum\", \"files\": [{\"name\": \"a\"}]}", "exactly one of 'content'"),
                Arguments.of("bad base64", "{\"program\": \"checksum\", \"files\": [{\"name\": \"a\", \"contentBase64\": \"%%%\"}]}", "not valid base64"),
                Arguments.of("dependsOn not a list", "{\"program\": \"primes\", \"dependsOn\": \"x\"}", "'dependsOn' must be a JSON array"),
                Arguments.of("unknown dependency", "{\"program\": \"primes\", \"dependsOn\": [\"no-such-job\"]}", "does not exist for this caller"),
                Arguments.of("repeated dependency", "{\"program\": \"primes\", \"dependsOn\": [\"x\", \"x\"]}", "twice"),
                Arguments.of("retention too short", "{\"program\": \"primes\", \"retention\": \"PT1M\"}", "'retention' must be between"),
                Arguments.of("retention too long", "{\"program\": \"primes\", \"retention\": \"P1000D\"}", "'retention' must be between"),
                Arguments.of("retention not a duration", "{\"program\": \"primes\", \"retention\": \"a week\"}", "ISO-8601 duration"),
                Arguments.of("submit with uploads pending", "{\"program\": \"checksum\", \"inputs\": [{\"name\": \"a\", \"size\": 1}], \"submit\": true}", "POST /jobs/{id}/submit"),
                Arguments.of("unknown program", "{\"program\": \"bitcoin-miner\"}", "Unknown program 'bitcoin-miner'"),
                Arguments.of("parameter below the program's minimum", "{\"program\": \"word-frequency\", \"parameters\": "
                        + "{\"top\": 0}}", "Parameter 'top' must be at least 1; got '0'."),
                Arguments.of("parameter of the wrong type", "{\"program\": \"primes\", \"parameters\": {\"to\": \"ten\"}}",
                        "Parameter 'to' must be a whole number; got 'ten'."),
                Arguments.of("parameter the program does not take", "{\"program\": \"primes\", \"parameters\": "
                        + "{\"upTo\": 10}}", "Parameter 'upTo' is not one this program takes; it takes from, to, subJobs."),
                Arguments.of("nested deeper than the parser's limit", "[".repeat(1001) + "]".repeat(1001), "at most 1,000 levels deep"),
                Arguments.of("deep nesting inside parameters", "{\"program\": \"primes\", \"parameters\": {\"a\": "
                        + "[".repeat(1000) + "]".repeat(1000) + "}}", "at most 1,000 levels deep"),
                Arguments.of("a number of 1,001 digits", "{\"program\": \"primes\", \"parameters\": {\"to\": "
                        + "9".repeat(1001) + "}}", "numbers with at most 1,000 digits"),
                Arguments.of("text after the JSON value", "{\"program\": \"primes\"} {\"program\": \"checksum\"}", "not valid JSON"),
                Arguments.of("an unpaired surrogate in an input name", "{\"program\": \"checksum\", \"inputs\": "
                        + "[{\"name\": \"\\ud800x.txt\", \"size\": 1}]}", "unpaired UTF-16 surrogate"),
                Arguments.of("an unpaired surrogate in a parameter", "{\"program\": \"primes\", \"parameters\": "
                        + "{\"to\": \"\\udc00\"}}", "at '/parameters/to'"));
    }

    private static String manyInputs(int count) {
        return String.join(",", Stream.iterate(0, i -> i + 1).limit(count)
                .map(i -> "{\"name\": \"f" + i + "\", \"size\": 1}").toList());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void badRequest_isRefusedWithAMessageSayingWhatToChange(String caseName, String body, String expectedInMessage) {
        ApiHarness.Response response = h.alice().post("/jobs", body);
        assertEquals(400, response.status(), caseName + ": " + response);
        assertFalse(response.code().isEmpty(), "every error carries a code");
        assertTrue(response.message().contains(expectedInMessage), caseName + ": " + response.message());
    }

    @Test
    void dependencyOnSomeoneElsesJob_isRefusedLikeAnUnknownOne() {
        ApiHarness.Response response = h.alice().post("/jobs", "{\"program\": \"primes\", \"dependsOn\": [\"" + bobsJob + "\"]}");
        assertEquals(400, response.status());
        assertTrue(response.message().contains("does not exist for this caller"), response.message());
    }

    @Test
    void dependencyOnOwnJob_isAccepted_andACycleCannotBeFormed() {
        ApiHarness.Response response = h.alice().post("/jobs", "{\"program\": \"primes\", \"dependsOn\": [\"" + alicesJob + "\"]}");
        assertEquals(201, response.status(), response.toString());
        // Dependencies must exist when a job is created and a job's own id is new, so no job can depend on itself
        // or on a job created after it: every dependency graph is acyclic by construction.
        assertEquals(List.of(alicesJob), List.of(response.body().path("job").path("dependsOn").get(0).asText()));
        h.jobs.deleteIfUnchanged(h.stored(response.body().path("job").path("jobId").asText()));
    }

    @Test
    void pageTokensEditedForTheCallersOwnPartition_areRefusedWith400() {
        for (String forged : List.of(
                "{\"S:owner\":\"alice\",\"S:jobId\":\"x\"}",
                "{\"S:owner\":\"alice\",\"S:jobId\":\"x\",\"S:createdKey\":\"k\",\"S:extra\":\"y\"}",
                "{\"S:owner\":\"alice\",\"S:jobId\":\"x\",\"N:createdKey\":\"12\"}",
                "{\"S:owner\":\"alice\",\"S:jobId\":\"\",\"S:createdKey\":\"k\"}",
                "{\"S:owner\":\"alice\",\"S:jobId\":\"" + "x".repeat(3000) + "\",\"S:createdKey\":\"k\"}")) {
            ApiHarness.Response listed = h.alice().query("nextToken", token(forged)).get("/jobs");
            assertEquals(400, listed.status(), forged + ": " + listed);
            assertTrue(listed.message().contains("pass back nextToken exactly as received"), listed.message());
        }
        ApiHarness.Response subJobs = h.alice().query("nextToken",
                token("{\"S:jobId\":\"" + alicesJob + "\",\"N:subJobIndex\":\"one\"}")).get("/jobs/" + alicesJob + "/subjobs");
        assertEquals(400, subJobs.status(), subJobs.toString());
    }

    private static String token(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void bodyOverTheLimit_isRefusedWith413() {
        String big = "{\"program\": \"checksum\", \"files\": [{\"name\": \"a\", \"content\": \"" + "x".repeat(RouteDispatcher.MAX_BODY_BYTES) + "\"}]}";
        ApiHarness.Response response = h.alice().post("/jobs", big);
        assertEquals(413, response.status());
        assertEquals("BodyTooLarge", response.code());
    }

    @Test
    void bodyThatIsNotUtf8_isRefused_notReadWithReplacementCharacters() {
        byte[] body = "{\"program\": \"checksum\", \"files\": [{\"name\": \"a.txt\", \"content\": \"caf\u00ff\"}]}"
                .getBytes(StandardCharsets.ISO_8859_1);
        ApiHarness.Response response = h.as("latin1-client").postBytes("/jobs", body);
        assertEquals(400, response.status(), response.toString());
        assertTrue(response.message().contains("not UTF-8"), response.message());
        assertEquals(0, h.as("latin1-client").get("/jobs").body().path("jobs").size(), "a refused body creates no job");
    }

    @Test
    void inlineFilesOverTheirLimit_areRefused() {
        String body = "{\"program\": \"checksum\", \"files\": [{\"name\": \"a\", \"content\": \"" + "x".repeat(3_000_000)
                + "\"}, {\"name\": \"b\", \"content\": \"" + "y".repeat(1_500_000) + "\"}]}";
        ApiHarness.Response response = h.alice().post("/jobs", body);
        assertEquals(400, response.status());
        assertTrue(response.message().contains("presigned URLs instead"), response.message());
    }

    @Test
    void badQueryParameters_areRefused() {
        assertEquals(400, h.alice().query("limit", "0").get("/jobs").status());
        assertEquals(400, h.alice().query("limit", "abc").get("/jobs").status());
        assertEquals(400, h.alice().query("status", "DONE").get("/jobs").status());
        assertEquals(400, h.alice().query("nextToken", "garbage").get("/jobs").status());
        assertEquals(400, h.alice().query("limit", "1001").get("/jobs/" + alicesJob + "/subjobs").status());
    }

    @AfterEach
    void nothingWasStored() {
        List<Job> alices = h.jobs.listForOwner("alice", Optional.empty(), Optional.empty(), 100, Optional.empty()).items();
        assertEquals(List.of(alicesJob), alices.stream().map(Job::id).toList(), "a refused request stores no job");
        assertEquals(2, h.objects.list("jobs/", 100).size(), "a refused request stores no object");
    }
}
