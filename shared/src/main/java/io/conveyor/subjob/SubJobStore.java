package io.conveyor.subjob;

import io.conveyor.job.JobError;
import io.conveyor.job.JobStore;
import io.conveyor.persistence.IndexDefinition;
import io.conveyor.persistence.KeyAttribute;
import io.conveyor.persistence.Page;
import io.conveyor.persistence.PageTokens;
import io.conveyor.persistence.TableDefinition;
import io.conveyor.persistence.Timestamps;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryConditional;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryEnhancedRequest;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DeleteRequest;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * The subjobs table. Each change of a subjob's status is written in one transaction with the matching change
 * of its job's progress counters, conditional on the subjob's previous status: Step Functions may deliver a
 * task twice, and a repeated start or outcome then changes nothing and counts nothing twice.
 *
 * <p>Thread-safe.
 */
public final class SubJobStore {

    /** The subjobs table: a job's subjobs in index order. */
    public static final TableDefinition TABLE = new TableDefinition(
            "SubJobs",
            "CONVEYOR_SUBJOBS_TABLE",
            KeyAttribute.string(SubJobItem.JOB_ID),
            Optional.of(KeyAttribute.number(SubJobItem.INDEX)),
            List.<IndexDefinition>of(),
            Optional.empty());

    /** The most subjobs one listing page returns. */
    public static final int MAX_PAGE_SIZE = 1000;

    private static final int BATCH_WRITE_LIMIT = 25;
    /** Subjob changes per transaction: DynamoDB takes 100 writes, and one is the job's progress. */
    private static final int SUBJOBS_PER_TRANSACTION = 99;

    /**
     * A subjob's outcome as the worker invocation that ran it saw it.
     *
     * @param outputKey where its output is, for a success whose output is in the bucket
     * @param output    its output as JSON text, for a success whose output is small enough to keep with the subjob
     * @param error     why it failed, for a failure
     * @param duration  how long the worker ran it
     */
    public record Outcome(int index, SubJobStatus status, String outputKey, String output, JobError error, Duration duration) {
        /** The longest output kept with its subjob item; a longer one goes to the bucket. */
        public static final int MAX_KEPT_OUTPUT_BYTES = 4096;

        public Outcome {
            if (!status.isOutcome()) {
                throw new IllegalArgumentException("an outcome is SUCCEEDED or FAILED, not " + status);
            }
            if (output != null && !fitsWithSubJob(output)) {
                throw new IllegalArgumentException("an output kept with its subjob may take " + MAX_KEPT_OUTPUT_BYTES
                        + " bytes at most; put it in the bucket");
            }
        }

        /** Whether {@code output} is small enough to keep with its subjob item. */
        public static boolean fitsWithSubJob(String output) {
            return output.length() <= MAX_KEPT_OUTPUT_BYTES
                    && output.getBytes(java.nio.charset.StandardCharsets.UTF_8).length <= MAX_KEPT_OUTPUT_BYTES;
        }

        /** A success whose output is in the bucket under {@code outputKey}. */
        public static Outcome succeededWithOutputAt(int index, String outputKey, Duration duration) {
            return new Outcome(index, SubJobStatus.SUCCEEDED, outputKey, null, null, duration);
        }

        /** A success whose (small) output is kept with the subjob. */
        public static Outcome succeededWithOutput(int index, String output, Duration duration) {
            return new Outcome(index, SubJobStatus.SUCCEEDED, null, output, null, duration);
        }

        public static Outcome failed(int index, JobError error, Duration duration) {
            return new Outcome(index, SubJobStatus.FAILED, null, null, error, duration);
        }
    }

    /** How a transaction of subjob changes and their job's progress ended. */
    private enum Written { ALL, JOB_NOT_RUNNING, SUBJOB_CHANGED }

    private final DynamoDbClient dynamoDb;
    private final String tableName;
    private final DynamoDbTable<SubJobItem> table;
    private final JobStore jobs;

    public SubJobStore(DynamoDbClient dynamoDb, String tableName, JobStore jobs) {
        this.dynamoDb = dynamoDb;
        this.tableName = tableName;
        this.table = DynamoDbEnhancedClient.builder().dynamoDbClient(dynamoDb).build().table(tableName, SubJobItem.SCHEMA);
        this.jobs = jobs;
    }

    /**
     * Records the subjobs the splitter produced for attempt {@code attempt} of job {@code jobId}, all pending, and
     * sets the job's subjob total. Repeating it with the same subjobs changes nothing.
     *
     * @throws software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException when the job is not
     *     running that attempt
     */
    public void registerAll(String jobId, int attempt, List<SubJob> subJobs) {
        for (SubJob s : subJobs) {
            if (!s.jobId().equals(jobId) || s.jobAttempt() != attempt || s.status() != SubJobStatus.PENDING) {
                throw new IllegalArgumentException("subjob " + s.index() + " is not a pending subjob of attempt "
                        + attempt + " of job " + jobId);
            }
        }
        List<TransactWriteItem> writes = new ArrayList<>();
        if (subJobs.size() <= SUBJOBS_PER_TRANSACTION) {
            // A small job's subjobs ride in the job's own transaction: one request rather than two or more.
            for (SubJob s : subJobs) {
                writes.add(TransactWriteItem.builder().put(Put.builder().tableName(tableName).item(item(s)).build()).build());
            }
        } else {
            for (int from = 0; from < subJobs.size(); from += BATCH_WRITE_LIMIT) {
                writeBatch(subJobs.subList(from, Math.min(from + BATCH_WRITE_LIMIT, subJobs.size())).stream()
                        .map(s -> WriteRequest.builder().putRequest(PutRequest.builder().item(item(s)).build()).build())
                        .toList());
            }
        }
        writes.add(TransactWriteItem.builder().update(jobs.splitInto(jobId, attempt, subJobs.size())).build());
        dynamoDb.transactWriteItems(t -> t.transactItems(writes));
    }

    /** A subjob as the table stores it. */
    private static Map<String, AttributeValue> item(SubJob subJob) {
        return SubJobItem.SCHEMA.itemToMap(SubJobItem.from(subJob), true);
    }

    /** Writes one batch, resending what DynamoDB left unprocessed under throttling, with a growing pause. */
    private void writeBatch(List<WriteRequest> batch) {
        Map<String, List<WriteRequest>> pending = Map.of(tableName, batch);
        for (int round = 0; !pending.isEmpty(); round++) {
            if (round > 0) {
                pause(Math.min(1000L, 25L << Math.min(round, 6)));
            }
            Map<String, List<WriteRequest>> request = pending;
            BatchWriteItemResponse response = dynamoDb.batchWriteItem(b -> b.requestItems(request));
            pending = response.hasUnprocessedItems() ? response.unprocessedItems() : Map.of();
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while backing off a throttled batch write", e);
        }
    }

    /** The subjob, if registered. */
    public Optional<SubJob> get(String jobId, int index) {
        return Optional.ofNullable(table.getItem(r -> r.key(key(jobId, index)).consistentRead(true)))
                .map(SubJobItem::toSubJob);
    }

    /**
     * A worker invocation for the subjob starts. The first start of a pending subjob counts it as running in its
     * job's progress; a retry only adds to its attempts. A start that comes after the outcome changes nothing.
     *
     * @return {@code true} if the invocation may run; {@code false} if the subjob's outcome is recorded already (a
     *     repeated delivery) or there is no such subjob in that attempt
     */
    public boolean start(String jobId, int index, int attempt, Instant now) {
        Update firstStart = firstStart(jobId, index, attempt, now);
        if (transact(List.of(firstStart), jobs.progressChange(jobId, attempt, 1, 0, 0)) == Written.ALL) {
            return true;
        }
        Update retry = restart(jobId, index, attempt);
        try {
            dynamoDb.updateItem(b -> b.tableName(tableName).key(retry.key())
                    .updateExpression(retry.updateExpression())
                    .conditionExpression(retry.conditionExpression())
                    .expressionAttributeNames(retry.expressionAttributeNames())
                    .expressionAttributeValues(retry.expressionAttributeValues()));
            return true;
        } catch (ConditionalCheckFailedException alreadyEndedOrUnknown) {
            return false;
        }
    }

    /**
     * A worker invocation for a batch of subjobs starts: {@link #start} for each, in one transaction per 99 subjobs
     * instead of two calls each. The first delivery of a batch, the common case, finds them all pending and writes
     * without reading; otherwise (a retry, a repeated delivery) the subjobs are read with one query and each is
     * started as it stands, and one that changed meanwhile (a racing delivery) falls back to {@link #start}.
     *
     * @return the indices of the subjobs that may run, in the order asked: those of this attempt without a recorded
     *     outcome; none once the job no longer runs this attempt
     */
    public List<Integer> startAll(String jobId, int attempt, List<Integer> indices, Instant now) {
        List<Integer> started = new ArrayList<>();
        for (int from = 0; from < indices.size(); from += SUBJOBS_PER_TRANSACTION) {
            List<Integer> chunk = indices.subList(from, Math.min(from + SUBJOBS_PER_TRANSACTION, indices.size()));
            List<Update> firstStarts = chunk.stream().map(i -> firstStart(jobId, i, attempt, now)).toList();
            Written written = transact(firstStarts, jobs.progressChange(jobId, attempt, chunk.size(), 0, 0));
            if (written == Written.JOB_NOT_RUNNING) {
                return started;
            }
            if (written == Written.ALL) {
                started.addAll(chunk);
            } else if (!startAsFound(jobId, attempt, chunk, now, started)) {
                return started;
            }
        }
        return started;
    }

    /**
     * Starts the subjobs among {@code indices} as they are found: a pending one for the first time, a running one
     * again; adds them to {@code started}.
     *
     * @return {@code false} if the job no longer runs this attempt
     */
    private boolean startAsFound(String jobId, int attempt, List<Integer> indices, Instant now, List<Integer> started) {
        Map<Integer, SubJob> current = range(jobId, indices);
        List<SubJob> runnable = indices.stream().map(current::get)
                .filter(s -> s != null && s.jobAttempt() == attempt && !s.status().isOutcome())
                .toList();
        if (runnable.isEmpty()) {
            return true;
        }
        List<Update> changes = new ArrayList<>();
        int firstStarts = 0;
        for (SubJob s : runnable) {
            boolean first = s.status() == SubJobStatus.PENDING;
            changes.add(first ? firstStart(jobId, s.index(), attempt, now) : restart(jobId, s.index(), attempt));
            firstStarts += first ? 1 : 0;
        }
        Written written = transact(changes, jobs.progressChange(jobId, attempt, firstStarts, 0, 0));
        if (written == Written.JOB_NOT_RUNNING) {
            return false;
        }
        for (SubJob s : runnable) {
            if (written == Written.ALL || start(jobId, s.index(), attempt, now)) {
                started.add(s.index());
            }
        }
        return true;
    }

    /**
     * Records the outcomes of subjobs a worker invocation started, counting them in their job's progress: one
     * transaction per 99 subjobs. A subjob whose outcome was recorded meanwhile (a racing delivery) falls back to
     * the one-by-one path, which leaves it as it is.
     *
     * @return the outcomes this call recorded; none of those after the job stopped running this attempt
     */
    public List<Outcome> recordAll(String jobId, int attempt, List<Outcome> outcomes, Instant now) {
        List<Outcome> recorded = new ArrayList<>();
        for (int from = 0; from < outcomes.size(); from += SUBJOBS_PER_TRANSACTION) {
            List<Outcome> chunk = outcomes.subList(from, Math.min(from + SUBJOBS_PER_TRANSACTION, outcomes.size()));
            List<Update> changes = new ArrayList<>();
            int succeeded = 0;
            for (Outcome o : chunk) {
                changes.add(outcomeUpdate(jobId, o.index(), attempt, SubJobStatus.RUNNING, o));
                succeeded += o.status() == SubJobStatus.SUCCEEDED ? 1 : 0;
            }
            Written written = transact(changes,
                    jobs.progressChange(jobId, attempt, -chunk.size(), succeeded, chunk.size() - succeeded));
            if (written == Written.JOB_NOT_RUNNING) {
                return recorded;
            }
            for (Outcome o : chunk) {
                if (written == Written.ALL || recordOutcome(jobId, attempt, o, now).isPresent()) {
                    recorded.add(o);
                }
            }
        }
        return recorded;
    }

    /** The subjobs among {@code indices}, by index, read with one query over their range. */
    private Map<Integer, SubJob> range(String jobId, List<Integer> indices) {
        Map<Integer, SubJob> found = new HashMap<>();
        if (indices.isEmpty()) {
            return found;
        }
        int lowest = indices.stream().mapToInt(Integer::intValue).min().orElseThrow();
        int highest = indices.stream().mapToInt(Integer::intValue).max().orElseThrow();
        table.query(QueryEnhancedRequest.builder()
                        .queryConditional(QueryConditional.sortBetween(key(jobId, lowest), key(jobId, highest)))
                        .consistentRead(true)
                        .build())
                .items()
                .forEach(i -> found.put(i.index, i.toSubJob()));
        return found;
    }

    /**
     * Records that the subjob failed for good with {@code error}, and counts it in its job's progress, unless an
     * outcome is recorded already.
     *
     * @return how long the subjob took if this call recorded the outcome; empty if one was recorded before, or if
     *     the job has no such subjob in this attempt (a failure delivered for an attempt that was replaced)
     */
    public Optional<Duration> recordFailure(String jobId, int index, int attempt, JobError error, Instant now) {
        return recordOutcome(jobId, attempt, new Outcome(index, SubJobStatus.FAILED, null, null, error, null), now);
    }

    /**
     * Records {@code outcome} unless the subjob has one already or is not one of this attempt. Its duration is how
     * long the worker ran it, or, when the outcome does not say, the time since its first start.
     */
    private Optional<Duration> recordOutcome(String jobId, int attempt, Outcome outcome, Instant now) {
        int index = outcome.index();
        Optional<SubJob> found = get(jobId, index).filter(s -> s.jobAttempt() == attempt);
        if (found.isEmpty() || found.get().status().isOutcome()) {
            return Optional.empty();
        }
        SubJob current = found.get();
        // A subjob that failed before any invocation started was never counted as running.
        boolean wasRunning = current.status() == SubJobStatus.RUNNING;
        Duration duration = outcome.duration() != null ? outcome.duration()
                : current.startedAt() == null ? Duration.ZERO : Duration.between(current.startedAt(), now);
        duration = duration.isNegative() ? Duration.ZERO : duration;
        Outcome timed = new Outcome(index, outcome.status(), outcome.outputKey(), outcome.output(), outcome.error(), duration);
        Update subJobChange = outcomeUpdate(jobId, index, attempt, current.status(), timed);
        boolean succeeded = outcome.status() == SubJobStatus.SUCCEEDED;
        Update progress = jobs.progressChange(jobId, attempt, wasRunning ? -1 : 0, succeeded ? 1 : 0, succeeded ? 0 : 1);
        return transact(List.of(subJobChange), progress) == Written.ALL ? Optional.of(duration) : Optional.empty();
    }

    private Update outcomeUpdate(String jobId, int index, int attempt, SubJobStatus expected, Outcome outcome) {
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        names.put("#duration", SubJobItem.DURATION_MILLIS);
        values.put(":outcome", AttributeValue.fromS(outcome.status().name()));
        values.put(":duration", AttributeValue.fromN(Long.toString(Math.max(0, outcome.duration().toMillis()))));
        String set = "SET #status = :outcome, #duration = :duration";
        if (outcome.outputKey() != null) {
            names.put("#outputKey", SubJobItem.OUTPUT_KEY);
            values.put(":outputKey", AttributeValue.fromS(outcome.outputKey()));
            set += ", #outputKey = :outputKey";
        }
        if (outcome.output() != null) {
            names.put("#output", SubJobItem.OUTPUT);
            values.put(":output", AttributeValue.fromS(outcome.output()));
            set += ", #output = :output";
        }
        if (outcome.error() != null) {
            names.put("#code", SubJobItem.ERROR_CODE);
            names.put("#message", SubJobItem.ERROR_MESSAGE);
            values.put(":code", AttributeValue.fromS(outcome.error().code()));
            values.put(":message", AttributeValue.fromS(outcome.error().message()));
            set += ", #code = :code, #message = :message";
        }
        return subJobUpdate(jobId, index, attempt, expected, set, names, values);
    }

    private Update firstStart(String jobId, int index, int attempt, Instant now) {
        return subJobUpdate(jobId, index, attempt, SubJobStatus.PENDING,
                "SET #status = :running, #startedAt = :now ADD #attempts :one",
                Map.of("#startedAt", SubJobItem.STARTED_AT, "#attempts", SubJobItem.ATTEMPTS),
                Map.of(":running", AttributeValue.fromS(SubJobStatus.RUNNING.name()),
                        ":now", AttributeValue.fromS(Timestamps.sortable(now)),
                        ":one", AttributeValue.fromN("1")));
    }

    private Update restart(String jobId, int index, int attempt) {
        return subJobUpdate(jobId, index, attempt, SubJobStatus.RUNNING,
                "ADD #attempts :one",
                Map.of("#attempts", SubJobItem.ATTEMPTS),
                Map.of(":one", AttributeValue.fromN("1")));
    }

    /**
     * One page of the job's subjobs in index order.
     *
     * @throws io.conveyor.persistence.InvalidPageTokenException when the token was not issued for this job
     */
    public Page<SubJob> list(String jobId, int limit, Optional<String> pageToken) {
        if (limit < 1 || limit > MAX_PAGE_SIZE) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_PAGE_SIZE + ", was " + limit);
        }
        QueryEnhancedRequest.Builder query = QueryEnhancedRequest.builder()
                .queryConditional(QueryConditional.keyEqualTo(k -> k.partitionValue(jobId)))
                .consistentRead(true)
                .limit(limit);
        pageToken.ifPresent(t -> query.exclusiveStartKey(PageTokens.decode(t, SubJobItem.JOB_ID, jobId)));
        software.amazon.awssdk.enhanced.dynamodb.model.Page<SubJobItem> page =
                table.query(query.build()).iterator().next();
        List<SubJob> items = new ArrayList<>();
        page.items().forEach(i -> items.add(i.toSubJob()));
        return new Page<>(items, PageTokens.encode(page.lastEvaluatedKey()));
    }

    /**
     * Deletes every subjob item of {@code jobId}: a query page (keys only, up to {@link #MAX_PAGE_SIZE}) at a time,
     * each page in batches of 25 deletes. Deleting an item that is already gone is not an error, so a repeat, or
     * two callers racing, end with the same empty result. For the cleaner, once the job's objects are gone.
     *
     * @return how many items this call asked DynamoDB to delete (a racing caller may have deleted some of them)
     */
    public int deleteAll(String jobId) {
        int deleted = 0;
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            QueryResponse page = dynamoDb.query(q -> q.tableName(tableName)
                    .keyConditionExpression("#job = :job")
                    .projectionExpression("#job, #index")
                    .expressionAttributeNames(Map.of("#job", SubJobItem.JOB_ID, "#index", SubJobItem.INDEX))
                    .expressionAttributeValues(Map.of(":job", AttributeValue.fromS(jobId)))
                    .consistentRead(true)
                    .limit(MAX_PAGE_SIZE)
                    .exclusiveStartKey(from));
            List<WriteRequest> deletes = page.items().stream()
                    .map(key -> WriteRequest.builder().deleteRequest(DeleteRequest.builder().key(key).build()).build())
                    .toList();
            for (int i = 0; i < deletes.size(); i += BATCH_WRITE_LIMIT) {
                writeBatch(deletes.subList(i, Math.min(i + BATCH_WRITE_LIMIT, deletes.size())));
            }
            deleted += deletes.size();
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return deleted;
    }

    private Update subJobUpdate(String jobId, int index, int attempt, SubJobStatus expected, String expression,
            Map<String, String> names, Map<String, AttributeValue> values) {
        Map<String, String> allNames = new HashMap<>(names);
        allNames.put("#status", SubJobItem.STATUS);
        allNames.put("#jobAttempt", SubJobItem.JOB_ATTEMPT);
        Map<String, AttributeValue> allValues = new HashMap<>(values);
        allValues.put(":expected", AttributeValue.fromS(expected.name()));
        allValues.put(":attempt", AttributeValue.fromN(Integer.toString(attempt)));
        return Update.builder()
                .tableName(tableName)
                .key(Map.of(SubJobItem.JOB_ID, AttributeValue.fromS(jobId),
                        SubJobItem.INDEX, AttributeValue.fromN(Integer.toString(index))))
                .updateExpression(expression)
                .conditionExpression("#status = :expected AND #jobAttempt = :attempt")
                .expressionAttributeNames(allNames)
                .expressionAttributeValues(allValues)
                .build();
    }

    /**
     * Writes the subjob changes and the job's progress change in one transaction.
     *
     * @return whether all was written, or which condition failed (nothing was written then); other failures are
     *     thrown
     */
    private Written transact(List<Update> subJobChanges, Update jobChange) {
        List<TransactWriteItem> writes = new ArrayList<>();
        subJobChanges.forEach(u -> writes.add(TransactWriteItem.builder().update(u).build()));
        writes.add(TransactWriteItem.builder().update(jobChange).build());
        try {
            dynamoDb.transactWriteItems(t -> t.transactItems(writes));
            return Written.ALL;
        } catch (TransactionCanceledException e) {
            List<software.amazon.awssdk.services.dynamodb.model.CancellationReason> reasons = e.cancellationReasons();
            if (reasons.size() == writes.size() && "ConditionalCheckFailed".equals(reasons.get(reasons.size() - 1).code())) {
                return Written.JOB_NOT_RUNNING;
            }
            if (reasons.stream().anyMatch(r -> "ConditionalCheckFailed".equals(r.code()))) {
                return Written.SUBJOB_CHANGED;
            }
            throw e;
        }
    }

    private static Key key(String jobId, int index) {
        return Key.builder().partitionValue(jobId).sortValue(index).build();
    }
}
