package io.conveyor.api;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** What the API handler runs before the SnapStart snapshot: a read-only request that succeeds and counts nothing. */
class ApiPrimingTest {

    @Test
    void priming_answersGetProgramsWith200_andPublishesNoMetric() {
        ApiHandler handler = new ApiHandler(new ApiHarness().api);
        PrintStream console = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            handler.prime();
        } finally {
            System.setOut(console);
        }

        String output = captured.toString(StandardCharsets.UTF_8);
        assertTrue(output.contains("answered GET /programs: 200"), output);
        assertFalse(output.contains("\"_aws\""), "priming must not publish a metric: " + output);
    }
}
