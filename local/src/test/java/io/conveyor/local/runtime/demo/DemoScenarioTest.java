package io.conveyor.local.runtime.demo;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conveyor.deployment.Catalogue;
import io.conveyor.local.runtime.testing.LocalRuntimeExtension;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The demo's job, end to end through the HTTP API, on the runtime as scenario tests use it. */
class DemoScenarioTest {
    @RegisterExtension
    static final LocalRuntimeExtension RUNTIME = new LocalRuntimeExtension();

    @Test
    void wordFrequencyJob_runsFromUploadToResult_andPublishesItsEnd() {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);

        boolean succeeded = new Demo(RUNTIME.api("scenario"), RUNTIME.runtime().events(), out, Duration.ofMinutes(2),
                Duration.ofMillis(50)).run();

        String transcript = printed.toString(StandardCharsets.UTF_8);
        assertTrue(succeeded, transcript);
        assertTrue(transcript.contains("\"word\" : \"the\""), transcript);
        assertTrue(transcript.contains("\"totalWords\" : 2196"), transcript);
        assertTrue(transcript.contains("[demo] usage {\"stateTransitions\":"), transcript);
        assertTrue(transcript.matches("(?s).*\\[demo\\] cost in US dollars \\{\"total\":0\\.\\d+,.*"), transcript);
        // The status is written first and the event published after it: wait for the event.
        RUNTIME.runtime().events().await(e -> e.detailType().equals("JobStatusChanged")
                && e.bus().equals(Catalogue.EVENT_BUS) && e.detail().path("newStatus").asText().equals("SUCCEEDED")
                && e.detail().path("owner").asText().equals("scenario"), Duration.ofSeconds(30));
    }
}
