package io.conveyor.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import io.conveyor.admission.ActiveJobCounters;
import io.conveyor.job.Job;
import io.conveyor.job.JobStore;
import io.conveyor.persistence.StoredJson;
import io.conveyor.program.ProgramRegistry;
import io.conveyor.programs.DeclaredInput;
import io.conveyor.storage.JobObjectLayout;
import io.conveyor.storage.ObjectStore;
import io.conveyor.subjob.SubJobStore;
import io.conveyor.testing.LocalAws;
import io.conveyor.testing.MutableClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The workflow's services on our DynamoDB emulator and S3Proxy, with the Step Functions callbacks and the event bus
 * recorded; the steps are driven by hand, as the state machine would drive them.
 */
final class WorkflowHarness {
    /** These tests register no program written as Lambda functions, so nothing may build a Lambda client. */
    private static final java.util.function.Supplier<io.conveyor.aws.AwsHttpService> NO_LAMBDA = () -> {
        throw new AssertionError("no program of this test is a Lambda function");
    };

    static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

    final LocalAws.Deployment deployment;
    final MutableClock clock = new MutableClock(T0);
    final RecordingCallbacks callbacks = new RecordingCallbacks();
    final RecordingEvents events = new RecordingEvents();
    final JobStore jobs;
    final SubJobStore subJobs;
    final ActiveJobCounters counters;
    final ObjectStore objects;
    final WorkflowComponents components;
    private final AtomicInteger tokens = new AtomicInteger();
    private final AtomicInteger ids = new AtomicInteger();

    WorkflowHarness() {
        this(Map.of());
    }

    WorkflowHarness(Map<String, String> settings) {
        deployment = LocalAws.get().newDeployment(settings);
        jobs = deployment.jobs();
        subJobs = deployment.subJobs();
        counters = deployment.counters();
        objects = new ObjectStore(deployment.s3(), deployment.presigner(), deployment.settings().bucket(), clock);
        components = componentsOver(objects);
    }

    /** The workflow's services over this deployment, reaching the bucket through {@code objects}. */
    WorkflowComponents componentsOver(ObjectStore objects) {
        return WorkflowComponents.wire(deployment.settings(), deployment.dynamoDb(), objects, callbacks, events,
                ProgramRegistry.from(Map.of(ProgramRegistry.SETTING, OutcomeProgram.REGISTRATION)), NO_LAMBDA, clock);
    }

    WorkflowSteps workflow() {
        return components.workflow();
    }

    /** A submitted job of {@code owner}, with text inputs stored in the bucket. */
    Job queued(String owner, String program, Map<String, String> parameters, List<String> dependsOn, String... files) {
        clock.advance(Duration.ofMillis(1));
        String id = owner + "-" + program + "-" + ids.incrementAndGet();
        List<DeclaredInput> inputs = new ArrayList<>();
        for (int i = 0; i < files.length; i++) {
            byte[] content = files[i].getBytes(StandardCharsets.UTF_8);
            inputs.add(new DeclaredInput("f" + i + ".txt", content.length, "text/plain", null));
            objects.put(JobObjectLayout.input(id, "f" + i + ".txt"), content, "text/plain");
        }
        Job created = jobs.create(Job.create(id, owner, program, parameters, inputs, dependsOn, null, Duration.ofDays(7),
                clock.instant()));
        return jobs.update(created.submit(clock.instant()));
    }

    String token() {
        return "token-" + tokens.incrementAndGet();
    }

    /** Parks the job at Admit and returns its token. */
    String admit(Job job) {
        String token = token();
        components.admissions().enqueue(job, token);
        return token;
    }

    boolean resumed(String token) {
        return callbacks.outcomes.containsKey(token) && callbacks.outcomes.get(token).succeeded();
    }

    /** The subjobs the split listed, as the map hands them to RunSubJob. */
    List<WorkflowSteps.BatchItem> manifest(WorkflowSteps.Split split) throws java.io.IOException {
        List<WorkflowSteps.BatchItem> items = new ArrayList<>();
        for (JsonNode item : StoredJson.MAPPER.readTree(objects.get(split.manifestKey()).orElseThrow())) {
            items.add(new WorkflowSteps.BatchItem(item.path("index").asInt(), item.path("input")));
        }
        return items;
    }

    /** Runs one subjob as a batch of its own. */
    void runSubJob(Job job, int attempt, int index, String input) throws java.io.IOException {
        workflow().runSubJobs(job.id(), attempt, List.of(new WorkflowSteps.BatchItem(index, StoredJson.MAPPER.readTree(input))));
    }

    Job stored(String id) {
        return jobs.get(id).orElseThrow();
    }

    /** Runs a running job from Split to Finalize, every batch of subjobs once, and returns its result. */
    JsonNode runToSuccess(Job job) throws Exception {
        int attempt = stored(job.id()).attempts().size();
        WorkflowSteps.Split split = workflow().split(job.id(), attempt);
        List<WorkflowSteps.BatchItem> items = manifest(split);
        for (int from = 0; from < items.size(); from += split.subJobsPerBatch()) {
            workflow().runSubJobs(job.id(), attempt, items.subList(from, Math.min(from + split.subJobsPerBatch(), items.size())));
        }
        workflow().confirmSubJobs(job.id(), attempt);
        String resultKey = workflow().aggregate(job.id(), attempt);
        workflow().finalizeJob(job.id(), attempt, resultKey);
        return StoredJson.MAPPER.readTree(objects.get(resultKey).orElseThrow());
    }
}
