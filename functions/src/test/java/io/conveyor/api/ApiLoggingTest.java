package io.conveyor.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.fasterxml.jackson.databind.JsonNode;
import io.conveyor.persistence.StoredJson;
import io.conveyor.testing.FixedContext;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * With the Lambda jar's logging backend (which the functions' tests use too), every line the API logs is JSON
 * carrying the request id and the job id, and none carries the caller's credentials.
 */
class ApiLoggingTest {

    @Test
    void handlerLogs_areJsonLines_withTheLambdaRequestIdAndTheJobId() throws Exception {
        ApiHarness h = new ApiHarness();
        String jobId = h.submittedJob(h.alice());
        ApiHandler handler = new ApiHandler(h.api);
        var event = EventLoader.loadApiGatewayRestEvent("events/cognito-request.json");
        event.setHttpMethod("DELETE");
        event.setPath("/jobs/" + jobId);
        String token = "Bearer eyJraWQiOiJzZWNyZXQtdG9rZW4tZm9yLXRoZS1sb2ctdGVzdCJ9";
        Map<String, String> headers = new HashMap<>(event.getHeaders());
        headers.put("Authorization", token);
        event.setHeaders(headers);

        PrintStream console = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            assertEquals(200, handler.handleRequest(event, new FixedContext(10_000)).getStatusCode());
        } finally {
            System.setOut(console);
        }

        String output = captured.toString(StandardCharsets.UTF_8);
        List<JsonNode> lines = new ArrayList<>();
        for (String line : output.split("\n")) {
            if (line.startsWith("{")) {
                lines.add(StoredJson.MAPPER.readTree(line));
            }
        }
        List<JsonNode> ours = lines.stream().filter(l -> l.has("message") && l.has("jobId")).toList();
        assertFalse(ours.isEmpty(), "the cancellation logs at least one line about the job: " + output);
        for (JsonNode line : ours) {
            assertEquals(jobId, line.path("jobId").asText());
            assertEquals(new FixedContext(0).getAwsRequestId(), line.path("function_request_id").asText());
            assertEquals("INFO", line.path("level").asText(), line.toString());
            assertTrue(line.path("logger").asText().startsWith("io.conveyor.api"), line.toString());
            assertTrue(line.has("timestamp"), line.toString());
        }
        assertFalse(output.contains(token.substring(7)), "the token must not be logged: " + output);
    }
}
