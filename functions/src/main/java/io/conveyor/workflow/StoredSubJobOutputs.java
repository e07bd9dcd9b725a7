package io.conveyor.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import io.conveyor.persistence.StoredJson;
import io.conveyor.persistence.Page;
import io.conveyor.programs.SubJobOutputs;
import io.conveyor.storage.ObjectStore;
import io.conveyor.subjob.SubJob;
import io.conveyor.subjob.SubJobStatus;
import io.conveyor.subjob.SubJobStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import io.conveyor.usage.UsageMeter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;

/**
 * The outputs of an attempt's successful subjobs, a page of subjobs at a time: small outputs come with the subjob
 * items, larger ones from the bucket, each page's objects fetched in parallel (the reads are independent and mostly
 * waiting); all are handed over in subjob order.
 */
final class StoredSubJobOutputs implements SubJobOutputs {
    private static final int PAGE = 200;

    private final SubJobStore subJobs;
    private final ObjectStore objects;
    private final ExecutorService readers;
    private final String jobId;
    private final int attempt;
    private final int succeeded;

    StoredSubJobOutputs(SubJobStore subJobs, ObjectStore objects, ExecutorService readers, String jobId, int attempt,
            int succeeded) {
        this.subJobs = subJobs;
        this.objects = objects;
        this.readers = readers;
        this.jobId = jobId;
        this.attempt = attempt;
        this.succeeded = succeeded;
    }

    @Override
    public int count() {
        return succeeded;
    }

    @Override
    public void forEach(OutputConsumer consumer) throws IOException {
        Optional<String> token = Optional.empty();
        do {
            Page<SubJob> page = subJobs.list(jobId, PAGE, token);
            List<SubJob> done = page.items().stream()
                    .filter(s -> s.jobAttempt() == attempt && s.status() == SubJobStatus.SUCCEEDED)
                    .toList();
            List<CompletableFuture<JsonNode>> reads = new ArrayList<>();
            for (SubJob s : done) {
                reads.add(s.output() != null ? CompletableFuture.completedFuture(read(s))
                        : CompletableFuture.supplyAsync(UsageMeter.carried(() -> read(s)), readers));
            }
            for (int i = 0; i < done.size(); i++) {
                try {
                    consumer.accept(done.get(i).index(), reads.get(i).join());
                } catch (CompletionException e) {
                    throw e.getCause() instanceof RuntimeException r ? r : e;
                }
            }
            token = page.nextToken();
        } while (token.isPresent());
    }

    private JsonNode read(SubJob subJob) {
        byte[] content = subJob.output() != null ? subJob.output().getBytes(StandardCharsets.UTF_8)
                : objects.get(subJob.outputKey()).orElseThrow(() -> new IllegalStateException(
                        "the output of subjob " + subJob.index() + " of job " + jobId + " is missing from the bucket"));
        try {
            return StoredJson.MAPPER.readTree(content);
        } catch (IOException e) {
            throw new IllegalStateException("the output of subjob " + subJob.index() + " of job " + jobId + " is not JSON", e);
        }
    }
}
