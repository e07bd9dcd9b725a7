package io.conveyor.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.conveyor.persistence.Json;
import io.conveyor.testing.FixedContext;
import java.io.StringWriter;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.StringLayout;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.junit.jupiter.api.Test;

/** With the functions' own logging configuration, every line is JSON carrying the request id and the job id. */
class ApiLoggingTest {

    @Test
    void handlerLogs_areJsonLines_withTheLambdaRequestIdAndTheJobId() throws Exception {
        ApiHarness h = new ApiHarness();
        String jobId = h.submittedJob(h.alice());
        LoggerContext logging = (LoggerContext) LogManager.getContext(false);
        URI testConfiguration = logging.getConfigLocation();
        StringWriter captured = new StringWriter();
        List<JsonNode> lines = new ArrayList<>();
        try {
            logging.setConfigLocation(getClass().getResource("/log4j2.xml").toURI());
            // The functions' own JSON layout, written where the test can read it instead of to the console.
            Configuration configuration = logging.getConfiguration();
            Appender json = WriterAppender.createAppender(
                    (StringLayout) configuration.getAppender("JsonAppender").getLayout(), null, captured, "captured", false, true);
            json.start();
            configuration.getLoggerConfig("io.conveyor").addAppender(json, null, null);
            logging.updateLoggers();
            ApiHandler handler = new ApiHandler(h.api);
            var event = com.amazonaws.services.lambda.runtime.tests.EventLoader.loadApiGatewayRestEvent("events/cognito-request.json");
            event.setHttpMethod("DELETE");
            event.setPath("/jobs/" + jobId);
            assertEquals(200, handler.handleRequest(event, new FixedContext(10_000)).getStatusCode());
        } finally {
            logging.setConfigLocation(testConfiguration);
        }
        for (String line : captured.toString().split("\n")) {
            if (line.startsWith("{")) {
                lines.add(Json.MAPPER.readTree(line));
            }
        }
        List<JsonNode> ours = lines.stream().filter(l -> l.has("message") && l.has("jobId")).toList();
        assertFalse(ours.isEmpty(), "the cancellation logs at least one line about the job: " + captured);
        for (JsonNode line : ours) {
            assertEquals(jobId, line.path("jobId").asText());
            assertEquals(new FixedContext(0).getAwsRequestId(), line.path("function_request_id").asText());
            assertTrue(line.has("level") && line.has("timestamp"), line.toString());
        }
    }
}
