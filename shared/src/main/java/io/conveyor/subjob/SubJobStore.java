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
        for (int from = 0; from < subJobs.size(); from += BATCH_WRITE_LIMIT) {
            List<WriteRequest> batch = subJobs.subList(from, Math.min(from + BATCH_WRITE_LIMIT, subJobs.size())).stream()
                    .map(s -> WriteRequest.builder()
                            .putRequest(PutRequest.builder()
                                    .item(SubJobItem.SCHEMA.itemToMap(SubJobItem.from(s), true))
                                    .build())
                            .build())
                    .toList();
            writeBatch(batch);
        }
        dynamoDb.transactWriteItems(t -> t.transactItems(
                TransactWriteItem.builder().update(jobs.splitInto(jobId, attempt, subJobs.size())).build()));
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
        Update firstStart = subJobUpdate(jobId, index, attempt, SubJobStatus.PENDING,
                "SET #status = :running, #startedAt = :now ADD #attempts :one",
                Map.of("#startedAt", SubJobItem.STARTED_AT, "#attempts", SubJobItem.ATTEMPTS),
                Map.of(":running", AttributeValue.fromS(SubJobStatus.RUNNING.name()),
                        ":now", AttributeValue.fromS(Timestamps.sortable(now)),
                        ":one", AttributeValue.fromN("1")));
        if (transactIfSubJobCondition(firstStart, jobs.progressChange(jobId, attempt, 1, 0, 0))) {
            return true;
        }
        Update retry = subJobUpdate(jobId, index, attempt, SubJobStatus.RUNNING,
                "ADD #attempts :one",
                Map.of("#attempts", SubJobItem.ATTEMPTS),
                Map.of(":one", AttributeValue.fromN("1")));
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
     * Records that the subjob succeeded with its output under {@code outputKey}, and counts it in its job's
     * progress, unless an outcome is recorded already.
     *
     * @return how long the subjob took (first start to now) if this call recorded the outcome; empty if one was
     *     recorded before
     */
    public Optional<Duration> recordSuccess(String jobId, int index, int attempt, String outputKey, Instant now) {
        return recordOutcome(jobId, index, attempt, SubJobStatus.SUCCEEDED, outputKey, null, now);
    }

    /**
     * Records that the subjob failed for good with {@code error}, and counts it in its job's progress, unless an
     * outcome is recorded already.
     *
     * @return how long the subjob took if this call recorded the outcome; empty if one was recorded before
     */
    public Optional<Duration> recordFailure(String jobId, int index, int attempt, JobError error, Instant now) {
        return recordOutcome(jobId, index, attempt, SubJobStatus.FAILED, null, error, now);
    }

    private Optional<Duration> recordOutcome(String jobId, int index, int attempt, SubJobStatus outcome, String outputKey,
            JobError error, Instant now) {
        SubJob current = get(jobId, index).filter(s -> s.jobAttempt() == attempt).orElseThrow(() ->
                new IllegalArgumentException("job " + jobId + " has no subjob " + index + " in attempt " + attempt));
        if (current.status().isOutcome()) {
            return Optional.empty();
        }
        // A subjob that failed before any invocation started was never counted as running.
        boolean wasRunning = current.status() == SubJobStatus.RUNNING;
        Duration duration = current.startedAt() == null ? Duration.ZERO : Duration.between(current.startedAt(), now);
        duration = duration.isNegative() ? Duration.ZERO : duration;
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        names.put("#duration", SubJobItem.DURATION_MILLIS);
        values.put(":outcome", AttributeValue.fromS(outcome.name()));
        values.put(":duration", AttributeValue.fromN(Long.toString(duration.toMillis())));
        String set = "SET #status = :outcome, #duration = :duration";
        if (outputKey != null) {
            names.put("#output", SubJobItem.OUTPUT_KEY);
            values.put(":output", AttributeValue.fromS(outputKey));
            set += ", #output = :output";
        }
        if (error != null) {
            names.put("#code", SubJobItem.ERROR_CODE);
            names.put("#message", SubJobItem.ERROR_MESSAGE);
            values.put(":code", AttributeValue.fromS(error.code()));
            values.put(":message", AttributeValue.fromS(error.message()));
            set += ", #code = :code, #message = :message";
        }
        Update subJobChange = subJobUpdate(jobId, index, attempt, current.status(), set, names, values);
        Update progress = jobs.progressChange(jobId, attempt, wasRunning ? -1 : 0,
                outcome == SubJobStatus.SUCCEEDED ? 1 : 0, outcome == SubJobStatus.FAILED ? 1 : 0);
        return transactIfSubJobCondition(subJobChange, progress) ? Optional.of(duration) : Optional.empty();
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
     * Runs both updates in one transaction.
     *
     * @return {@code false} if a condition failed (the subjob's status, or its job no longer running the attempt):
     *     nothing was written; other failures are thrown
     */
    private boolean transactIfSubJobCondition(Update subJobChange, Update jobChange) {
        try {
            dynamoDb.transactWriteItems(t -> t.transactItems(
                    TransactWriteItem.builder().update(subJobChange).build(),
                    TransactWriteItem.builder().update(jobChange).build()));
            return true;
        } catch (TransactionCanceledException e) {
            if (e.cancellationReasons().stream().anyMatch(r -> "ConditionalCheckFailed".equals(r.code()))) {
                return false;
            }
            throw e;
        }
    }

    private static Key key(String jobId, int index) {
        return Key.builder().partitionValue(jobId).sortValue(index).build();
    }
}
