package io.conveyor.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.conveyor.apiclient.JobApiClient;
import io.conveyor.scenarios.ScenarioTarget.Capability;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Whole jobs of a program written in Node.js ({@code scenarios/src/main/resources/programs/word-count.js}), whose splitter,
 * worker and aggregator are one Lambda function, {@value #FUNCTION}, named three ways: the workflow invokes it through
 * the Lambda API with the conveyor.program/1 JSON, and its errors take the paths of a Java program's.
 */
public abstract class ProgramFunctionScenarios {
    /** The Node.js program's function. */
    protected static final String FUNCTION = "word-count-node";
    /** The program: its splitter with an alias, its worker by name, its aggregator by ARN. */
    protected static final String PROGRAMS = """
            [{"name": "word-count-node", "splitter": "lambda:%1$s:live", "worker": "lambda:%1$s",
              "aggregator": "lambda:arn:aws:lambda:us-east-1:000000000000:function:%1$s",
              "toleratedFailurePercentage": 50, "maxConcurrency": 4, "subJobTimeoutSeconds": 60,
              "retry": {"intervalSeconds": 1, "backoffRate": 2.0, "maxDelaySeconds": 2, "jitter": "FULL", "maxAttempts": 3},
              "reRegistration": {"delaySeconds": 1, "maxAttempts": 1}}]""".formatted(FUNCTION);

    private JobApiClient alice;

    /** The deployment these scenarios run against, running from before the first scenario to after the last. */
    protected abstract ScenarioTarget target();

    /**
     * The Node.js program, copied out of this module's class path into a file of its own, since the module is a jar
     * when another module's tests run it.
     */
    protected static Path nodeProgram() {
        try (InputStream script = ProgramFunctionScenarios.class.getResourceAsStream("/programs/word-count.js")) {
            Path file = Files.createTempFile("word-count", ".js");
            file.toFile().deleteOnExit();
            Files.copy(script, file, StandardCopyOption.REPLACE_EXISTING);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy the Node.js program out of the class path", e);
        }
    }

    @BeforeEach
    void callAsAlice() {
        Scenarios.require(target(), Capability.NODE_PROGRAM_FUNCTION);
        alice = target().api("alice");
    }

    @Test
    void declinedSubjob_isRetriedAndSucceeds_andTheNodeAggregatorReadsEveryOutputInOrder() {
        String id = submit(Map.of("declines", "1"), file("a.txt", "one two three"), file("b.txt", "four five"),
                file("c.txt", "six"));
        JsonNode job = Scenarios.awaitEnd(alice, id);
        assertEquals("SUCCEEDED", job.path("status").asText(), job.toString());
        for (JsonNode subJob : alice.get("/jobs/" + id + "/subjobs").json().path("subJobs")) {
            assertEquals(2, subJob.path("attempts").asInt(), "declined once (SubJob.Declined), then done: " + subJob);
            for (int attempt = 1; attempt <= 2; attempt++) {
                JsonNode run = subJob.path("runs").get(attempt - 1);
                assertEquals(attempt, run.path("attempt").asInt(), subJob.toString());
                assertEquals("FUNCTION", run.path("kind").asText(), subJob.toString());
                assertEquals("RunSubJob", run.path("function").asText(), "the catalogue's function ran it: " + subJob);
                assertEquals(FUNCTION, run.path("programFunction").asText(), "invoking the program's own: " + subJob);
            }
        }
        JsonNode result = Scenarios.result(alice, id);
        assertEquals(3, result.path("files").asInt());
        assertEquals(6, result.path("totalWords").asInt());
        for (int i = 0; i < 3; i++) {
            JsonNode file = result.path("perFile").get(i);
            assertEquals(i, file.path("index").asInt());
            assertEquals(String.valueOf((char) ('a' + i)) + ".txt", file.path("file").asText());
            assertEquals(2, file.path("invocations").asInt());
        }
    }

    @Test
    void workerFailingForGood_isRecordedWithItsCodeAndMessage_withinTheTolerance() {
        String id = submit(Map.of(), file("a.txt", "fine words here"), file("b.txt", "UNREADABLE"));
        JsonNode job = Scenarios.awaitEnd(alice, id);
        assertEquals("SUCCEEDED", job.path("status").asText(), job.toString());
        assertEquals(1, job.path("progress").path("failed").asInt());
        JsonNode failed = alice.get("/jobs/" + id + "/subjobs").json().path("subJobs").get(1);
        assertEquals("FAILED", failed.path("status").asText(), failed.toString());
        assertEquals(1, failed.path("attempts").asInt(), "a permanent error is not retried: " + failed);
        assertEquals("Program.Failed", failed.path("error").path("code").asText());
        assertEquals("the worker function " + FUNCTION + " of program word-count-node failed with WordCount.Unreadable: "
                + "b.txt cannot be counted", failed.path("error").path("message").asText());
        assertEquals(3, Scenarios.result(alice, id).path("totalWords").asInt());
    }

    @Test
    void splitterRefusingTheParameters_failsTheJobWithProgramInvalidParameters() {
        String id = submit(Map.of("minLength", "0"), file("a.txt", "words"));
        JsonNode job = Scenarios.awaitEnd(alice, id);
        assertEquals("FAILED", job.path("status").asText(), job.toString());
        assertEquals("Program.InvalidParameters", job.path("error").path("code").asText());
        assertEquals("parameter 'minLength' must be a whole number from 1, was '0'", job.path("error").path("message").asText());
        assertTrue(job.path("attempts").size() == 1, "invalid parameters are not re-registered: " + job);
    }

    private String submit(Map<String, Object> parameters, String... files) {
        return Scenarios.submit(alice, "word-count-node", parameters, ", \"files\": [" + String.join(", ", files) + "]");
    }

    private static String file(String name, String content) {
        return "{\"name\": \"" + name + "\", \"content\": \"" + content + "\", \"contentType\": \"text/plain\"}";
    }
}
