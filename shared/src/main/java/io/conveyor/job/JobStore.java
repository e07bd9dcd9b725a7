package io.conveyor.job;

import io.conveyor.persistence.ConcurrentUpdateException;
import io.conveyor.persistence.IndexSpec;
import io.conveyor.persistence.InvalidPageTokenException;
import io.conveyor.persistence.KeyAttributeSpec;
import io.conveyor.persistence.Page;
import io.conveyor.persistence.PageTokens;
import io.conveyor.persistence.TableSpec;
import io.conveyor.persistence.Timestamps;
import io.conveyor.usage.Usage;
import io.conveyor.usage.UsageMeter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbIndex;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Expression;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.model.DeleteItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.PutItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryConditional;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.ScanEnhancedRequest;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.Select;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * The jobs table. Every write is conditional: a create fails if the id exists, an update fails unless the
 * stored version is the one the caller read, so of two concurrent updates exactly one wins and the other gets
 * a {@link ConcurrentUpdateException}.
 *
 * <p>Thread-safe: it holds only the SDK's thread-safe table handles.
 */
public final class JobStore {

    /**
     * The jobs table: by id; by owner, newest first (optionally by status); terminal jobs by expiry; queued and
     * running jobs by their last status change.
     */
    public static final TableSpec TABLE = new TableSpec(
            "Jobs",
            "CONVEYOR_JOBS_TABLE",
            KeyAttributeSpec.string(JobItem.JOB_ID),
            Optional.empty(),
            List.of(
                    new IndexSpec(JobItem.BY_OWNER, KeyAttributeSpec.string(JobItem.OWNER),
                            Optional.of(KeyAttributeSpec.string(JobItem.CREATED_KEY)), false),
                    new IndexSpec(JobItem.BY_OWNER_STATUS, KeyAttributeSpec.string(JobItem.OWNER_STATUS),
                            Optional.of(KeyAttributeSpec.string(JobItem.CREATED_KEY)), false),
                    new IndexSpec(JobItem.BY_EXPIRY, KeyAttributeSpec.string(JobItem.EXPIRY_SHARD),
                            Optional.of(KeyAttributeSpec.number(JobItem.EXPIRES_AT)), true),
                    new IndexSpec(JobItem.BY_LAST_CHANGE, KeyAttributeSpec.string(JobItem.ACTIVE_SHARD),
                            Optional.of(KeyAttributeSpec.number(JobItem.CHANGED_AT)), true)),
            Optional.of(JobItem.DELETE_AFTER));

    /** The most jobs one listing page returns. */
    public static final int MAX_PAGE_SIZE = 100;

    private final DynamoDbClient dynamoDb;
    private final String tableName;
    private final DynamoDbTable<JobItem> table;
    private final DynamoDbIndex<JobItem> byOwner;
    private final DynamoDbIndex<JobItem> byOwnerStatus;
    private final DynamoDbIndex<JobItem> byExpiry;
    private final DynamoDbIndex<JobItem> byLastChange;
    private final UsageTailStore usageTails;

    public JobStore(DynamoDbClient dynamoDb, String tableName) {
        this.dynamoDb = dynamoDb;
        this.tableName = tableName;
        this.table = DynamoDbEnhancedClient.builder().dynamoDbClient(dynamoDb).build().table(tableName, JobItem.SCHEMA);
        this.byOwner = table.index(JobItem.BY_OWNER);
        this.byOwnerStatus = table.index(JobItem.BY_OWNER_STATUS);
        this.byExpiry = table.index(JobItem.BY_EXPIRY);
        this.byLastChange = table.index(JobItem.BY_LAST_CHANGE);
        this.usageTails = new UsageTailStore(dynamoDb, tableName);
    }

    /**
     * What each invocation consumed after its last write of its job, kept beside the job: every read and write of a
     * job here routes the running invocation's tail to the attempt its usage belongs to.
     */
    public UsageTailStore usageTails() {
        return usageTails;
    }

    /**
     * Stores a new job.
     *
     * @return the job as stored, at version 1
     * @throws ConcurrentUpdateException when a job with its id already exists
     */
    public Job create(Job job) {
        if (job.version() != 0) {
            throw new IllegalArgumentException("a new job has version 0, job " + job.id() + " has " + job.version());
        }
        Usage taken = UsageMeter.takeFor(job.id());
        Job stored = job.withUsageAdded(taken).withVersion(1);
        try {
            table.putItem(PutItemEnhancedRequest.builder(JobItem.class)
                    .item(JobItem.from(stored))
                    .conditionExpression(Expression.builder()
                            .expression("attribute_not_exists(#id)")
                            .putExpressionName("#id", JobItem.JOB_ID)
                            .build())
                    .build());
        } catch (ConditionalCheckFailedException e) {
            UsageMeter.giveBack(taken);
            throw new ConcurrentUpdateException("job " + job.id() + " already exists", e);
        }
        usageTails.route(job.id(), UsageTailStore.Place.of(stored, stored.openUsageAttempt()));
        return stored;
    }

    /**
     * Replaces a job with {@code changed}, provided nobody wrote it since it was read at {@code changed.version()}.
     *
     * @return the job as stored, one version later
     * @throws ConcurrentUpdateException when the stored version differs (or the job is gone); nothing is written
     */
    public Job update(Job changed) {
        Job stored = changed.withVersion(changed.version() + 1);
        try {
            table.putItem(PutItemEnhancedRequest.builder(JobItem.class)
                    .item(JobItem.from(stored))
                    .conditionExpression(storedVersionIs(changed.version()))
                    .build());
        } catch (ConditionalCheckFailedException e) {
            throw new ConcurrentUpdateException("job " + changed.id() + " changed since version " + changed.version()
                    + " was read; read it again and retry", e);
        }
        return stored;
    }

    /** How often {@link #modify} reads again before it gives up on a job that keeps changing. */
    static final int MAX_MODIFY_ATTEMPTS = 50;

    /**
     * Reads the job, applies {@code move} and writes the result conditionally, reading again and reapplying when
     * someone else wrote in between (subjob progress does, often). {@code move} decides from the job as stored:
     * it may throw to refuse, or return its argument unchanged to write nothing.
     *
     * @return the job as stored afterwards, empty if there is no such job
     * @throws ConcurrentUpdateException if the job kept changing for {@value #MAX_MODIFY_ATTEMPTS} attempts
     */
    public Optional<Job> modify(String jobId, java.util.function.UnaryOperator<Job> move) {
        return get(jobId).flatMap(read -> modify(read, move));
    }

    /**
     * As {@link #modify(String, java.util.function.UnaryOperator)}, starting from {@code read}, the job as the caller
     * has just read it: that saves a read when nobody wrote since, and costs one failed conditional write when
     * someone did (the job is then read again). When {@code move} returns {@code read} unchanged, nothing is read
     * or written: the decision is the caller's, from its own read.
     */
    public Optional<Job> modify(Job read, java.util.function.UnaryOperator<Job> move) {
        // What the writing invocation measured rides in the write (and goes to the attempt the move ends, if any).
        Usage taken = UsageMeter.takeFor(read.id());
        boolean written = false;
        try {
            ConcurrentUpdateException last = null;
            Optional<Job> current = Optional.of(read);
            for (int attempt = 0; attempt < MAX_MODIFY_ATTEMPTS; attempt++) {
                if (attempt > 0) {
                    current = get(read.id());
                }
                if (current.isEmpty()) {
                    return current;
                }
                Job base = current.get().withUsageAdded(taken);
                Job changed = move.apply(base);
                if (changed == base) {
                    return current;
                }
                try {
                    Job stored = update(changed);
                    written = true;
                    // The taken usage went where the job's open usage goes: to the attempt open before the move.
                    usageTails.route(read.id(), UsageTailStore.Place.of(stored, base.openUsageAttempt()));
                    return Optional.of(stored);
                } catch (ConcurrentUpdateException e) {
                    last = e;
                }
            }
            throw new ConcurrentUpdateException("job " + read.id() + " kept changing; gave up after " + MAX_MODIFY_ATTEMPTS
                    + " attempts", last);
        } finally {
            if (!written) {
                UsageMeter.giveBack(taken);
            }
        }
    }

    /**
     * The {@code ADD} clauses (without the keyword) that add each non-zero measure of {@code usage} to the job's open
     * usage, their names and values put in {@code names} and {@code values}; empty for no usage.
     */
    private static String usageAdds(Usage usage, Map<String, String> names, Map<String, AttributeValue> values) {
        List<String> clauses = new ArrayList<>();
        addClause(clauses, names, values, JobItem.USAGE_TRANSITIONS, usage.transitions());
        addClause(clauses, names, values, JobItem.USAGE_LAMBDA_INVOCATIONS, usage.lambdaInvocations());
        addClause(clauses, names, values, JobItem.USAGE_LAMBDA_MB_MILLIS, usage.lambdaMbMillis());
        addClause(clauses, names, values, JobItem.USAGE_READ_UNITS, usage.readUnits());
        addClause(clauses, names, values, JobItem.USAGE_WRITE_UNITS, usage.writeUnits());
        addClause(clauses, names, values, JobItem.USAGE_S3_CLASS_A, usage.s3ClassA());
        addClause(clauses, names, values, JobItem.USAGE_S3_CLASS_B, usage.s3ClassB());
        addClause(clauses, names, values, JobItem.USAGE_S3_BYTES, usage.s3BytesWritten());
        addClause(clauses, names, values, JobItem.USAGE_EVENTS, usage.events());
        return String.join(", ", clauses);
    }

    /** Adds the clause that adds {@code amount} to {@code attribute}, unless it is zero. */
    static void addClause(List<String> clauses, Map<String, String> names, Map<String, AttributeValue> values,
            String attribute, double amount) {
        if (amount != 0) {
            String placeholder = "u" + clauses.size();
            names.put("#" + placeholder, attribute);
            values.put(":" + placeholder, AttributeValue.fromN(amount == Math.rint(amount)
                    ? Long.toString((long) amount) : Double.toString(amount)));
            clauses.add("#" + placeholder + " :" + placeholder);
        }
    }

    /**
     * Deletes {@code job} provided it is still stored at {@code job.version()}: used to undo a create whose later
     * steps failed, never to delete a job anyone else has touched.
     *
     * @return {@code true} if this call deleted it
     */
    public boolean deleteIfUnchanged(Job job) {
        try {
            table.deleteItem(DeleteItemEnhancedRequest.builder()
                    .key(key(job.id()))
                    .conditionExpression(storedVersionIs(job.version()))
                    .build());
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    /** The job with {@code jobId}, whoever owns it: for the workflow's own use, never for a caller's request. */
    public Optional<Job> get(String jobId) {
        Optional<Job> job = Optional.ofNullable(table.getItem(r -> r.key(key(jobId)).consistentRead(true)))
                .map(JobItem::toJob);
        job.ifPresent(j -> usageTails.route(jobId, UsageTailStore.Place.of(j, j.openUsageAttempt())));
        return job;
    }

    /** The job with {@code jobId} if {@code owner} owns it; empty for a missing job and for someone else's alike. */
    public Optional<Job> findForOwner(String jobId, String owner) {
        return get(jobId).filter(job -> job.owner().equals(owner));
    }

    /**
     * One page of {@code owner}'s jobs, newest first.
     *
     * @param status    only jobs in this status, when present
     * @param program   only jobs of this program, when present
     * @param limit     at most this many jobs, 1 to {@link #MAX_PAGE_SIZE}
     * @param pageToken the previous page's {@code nextToken}, or empty for the first page
     * @throws InvalidPageTokenException when the token was not issued for this owner and status
     */
    public Page<Job> listForOwner(String owner, Optional<JobStatus> status, Optional<String> program, int limit,
            Optional<String> pageToken) {
        if (limit < 1 || limit > MAX_PAGE_SIZE) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_PAGE_SIZE + ", was " + limit);
        }
        DynamoDbIndex<JobItem> index = status.isPresent() ? byOwnerStatus : byOwner;
        String partitionAttribute = status.isPresent() ? JobItem.OWNER_STATUS : JobItem.OWNER;
        String partitionValue = status.map(s -> JobItem.ownerStatus(owner, s)).orElse(owner);

        // One job more than asked for tells whether another page exists, so the last page carries no token.
        QueryEnhancedRequest.Builder query = QueryEnhancedRequest.builder()
                .queryConditional(QueryConditional.keyEqualTo(k -> k.partitionValue(partitionValue)))
                .scanIndexForward(false)
                .limit(limit + 1);
        Map<String, KeyAttributeSpec.Type> shape = Map.of(JobItem.JOB_ID, KeyAttributeSpec.Type.STRING,
                JobItem.CREATED_KEY, KeyAttributeSpec.Type.STRING, partitionAttribute, KeyAttributeSpec.Type.STRING);
        pageToken.ifPresent(t -> query.exclusiveStartKey(PageTokens.decode(t, shape, partitionAttribute, partitionValue)));
        program.ifPresent(p -> query.filterExpression(Expression.builder()
                .expression("#program = :program")
                .putExpressionName("#program", JobItem.PROGRAM)
                .putExpressionValue(":program", AttributeValue.fromS(p))
                .build()));

        // A filter is applied after DynamoDB's limit, so a page can come back short: read on until the page is
        // full, and hand out a token for the last job returned rather than for the last one read.
        List<Job> jobs = new ArrayList<>();
        Iterator<software.amazon.awssdk.enhanced.dynamodb.model.Page<JobItem>> pages = index.query(query.build()).iterator();
        while (pages.hasNext() && jobs.size() <= limit) {
            pages.next().items().stream().limit(limit + 1 - jobs.size()).map(JobItem::toJob).forEach(jobs::add);
        }
        boolean more = jobs.size() > limit;
        if (more) {
            jobs.remove(jobs.size() - 1);
        }
        Optional<String> next = more
                ? PageTokens.encode(indexKey(JobItem.from(jobs.get(jobs.size() - 1)), status.isPresent()))
                : Optional.empty();
        return new Page<>(jobs, next);
    }

    /**
     * {@code owner}'s jobs created from {@code from} until just before {@code until}, oldest first, read from the owner
     * index (a query, never a scan): at most {@code limit} + 1, so that a caller can tell there were more.
     */
    public List<Job> createdBetween(String owner, Instant from, Instant until, int limit) {
        QueryEnhancedRequest query = QueryEnhancedRequest.builder()
                .queryConditional(QueryConditional.sortBetween(
                        k -> k.partitionValue(owner).sortValue(Timestamps.sortable(from)),
                        // A key is its creation time, then '#' and the id: every key of a job created at `until` sorts
                        // after the bare time, so the upper bound excludes them.
                        k -> k.partitionValue(owner).sortValue(Timestamps.sortable(until))))
                .limit(Math.min(limit + 1, MAX_PAGE_SIZE))
                .build();
        List<Job> jobs = new ArrayList<>();
        Iterator<software.amazon.awssdk.enhanced.dynamodb.model.Page<JobItem>> pages = byOwner.query(query).iterator();
        while (pages.hasNext() && jobs.size() <= limit) {
            pages.next().items().stream().limit(limit + 1 - jobs.size()).map(JobItem::toJob).forEach(jobs::add);
        }
        return jobs;
    }

    /**
     * Up to {@code limit} + 1 jobs of every user created from {@code from} (included) to {@code until} (excluded), in no
     * particular order: a Scan of the whole table (filtered on the creation key, so DynamoDB still reads, and charges,
     * every item), for an administrator's report across users, which no index serves. A caller that gets more than
     * {@code limit} knows there are more.
     */
    public List<Job> createdBetweenByAnyone(Instant from, Instant until, int limit) {
        ScanEnhancedRequest scan = ScanEnhancedRequest.builder()
                .filterExpression(Expression.builder()
                        // As in createdBetween: a key is the creation time, '#', the id; the bare times bound it.
                        .expression("#created BETWEEN :from AND :until")
                        .putExpressionName("#created", JobItem.CREATED_KEY)
                        .putExpressionValue(":from", AttributeValue.fromS(Timestamps.sortable(from)))
                        .putExpressionValue(":until", AttributeValue.fromS(Timestamps.sortable(until)))
                        .build())
                .build();
        List<Job> jobs = new ArrayList<>();
        Iterator<software.amazon.awssdk.enhanced.dynamodb.model.Page<JobItem>> pages = table.scan(scan).iterator();
        while (pages.hasNext() && jobs.size() <= limit) {
            pages.next().items().stream().limit(limit + 1 - jobs.size()).map(JobItem::toJob).forEach(jobs::add);
        }
        return jobs;
    }

    /**
     * How many of {@code owner}'s jobs are in {@code status}, counted on the status index (a query, never a
     * scan) and without reading the items.
     */
    public int countForOwner(String owner, JobStatus status) {
        int count = 0;
        for (QueryResponse page : dynamoDb.queryPaginator(q -> q.tableName(tableName)
                .indexName(JobItem.BY_OWNER_STATUS)
                .keyConditionExpression("#p = :p")
                .expressionAttributeNames(Map.of("#p", JobItem.OWNER_STATUS))
                .expressionAttributeValues(Map.of(":p", AttributeValue.fromS(JobItem.ownerStatus(owner, status))))
                .select(Select.COUNT))) {
            count += page.count();
        }
        return count;
    }

    /**
     * Up to {@code limit} ids of jobs (terminal, or never submitted) whose stored expiry is at or before {@code now},
     * read from the sparse expiry index (never a scan). Queued and running jobs are not in that index at all.
     */
    public List<String> findExpired(Instant now, int limit) {
        return idsAtOrBefore(byExpiry, "expiry#", JobItem.EXPIRY_SHARDS, now, limit, limit);
    }

    /**
     * Up to {@code limit} ids of queued, running or retry-waiting jobs whose status last changed at or before
     * {@code changedBy}, oldest first in each shard, read from the sparse last-change index (never a scan). Each
     * shard gives at most its share of {@code limit}: the jobs that stay in the index (a running job still running)
     * in one shard never crowd out those of the others. Terminal and never-submitted jobs are not in that index.
     */
    public List<String> findActiveUnchangedSince(Instant changedBy, int limit) {
        int perShard = -Math.floorDiv(-limit, JobItem.ACTIVE_SHARDS);
        return idsAtOrBefore(byLastChange, "active#", JobItem.ACTIVE_SHARDS, changedBy, limit, perShard);
    }

    /**
     * Job ids from a sharded index whose sort key is an epoch second, at or before {@code bound}, shard by shard: up
     * to {@code limit} in all and {@code perShard} from each.
     */
    private static List<String> idsAtOrBefore(DynamoDbIndex<JobItem> index, String shardPrefix, int shards, Instant bound,
            int limit, int perShard) {
        List<String> ids = new ArrayList<>();
        for (int shard = 0; shard < shards && ids.size() < limit; shard++) {
            String partition = shardPrefix + shard;
            int wanted = Math.min(perShard, limit - ids.size());
            QueryEnhancedRequest query = QueryEnhancedRequest.builder()
                    .queryConditional(QueryConditional.sortLessThanOrEqualTo(k -> k
                            .partitionValue(partition)
                            .sortValue(bound.getEpochSecond())))
                    .limit(wanted)
                    .build();
            int fromShard = 0;
            for (software.amazon.awssdk.enhanced.dynamodb.model.Page<JobItem> page : index.query(query)) {
                for (JobItem item : page.items()) {
                    if (fromShard < wanted) {
                        ids.add(item.jobId);
                        fromShard++;
                    }
                }
                if (fromShard >= wanted) {
                    break;
                }
            }
        }
        return ids;
    }

    /**
     * Deletes the job if, as stored, nothing runs it (terminal, or never submitted) and it expired at {@code now}:
     * the stored values decide, so a writer whose clock runs ahead cannot make another job expire early.
     *
     * @return {@code true} if this call deleted it; {@code false} if it is gone or not (any longer) expired
     */
    public boolean deleteExpired(String jobId, Instant now) {
        try {
            table.deleteItem(DeleteItemEnhancedRequest.builder()
                    .key(key(jobId))
                    .conditionExpression(Expression.builder()
                            .expression("#exp <= :now AND #status IN (:created, :succeeded, :failed, :cancelled)")
                            .putExpressionName("#exp", JobItem.EXPIRES_AT)
                            .putExpressionName("#status", JobItem.STATUS)
                            .putExpressionValue(":now", AttributeValue.fromN(Long.toString(now.getEpochSecond())))
                            .putExpressionValue(":created", AttributeValue.fromS(JobStatus.CREATED.name()))
                            .putExpressionValue(":succeeded", AttributeValue.fromS(JobStatus.SUCCEEDED.name()))
                            .putExpressionValue(":failed", AttributeValue.fromS(JobStatus.FAILED.name()))
                            .putExpressionValue(":cancelled", AttributeValue.fromS(JobStatus.CANCELLED.name()))
                            .build())
                    .build());
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    /**
     * The write, for a transaction, that moves the job's subjob counters by the given amounts and bumps its
     * version (so a concurrent status change rereads the counters). It fails unless the job is running attempt
     * {@code attempt}: subjobs still in flight when a job is cancelled or re-registered count for nothing.
     */
    public Update progressChange(String jobId, int attempt, int running, int succeeded, int failed) {
        Map<String, String> names = new HashMap<>(Map.of(
                "#running", JobItem.SUBJOBS_RUNNING,
                "#succeeded", JobItem.SUBJOBS_SUCCEEDED,
                "#failed", JobItem.SUBJOBS_FAILED));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(
                ":running", number(running),
                ":succeeded", number(succeeded),
                ":failed", number(failed)));
        return onRunningAttempt(jobId, attempt,
                "ADD #running :running, #succeeded :succeeded, #failed :failed, #v :one"
                        + takenUsage(jobId, attempt, names, values),
                names, values);
    }

    /**
     * The {@code ADD} clauses, led by a comma, that fold what the writing invocation measured for {@code jobId} into a
     * transaction's update of the job: the subjob writes already update the job item, so usage costs them no write.
     */
    private String takenUsage(String jobId, int attempt, Map<String, String> names, Map<String, AttributeValue> values) {
        usageTails.route(jobId, UsageTailStore.Place.ofRunningAttempt(attempt));
        String adds = usageAdds(UsageMeter.takeFor(jobId), names, values);
        return adds.isEmpty() ? "" : ", " + adds;
    }

    /**
     * The write, for a transaction, that sets the number of subjobs of the job's running attempt {@code attempt}
     * and zeroes its counters. It fails unless the job is running that attempt.
     */
    public Update splitInto(String jobId, int attempt, int total) {
        Map<String, String> names = new HashMap<>(Map.of(
                "#total", JobItem.SUBJOBS_TOTAL,
                "#running", JobItem.SUBJOBS_RUNNING,
                "#succeeded", JobItem.SUBJOBS_SUCCEEDED,
                "#failed", JobItem.SUBJOBS_FAILED));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(
                ":total", number(total),
                ":zero", number(0)));
        return onRunningAttempt(jobId, attempt,
                "SET #total = :total, #running = :zero, #succeeded = :zero, #failed = :zero ADD #v :one"
                        + takenUsage(jobId, attempt, names, values),
                names, values);
    }

    /**
     * A transaction's update of the job item that fails unless the job is running attempt {@code attempt}. The
     * update expression, with its own names and values, bumps the version by adding {@code :one} to {@code #v}.
     */
    private Update onRunningAttempt(String jobId, int attempt, String updateExpression, Map<String, String> names,
            Map<String, AttributeValue> values) {
        Map<String, String> allNames = new HashMap<>(names);
        allNames.put("#v", JobItem.VERSION);
        allNames.put("#status", JobItem.STATUS);
        allNames.put("#attempt", JobItem.ATTEMPT);
        Map<String, AttributeValue> allValues = new HashMap<>(values);
        allValues.put(":one", number(1));
        allValues.put(":attempt", number(attempt));
        allValues.put(":runningStatus", AttributeValue.fromS(JobStatus.RUNNING.name()));
        return Update.builder()
                .tableName(tableName)
                .key(Map.of(JobItem.JOB_ID, AttributeValue.fromS(jobId)))
                .updateExpression(updateExpression)
                .conditionExpression("#status = :runningStatus AND #attempt = :attempt")
                .expressionAttributeNames(allNames)
                .expressionAttributeValues(allValues)
                .build();
    }

    /** The condition of a write that only the version the caller read may make: the optimistic lock. */
    private static Expression storedVersionIs(long version) {
        return Expression.builder()
                .expression("#v = :expected")
                .putExpressionName("#v", JobItem.VERSION)
                .putExpressionValue(":expected", number(version))
                .build();
    }

    private static Map<String, AttributeValue> indexKey(JobItem item, boolean byStatus) {
        Map<String, AttributeValue> key = new HashMap<>();
        key.put(JobItem.JOB_ID, AttributeValue.fromS(item.jobId));
        key.put(JobItem.CREATED_KEY, AttributeValue.fromS(item.createdKey));
        if (byStatus) {
            key.put(JobItem.OWNER_STATUS, AttributeValue.fromS(item.ownerStatus));
        } else {
            key.put(JobItem.OWNER, AttributeValue.fromS(item.owner));
        }
        return key;
    }

    private static Key key(String jobId) {
        return Key.builder().partitionValue(jobId).build();
    }

    private static AttributeValue number(long n) {
        return AttributeValue.fromN(Long.toString(n));
    }
}
