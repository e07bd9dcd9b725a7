package io.conveyor.local.runtime.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.conveyor.apiclient.JobApiClient;
import io.conveyor.deployment.Catalogue;
import io.conveyor.local.runtime.LocalRuntime;
import io.conveyor.local.runtime.LocalRuntimeOptions;
import io.conveyor.local.runtime.events.ExecutionStatusEvents;
import io.conveyor.local.runtime.lambda.Invocation;
import io.conveyor.local.runtime.testing.LocalRuntimeExtension;
import io.conveyor.persistence.StoredJson;
import io.conveyor.scenarios.Await;
import io.conveyor.scenarios.Scenarios;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sfn.SfnClient;

/**
 * A job whose execution ended while the {@code JobExecutionEnded} rule was disabled, so its event reached no one:
 * the execution sweep, run by its schedule, ends the job as the rule would have.
 */
class LostExecutionEventTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @RegisterExtension
    static final LocalRuntimeExtension RUNTIME = new LocalRuntimeExtension(LocalRuntimeOptions.builder()
            .timeScale(LocalRuntimeExtension.DEFAULT_TIME_SCALE)
            .environment("CONVEYOR_PROGRAMS", Scenarios.PROGRAMS)
            // A suspect as soon as its status stands still: the sweep is fired by hand right after the stop.
            .environment("CONVEYOR_SWEEP_QUIET_PERIOD", "PT0S")
            .build());

    @Test
    void aWorkflowStoppedWhileTheRuleIsDisabled_staysRunning_untilTheSweepEndsIt_once() {
        LocalRuntime runtime = RUNTIME.runtime();
        JobApiClient alice = RUNTIME.api("alice");
        String id = alice.post("/jobs", "{\"program\": \"scenario\", \"parameters\": {\"subJobs\": 1, \"workMillis\": 8000},"
                + " \"submit\": true}").json().path("job").path("jobId").asText();
        awaitStatus(alice, id, "RUNNING");

        runtime.executionEndedRule().enabled(false);
        String executionArn = runtime.deployment().stateMachineArn(Catalogue.WORKFLOW_PREFIX + "scenario")
                .replace(":stateMachine:", ":execution:") + ":" + id + "-1";
        try (SfnClient sfn = SfnClient.builder().endpointOverride(runtime.endpoints().stepFunctions())
                .region(Region.of(runtime.options().region())).httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(LocalRuntime.ACCESS_KEY,
                        LocalRuntime.SECRET_KEY))).build()) {
            sfn.stopExecution(r -> r.executionArn(executionArn).error("Ops.Stopped").cause("stuck, said the pager"));
        }
        runtime.events().await(e -> e.bus().equals(ExecutionStatusEvents.DEFAULT_BUS)
                && e.detail().path("executionArn").asText().equals(executionArn)
                && e.detail().path("status").asText().equals("ABORTED"), WAIT);
        assertEquals("RUNNING", job(alice, id).path("status").asText(), "the event went out, and no rule took it");

        JsonNode report = sweep(runtime);
        assertEquals(1, report.path("ended").asInt(), report.toString());
        assertEquals(id, report.path("endedJobIds").path(0).asText());
        JsonNode ended = job(alice, id);
        assertEquals("FAILED", ended.path("status").asText(), ended.toString());
        assertEquals("Workflow.Stopped", ended.path("error").path("code").asText());
        assertEquals("The job's workflow was stopped outside Conveyor: stuck, said the pager",
                ended.path("error").path("message").asText());

        runtime.executionEndedRule().enabled(true);
        assertEquals(0, sweep(runtime).path("suspects").asInt(), "an ended job is no longer a suspect");
        assertEquals(ended, job(alice, id), "a second run changes nothing");
    }

    private static JsonNode sweep(LocalRuntime runtime) {
        Invocation run = runtime.scheduler().fire(Catalogue.EXECUTION_SWEEP_SCHEDULE.name());
        if (run == null || run.failed()) {
            throw new AssertionError("the sweep's run failed: " + (run == null ? "not invoked (see the log)" : run.payload()));
        }
        try {
            return StoredJson.MAPPER.readTree(run.payload());
        } catch (java.io.IOException e) {
            throw new AssertionError("the sweep answered " + run.payload(), e);
        }
    }

    private static JsonNode job(JobApiClient api, String id) {
        JobApiClient.Response response = api.get("/jobs/" + id);
        assertEquals(200, response.status(), response.text());
        return response.json().path("job");
    }

    private static void awaitStatus(JobApiClient api, String id, String status) {
        Await.until("job " + id + " to be " + status, WAIT, () -> status.equals(job(api, id).path("status").asText())
                ? Boolean.TRUE : null);
    }
}
