package io.conveyor.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.conveyor.deployment.Catalogue;
import io.conveyor.apiclient.JobApiClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeMapRunResponse;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;
import software.amazon.awssdk.services.sfn.model.MapRunListItem;

/**
 * A job of 10,000 subjobs, whole, against a {@link ScenarioTarget}: it succeeds with the right result, its subjobs run
 * in batches, and no state of its execution passes data anywhere near Step Functions' 256 KiB payload limit, which
 * would fail the job with an error no Catch can take: only ids, keys and counts travel. (A batch's input is bounded
 * by the ItemBatcher's {@code MaxInputBytesPerBatch}; a child execution over the limit would fail its batch, and
 * the job with it.)
 */
public abstract class LargeJobScenarios {
    /** Step Functions' limit on a state's input or output. */
    private static final int PAYLOAD_LIMIT = 256 * 1024;
    private static final Duration LARGE_JOB_TIMEOUT = Duration.ofMinutes(10);

    protected abstract ScenarioTarget target();

    @Test
    void tenThousandSubjobs_succeed_andNoStateDataApproachesThePayloadLimit() {
        JobApiClient alice = target().api("alice");
        String id = Scenarios.submit(alice, "primes", Map.of("to", 1_000_000, "subJobs", 10_000));

        JsonNode job = Scenarios.awaitEnd(alice, id, LARGE_JOB_TIMEOUT);
        assertEquals("SUCCEEDED", job.path("status").asText(), job.toString());
        assertEquals(10_000, job.path("progress").path("total").asInt());
        assertEquals(10_000, job.path("progress").path("succeeded").asInt());
        JsonNode result = Scenarios.result(alice, id);
        assertEquals(78_498, result.path("primes").asLong(), "the primes below a million");
        assertEquals(10_000, result.path("subJobs").asInt());

        try (SfnClient sfn = target().stepFunctions()) {
            String execution = target().stateMachineArn(Catalogue.WORKFLOW_PREFIX + "primes")
                    .replace(":stateMachine:", ":execution:") + ":" + id + "-1";
            int largest = largestStateData(sfn, execution);
            List<MapRunListItem> mapRuns = sfn.listMapRuns(b -> b.executionArn(execution)).mapRuns();
            assertEquals(1, mapRuns.size());
            String mapRun = mapRuns.get(0).mapRunArn();
            DescribeMapRunResponse run = sfn.describeMapRun(b -> b.mapRunArn(mapRun));
            assertEquals(10_000L, run.itemCounts().succeeded());
            long batches = run.executionCounts().succeeded();
            assertTrue(batches >= 10_000 / 15 && batches < 10_000, "the subjobs run in batches, each a child execution: " + batches);
            assertTrue(largest < PAYLOAD_LIMIT / 8, "the largest state input or output took " + largest + " bytes");
        }
    }

    /** The size in bytes of the largest state input or output in the execution's history. */
    private static int largestStateData(SfnClient sfn, String executionArn) {
        int largest = 0;
        for (HistoryEvent e : sfn.getExecutionHistoryPaginator(b -> b.executionArn(executionArn).includeExecutionData(true)).events()) {
            List<String> data = new ArrayList<>();
            if (e.stateEnteredEventDetails() != null) {
                data.add(e.stateEnteredEventDetails().input());
            }
            if (e.stateExitedEventDetails() != null) {
                data.add(e.stateExitedEventDetails().output());
            }
            if (e.executionStartedEventDetails() != null) {
                data.add(e.executionStartedEventDetails().input());
            }
            if (e.executionSucceededEventDetails() != null) {
                data.add(e.executionSucceededEventDetails().output());
            }
            if (e.taskSucceededEventDetails() != null) {
                data.add(e.taskSucceededEventDetails().output());
            }
            for (String d : data) {
                if (d != null) {
                    largest = Math.max(largest, d.getBytes(StandardCharsets.UTF_8).length);
                }
            }
        }
        return largest;
    }
}
