package io.conveyor.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.conveyor.persistence.StoredJson;
import io.conveyor.testing.FixedContext;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/** The Lambda jar's logging backend: one JSON object per line, the fields Logs Insights queries, and the levels. */
class JsonLoggerTest {
    private final Logger own = LoggerFactory.getLogger("io.conveyor.cleanup.Example");
    private final Logger library = LoggerFactory.getLogger("software.amazon.awssdk.Example");

    @Test
    void theFunctionsTests_logThroughTheLambdaBackend() {
        assertTrue(own instanceof JsonLogger, "src/lambda's service file registers " + JsonLogProvider.class.getName()
                + " for the tests too, but SLF4J chose " + own.getClass().getName());
    }

    @Test
    void aLine_carriesTheMessageTheInvocationTheDiagnosticContextAndTheKeyValuePairs() throws Exception {
        List<JsonNode> lines = captured(() -> InvocationLogging.withContext(new FixedContext(10_000), () -> {
            org.slf4j.MDC.put("jobId", "job-1");
            try {
                own.atInfo().addKeyValue("jobsDeleted", 2).addKeyValue("failedJobIds", List.of("job-9"))
                        .log("deleted {} jobs", 2);
            } finally {
                org.slf4j.MDC.remove("jobId");
            }
            return null;
        }));

        assertEquals(1, lines.size(), lines.toString());
        JsonNode line = lines.get(0);
        assertEquals("INFO", line.path("level").asText());
        assertEquals("io.conveyor.cleanup.Example", line.path("logger").asText());
        assertEquals("deleted 2 jobs", line.path("message").asText());
        assertEquals(new FixedContext(0).getAwsRequestId(), line.path("function_request_id").asText());
        assertEquals("job-1", line.path("jobId").asText());
        assertEquals(2, line.path("jobsDeleted").asInt());
        assertEquals("[\"job-9\"]", line.path("failedJobIds").toString());
        java.time.Instant.parse(line.path("timestamp").asText()); // RFC 3339, or Lambda ignores it
    }

    @Test
    void theInvocationFields_areGoneAfterTheInvocation() throws Exception {
        InvocationLogging.withContext(new FixedContext(10_000), () -> null);

        List<JsonNode> lines = captured(() -> own.info("between invocations"));

        assertFalse(lines.get(0).has(InvocationLogging.REQUEST_ID), lines.get(0).toString());
    }

    @Test
    void onlyTheFirstInvocationOfAnEnvironment_isAColdStart() throws Exception {
        InvocationLogging.withContext(new FixedContext(10_000), () -> null);

        List<JsonNode> lines = captured(() -> InvocationLogging.withContext(new FixedContext(10_000), () -> {
            own.info("a later invocation");
            return null;
        }));

        assertEquals("false", lines.get(0).path("cold_start").asText());
    }

    @Test
    void anError_carriesItsTypeMessageAndStackTraceOnTheSameLine() throws Exception {
        List<JsonNode> lines = captured(() -> own.error("could not clean job {}", "job-2",
                new IllegalStateException("table is gone")));

        assertEquals(1, lines.size());
        JsonNode error = lines.get(0).path("error");
        assertEquals("could not clean job job-2", lines.get(0).path("message").asText());
        assertEquals(IllegalStateException.class.getName(), error.path("name").asText());
        assertEquals("table is gone", error.path("message").asText());
        assertTrue(error.path("stack").asText().contains("JsonLoggerTest"), error.toString());
    }

    @Test
    void conveyorLogsFromInfo_librariesFromWarn_byDefault() throws Exception {
        List<JsonNode> lines = captured(() -> {
            own.debug("not written");
            own.info("written");
            library.info("not written");
            library.warn("written");
        });

        assertEquals(List.of("written", "written"), lines.stream().map(l -> l.path("message").asText()).toList());
    }

    @Test
    void lambdasApplicationLogLevelNames_mapToSlf4jLevels() {
        assertEquals(Level.INFO, JsonLogProvider.levelNamed(null));
        assertEquals(Level.DEBUG, JsonLogProvider.levelNamed("debug"));
        assertEquals(Level.ERROR, JsonLogProvider.levelNamed("FATAL"));
    }

    private static List<JsonNode> captured(Runnable logging) throws Exception {
        PrintStream console = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            logging.run();
        } finally {
            System.setOut(console);
        }
        List<JsonNode> lines = new ArrayList<>();
        for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
            if (!line.isEmpty()) {
                lines.add(StoredJson.MAPPER.readTree(line));
            }
        }
        return lines;
    }
}
