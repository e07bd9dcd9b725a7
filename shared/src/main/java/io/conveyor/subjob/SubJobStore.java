package io.conveyor.subjob;

import io.conveyor.job.JobError;
import io.conveyor.job.JobStore;
import io.conveyor.persistence.ConcurrentUpdateException;
import io.conveyor.persistence.IndexSpec;
import io.conveyor.persistence.InvalidPageTokenException;
import io.conveyor.persistence.KeyAttributeSpec;
import io.conveyor.persistence.Page;
import io.conveyor.persistence.PageTokens;
import io.conveyor.persistence.TableSpec;
import io.conveyor.persistence.Timestamps;
import io.conveyor.persistence.Transactions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DeleteRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * The subjobs table, {@value SubJobGroup#SIZE} subjobs to an item ({@link SubJobGroup}). Each change of a subjob's
 * status is written in one transaction with the matching change of its job's progress counters, conditional on the
 * subjob's previous status: Step Functions may deliver a task twice, and a repeated start or outcome then changes
 * nothing and counts nothing twice. The changes of a batch of subjobs are one update per group they fall in.
 *
 * <p>Thread-safe.
 */
public final class SubJobStore {

    /** The subjobs table: a job's subjobs in groups, in index order. */
    public static final TableSpec TABLE = new TableSpec(
            "SubJobs",
            "CONVEYOR_SUBJOBS_TABLE",
            KeyAttributeSpec.string(SubJobGroup.JOB_ID),
            Optional.of(KeyAttributeSpec.number(SubJobGroup.FIRST_INDEX)),
            List.<IndexSpec>of(),
            Optional.empty());

    /** The most subjobs one listing page returns. */
    public static final int MAX_PAGE_SIZE = 1000;

    private static final int BATCH_WRITE_LIMIT = 25;
    /** Groups written in the job's own transaction at registration: DynamoDB takes 100 writes, one is the job. */
    private static final int GROUPS_PER_TRANSACTION = 99;
    /**
     * Subjob changes per transaction: with every output and message at its longest a transaction stays near 2 MB,
     * half of DynamoDB's 4 MB.
     */
    private static final int SUBJOBS_PER_TRANSACTION = 256;
    /** Reads and writes of one outcome at most, while racing deliveries change its subjob's status. */
    private static final int OUTCOME_TRIES = 8;


    /** The attribute each name placeholder of a group's update stands for, but {@code #s<index>}: a subjob's entry. */
    private static final Map<String, String> FIELD_NAMES = Map.ofEntries(
            Map.entry("#jobAttempt", SubJobGroup.JOB_ATTEMPT), Map.entry("#status", SubJobGroup.STATUS),
            Map.entry("#attempts", SubJobGroup.ATTEMPTS), Map.entry("#startedAt", SubJobGroup.STARTED_AT),
            Map.entry("#duration", SubJobGroup.DURATION_MILLIS), Map.entry("#outputKey", SubJobGroup.OUTPUT_KEY),
            Map.entry("#output", SubJobGroup.OUTPUT), Map.entry("#code", SubJobGroup.ERROR_CODE),
            Map.entry("#message", SubJobGroup.ERROR_MESSAGE), Map.entry("#workers", SubJobGroup.WORKERS),
            Map.entry("#heldUntil", SubJobGroup.HELD_UNTIL));
    private static final Pattern NAME_PLACEHOLDER = Pattern.compile("#[A-Za-z0-9]+");
    private static final Pattern ENTRY_PLACEHOLDER = Pattern.compile("#s([0-9]+)");

    /** How a transaction of subjob changes and their job's progress ended. */
    private enum Written { ALL, JOB_NOT_RUNNING, SUBJOB_CHANGED }

    /**
     * One subjob's part in its group's update.
     *
     * @param sets     what the update sets, as {@code SET} actions on the subjob's entry ({@link #path})
     * @param values   the expression values those actions use
     * @param expected the status the subjob must still have for the change to apply
     * @param also     a further condition on the subjob's entry, or {@code null}
     */
    private record Change(int index, List<String> sets, Map<String, AttributeValue> values, SubJobStatus expected,
            String also) {
        Change(int index, List<String> sets, Map<String, AttributeValue> values, SubJobStatus expected) {
            this(index, sets, values, expected, null);
        }
    }

    private final DynamoDbClient dynamoDb;
    private final String tableName;
    private final JobStore jobs;
    private final SubJobHolds holds;

    public SubJobStore(DynamoDbClient dynamoDb, String tableName, JobStore jobs) {
        this.dynamoDb = dynamoDb;
        this.tableName = tableName;
        this.jobs = jobs;
        this.holds = new SubJobHolds(dynamoDb, tableName, this::readItems);
    }

    /** The holds of the subjobs {@link #startAll} starts: renewed while their invocation runs them, let go of as it ends. */
    public SubJobHolds holds() {
        return holds;
    }

    /**
     * Records the subjobs the splitter produced for attempt {@code attempt} of job {@code jobId}, all pending, and
     * sets the job's subjob total. Repeating it with the same subjobs changes nothing.
     *
     * @param subJobs the job's subjobs in index order from 0, all pending
     * @throws software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException when the job is not
     *     running that attempt
     */
    public void registerAll(String jobId, int attempt, List<SubJob> subJobs) {
        for (int i = 0; i < subJobs.size(); i++) {
            SubJob s = subJobs.get(i);
            if (!s.jobId().equals(jobId) || s.jobAttempt() != attempt || s.status() != SubJobStatus.PENDING || s.index() != i) {
                throw new IllegalArgumentException("subjob " + i + " of the list is not pending subjob " + i
                        + " of attempt " + attempt + " of job " + jobId);
            }
        }
        List<Map<String, AttributeValue>> groups = new ArrayList<>();
        for (int from = 0; from < subJobs.size(); from += SubJobGroup.SIZE) {
            groups.add(SubJobGroup.item(subJobs.subList(from, Math.min(from + SubJobGroup.SIZE, subJobs.size()))));
        }
        List<TransactWriteItem> writes = new ArrayList<>();
        if (groups.size() <= GROUPS_PER_TRANSACTION) {
            // Up to 1,584 subjobs ride in the job's own transaction: one request.
            for (Map<String, AttributeValue> group : groups) {
                writes.add(TransactWriteItem.builder().put(Put.builder().tableName(tableName).item(group).build()).build());
            }
        } else {
            for (int from = 0; from < groups.size(); from += BATCH_WRITE_LIMIT) {
                writeBatch(groups.subList(from, Math.min(from + BATCH_WRITE_LIMIT, groups.size())).stream()
                        .map(g -> WriteRequest.builder().putRequest(PutRequest.builder().item(g).build()).build())
                        .toList());
            }
        }
        writes.add(TransactWriteItem.builder().update(jobs.splitInto(jobId, attempt, subJobs.size())).build());
        Transactions.write(dynamoDb, writes);
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
        GetItemResponse response = dynamoDb.getItem(g -> g.tableName(tableName).key(SubJobGroup.key(jobId, index))
                .consistentRead(true));
        if (!response.hasItem() || response.item().isEmpty()) {
            return Optional.empty();
        }
        return SubJobGroup.subJobs(response.item()).stream().filter(s -> s.index() == index).findFirst();
    }

    /**
     * A worker invocation for the subjob starts. The first start of a pending (or assigned) subjob counts it as
     * running in its job's progress; a retry only adds to its attempts. A start that comes after the outcome changes nothing.
     *
     * @param runner what runs this attempt, recorded in the same write
     * @return {@code true} if the invocation may run; {@code false} if the subjob's outcome is recorded already (a
     *     repeated delivery) or there is no such subjob in that attempt
     */
    public boolean start(String jobId, int index, int attempt, Instant now, SubJobRunner runner) {
        return start(jobId, index, attempt, now, null, runner);
    }

    /**
     * {@link #start(String, int, int, Instant, SubJobRunner)}, and with {@code heldUntil}, only if no other invocation
     * holds the subjob at {@code now}; it is then held until {@code heldUntil}.
     */
    private boolean start(String jobId, int index, int attempt, Instant now, Instant heldUntil, SubJobRunner runner) {
        if (transact(jobId, attempt, List.of(firstStart(index, now, SubJobStatus.RUNNING, runner, heldUntil)),
                jobs.progressChange(jobId, attempt, 1, 0, 0)) == Written.ALL
                || transact(jobId, attempt, List.of(retake(index, SubJobStatus.ASSIGNED, SubJobStatus.RUNNING, runner,
                        now, heldUntil)), jobs.progressChange(jobId, attempt, 1, 0, 0)) == Written.ALL) {
            return true;
        }
        Update retry = groupUpdate(jobId, attempt, List.of(retake(index, SubJobStatus.RUNNING, SubJobStatus.RUNNING,
                runner, now, heldUntil)));
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
     * A worker invocation for a batch of subjobs starts. It runs them one after another, so the first to run is
     * {@link SubJobStatus#RUNNING} and counted so in its job's progress, and the others are
     * {@link SubJobStatus#ASSIGNED}; {@link #recordAll} passes the turn on. One transaction per
     * {@value #SUBJOBS_PER_TRANSACTION} subjobs instead of two calls each. The first delivery of a batch, the common
     * case, finds them all pending and writes without reading; otherwise (a retry, a repeated delivery) the subjobs are
     * read with one query and each is started as it stands, and one that changed meanwhile (a racing delivery) falls
     * back to {@link #start}.
     *
     * <p>The invocation holds the subjobs it starts until {@code heldUntil}, and renews the hold while it runs them: a
     * subjob another invocation holds at {@code now} is not started, since Step Functions delivers a batch again when
     * its task times out while the invocation that has it may still be at work (a Task's timeout stops nothing), and
     * two invocations running one subjob at once run its work twice. {@link SubJobHolds#release} lets go of a subjob sooner.
     *
     * @param heldUntil until when the invocation holds the subjobs: a short lease it {@linkplain SubJobHolds#renew renews} while it runs
     *                  them, so that a crashed invocation's subjobs are free again soon
     * @param runner    the function that runs the batch, recorded with each subjob in the same writes
     * @return the indices of the subjobs that may run, in the order asked, the first of them running: those of this
     *     attempt without a recorded outcome that no other invocation holds; none once the job no longer runs this
     *     attempt
     */
    public List<Integer> startAll(String jobId, int attempt, List<Integer> indices, Instant now, Instant heldUntil,
            SubJobRunner.Function runner) {
        List<Integer> started = new ArrayList<>();
        for (int from = 0; from < indices.size(); from += SUBJOBS_PER_TRANSACTION) {
            List<Integer> chunk = indices.subList(from, Math.min(from + SUBJOBS_PER_TRANSACTION, indices.size()));
            boolean takesTheTurn = started.isEmpty();
            List<Change> firstStarts = new ArrayList<>();
            for (int i = 0; i < chunk.size(); i++) {
                firstStarts.add(firstStart(chunk.get(i), now,
                        takesTheTurn && i == 0 ? SubJobStatus.RUNNING : SubJobStatus.ASSIGNED, runner, heldUntil));
            }
            Written written = transact(jobId, attempt, firstStarts,
                    jobs.progressChange(jobId, attempt, takesTheTurn ? 1 : 0, 0, 0));
            if (written == Written.JOB_NOT_RUNNING) {
                return started;
            }
            if (written == Written.ALL) {
                started.addAll(chunk);
            } else if (!startAsFound(jobId, attempt, chunk, now, heldUntil, runner, started)) {
                return started;
            }
        }
        return started;
    }

    /**
     * Starts the subjobs among {@code indices} as they are found, the first of the batch running (a running one
     * again, or a pending or assigned one for the first time) and the others assigned; adds them to {@code started}.
     *
     * @return {@code false} if the job no longer runs this attempt
     */
    private boolean startAsFound(String jobId, int attempt, List<Integer> indices, Instant now, Instant heldUntil,
            SubJobRunner runner, List<Integer> started) {
        Map<Integer, SubJob> current = range(jobId, indices);
        List<SubJob> runnable = indices.stream().map(current::get)
                .filter(s -> s != null && s.jobAttempt() == attempt && !s.status().isOutcome())
                .toList();
        if (runnable.isEmpty()) {
            return true;
        }
        List<Change> changes = new ArrayList<>();
        int runningChange = 0;
        boolean turnTaken = !started.isEmpty();
        for (SubJob s : runnable) {
            boolean runsNow = !turnTaken;
            turnTaken = true;
            SubJobStatus as = runsNow ? SubJobStatus.RUNNING : SubJobStatus.ASSIGNED;
            changes.add(s.status() == SubJobStatus.PENDING ? firstStart(s.index(), now, as, runner, heldUntil)
                    : retake(s.index(), s.status(), as, runner, now, heldUntil));
            runningChange += (runsNow ? 1 : 0) - (s.status() == SubJobStatus.RUNNING ? 1 : 0);
        }
        Written written = transact(jobId, attempt, changes, jobs.progressChange(jobId, attempt, runningChange, 0, 0));
        if (written == Written.JOB_NOT_RUNNING) {
            return false;
        }
        for (SubJob s : runnable) {
            if (written == Written.ALL || start(jobId, s.index(), attempt, now, heldUntil, runner)) {
                started.add(s.index());
            }
        }
        return true;
    }

    /**
     * Records the outcomes of subjobs a worker invocation started, counting them in their job's progress, and passes
     * the batch's turn to {@code next}: one transaction per {@value #SUBJOBS_PER_TRANSACTION} subjobs. A subjob whose
     * status is not the one expected (a racing delivery) falls back to the one-by-one path, which reads it first and
     * leaves one with an outcome as it is.
     *
     * @param running the subjob of the batch that is {@link SubJobStatus#RUNNING} (the first one started, then each
     *     {@code next}); the other outcomes are of {@link SubJobStatus#ASSIGNED} subjobs. Without an outcome here
     *     (declined, to be retried with its batch), it is assigned again when the turn passes
     * @param next    the subjob the worker runs next, marked running in the same write; empty at the batch's end
     * @return the outcomes this call recorded; none of those after the job stopped running this attempt
     */
    public List<SubJobOutcome> recordAll(String jobId, int attempt, List<SubJobOutcome> outcomes, int running,
            OptionalInt next, Instant now) {
        List<Change> turnChanges = new ArrayList<>();
        int turnRunningChange = 0;
        if (next.isPresent()) {
            if (outcomes.stream().noneMatch(o -> o.index() == running)) {
                // It ended without an outcome (its worker declined it, to be retried with the batch): it waits again.
                // At the batch's end it stays running instead, as does any subjob whose invocation failed or timed
                // out: the state's Retry runs it again once that invocation lets go of it (see startAll).
                turnChanges.add(turn(running, SubJobStatus.RUNNING, SubJobStatus.ASSIGNED));
                turnRunningChange--;
            }
            turnChanges.add(turn(next.getAsInt(), SubJobStatus.ASSIGNED, SubJobStatus.RUNNING));
            turnRunningChange++;
        }
        List<SubJobOutcome> recorded = new ArrayList<>();
        int from = 0;
        do {
            List<SubJobOutcome> chunk = outcomes.subList(from,
                    Math.min(from + SUBJOBS_PER_TRANSACTION, outcomes.size()));
            from += chunk.size();
            boolean last = from == outcomes.size();
            List<Change> changes = new ArrayList<>();
            int succeeded = 0;
            int runningChange = last ? turnRunningChange : 0;
            for (SubJobOutcome o : chunk) {
                boolean wasRunning = o.index() == running;
                changes.add(outcomeChange(wasRunning ? SubJobStatus.RUNNING : SubJobStatus.ASSIGNED, o));
                runningChange -= wasRunning ? 1 : 0;
                succeeded += o.status() == SubJobStatus.SUCCEEDED ? 1 : 0;
            }
            if (last) {
                changes.addAll(turnChanges);
            }
            if (changes.isEmpty()) {
                break;
            }
            Written written = transact(jobId, attempt, changes,
                    jobs.progressChange(jobId, attempt, runningChange, succeeded, chunk.size() - succeeded));
            if (written == Written.JOB_NOT_RUNNING) {
                return recorded;
            }
            for (SubJobOutcome o : chunk) {
                if (written == Written.ALL || recordOutcome(jobId, attempt, o, now).isPresent()) {
                    recorded.add(o);
                }
            }
            if (last && written != Written.ALL) {
                // Each on its own, as far as the subjobs' statuses allow: the outcomes, the part that matters, are in.
                for (Change c : turnChanges) {
                    transact(jobId, attempt, List.of(c), jobs.progressChange(jobId, attempt,
                            c.expected() == SubJobStatus.RUNNING ? -1 : 1, 0, 0));
                }
            }
        } while (from < outcomes.size());
        return recorded;
    }

    /** The subjobs among {@code indices}, by index, read with one query over the groups that hold them. */
    private Map<Integer, SubJob> range(String jobId, List<Integer> indices) {
        Map<Integer, SubJob> found = new HashMap<>();
        if (indices.isEmpty()) {
            return found;
        }
        int lowest = indices.stream().mapToInt(Integer::intValue).min().orElseThrow();
        int highest = indices.stream().mapToInt(Integer::intValue).max().orElseThrow();
        Set<Integer> wanted = new HashSet<>(indices);
        read(jobId, lowest, highest).stream().filter(s -> wanted.contains(s.index())).forEach(s -> found.put(s.index(), s));
        return found;
    }

    /** The job's subjobs from index {@code from} through {@code through}, in index order: one query over their groups. */
    private List<SubJob> read(String jobId, int from, int through) {
        List<SubJob> found = new ArrayList<>();
        readItems(jobId, from, through, item -> SubJobGroup.subJobs(item).stream()
                .filter(s -> s.index() >= from && s.index() <= through)
                .forEach(found::add));
        return found;
    }

    /** The items of the groups that hold the job's subjobs {@code from} through {@code through}, read consistently. */
    void readItems(String jobId, int from, int through, Consumer<Map<String, AttributeValue>> each) {
        dynamoDb.queryPaginator(q -> q.tableName(tableName)
                        .keyConditionExpression("#job = :job AND #first BETWEEN :low AND :high")
                        .expressionAttributeNames(Map.of("#job", SubJobGroup.JOB_ID, "#first", SubJobGroup.FIRST_INDEX))
                        .expressionAttributeValues(Map.of(":job", AttributeValue.fromS(jobId),
                                ":low", AttributeValue.fromN(Integer.toString(SubJobGroup.firstIndex(from))),
                                ":high", AttributeValue.fromN(Integer.toString(SubJobGroup.firstIndex(through)))))
                        .consistentRead(true))
                .items()
                .forEach(each);
    }

    /**
     * Records that the subjob failed for good with {@code error}, and counts it in its job's progress, unless an
     * outcome is recorded already.
     *
     * @return how long the subjob took if this call recorded the outcome; empty if one was recorded before, or if
     *     the job has no such subjob in this attempt (a failure delivered for an attempt that was replaced)
     */
    public Optional<Duration> recordFailure(String jobId, int index, int attempt, JobError error, Instant now) {
        return recordOutcome(jobId, attempt, SubJobOutcome.failed(index, error, null), now);
    }

    /**
     * Records {@code outcome} unless the subjob has one already or is not one of this attempt. Its duration is how
     * long the worker ran it, or, when the outcome does not say, the time since its first start.
     */
    private Optional<Duration> recordOutcome(String jobId, int attempt, SubJobOutcome outcome, Instant now) {
        int index = outcome.index();
        // A racing delivery of the same batch may move the subjob between running and assigned while this one writes:
        // read it again and write on what it is now, until it has an outcome (this one's or the racer's).
        for (int tries = 0; tries < OUTCOME_TRIES; tries++) {
            Optional<SubJob> found = get(jobId, index).filter(s -> s.jobAttempt() == attempt);
            if (found.isEmpty() || found.get().status().isOutcome()) {
                return Optional.empty();
            }
            SubJob current = found.get();
            // A subjob that failed before its turn (pending, or assigned in a batch) was never counted as running.
            boolean wasRunning = current.status() == SubJobStatus.RUNNING;
            Duration duration = outcome.duration() != null ? outcome.duration()
                    : current.startedAt() == null ? Duration.ZERO : Duration.between(current.startedAt(), now);
            duration = duration.isNegative() ? Duration.ZERO : duration;
            SubJobOutcome timed = new SubJobOutcome(index, outcome.status(), outcome.outputKey(), outcome.output(),
                    outcome.error(), duration);
            boolean succeeded = outcome.status() == SubJobStatus.SUCCEEDED;
            Update progress = jobs.progressChange(jobId, attempt, wasRunning ? -1 : 0, succeeded ? 1 : 0, succeeded ? 0 : 1);
            Written written = transact(jobId, attempt, List.of(outcomeChange(current.status(), timed)), progress);
            if (written != Written.SUBJOB_CHANGED) {
                return written == Written.ALL ? Optional.of(duration) : Optional.empty();
            }
        }
        throw new ConcurrentUpdateException("subjob " + index + " of job " + jobId + " kept changing while its outcome "
                + "was recorded", null);
    }

    /** The value placeholder that stands for {@code status} in a group's update. */
    private static String statusValue(SubJobStatus status) {
        return ":" + status.name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The path of a field of subjob {@code index}'s entry in an update of its group. */
    private static String path(int index, String field) {
        return "#s" + index + "." + field;
    }

    private static Change outcomeChange(SubJobStatus expected, SubJobOutcome outcome) {
        int i = outcome.index();
        List<String> sets = new ArrayList<>();
        Map<String, AttributeValue> values = new HashMap<>();
        sets.add(path(i, "#status") + " = " + statusValue(outcome.status()));
        values.put(statusValue(outcome.status()), AttributeValue.fromS(outcome.status().name()));
        sets.add(path(i, "#duration") + " = :duration" + i);
        values.put(":duration" + i, AttributeValue.fromN(Long.toString(Math.max(0, outcome.duration().toMillis()))));
        if (outcome.outputKey() != null) {
            sets.add(path(i, "#outputKey") + " = :outputKey" + i);
            values.put(":outputKey" + i, AttributeValue.fromS(outcome.outputKey()));
        }
        if (outcome.output() != null) {
            sets.add(path(i, "#output") + " = :output" + i);
            values.put(":output" + i, AttributeValue.fromS(outcome.output()));
        }
        if (outcome.error() != null) {
            sets.add(path(i, "#code") + " = :code" + i);
            sets.add(path(i, "#message") + " = :message" + i);
            values.put(":code" + i, AttributeValue.fromS(outcome.error().code()));
            values.put(":message" + i, AttributeValue.fromS(SubJobGroup.keptMessage(outcome.error().message())));
        }
        return new Change(i, sets, values, expected);
    }

    /**
     * A pending subjob taken by a worker invocation, {@code as} running or assigned: its whole entry is known, so it is
     * written whole, the shortest update. Its attempt and start count from the invocation that took it, and so does
     * what ran it: a function once for all attempts, a worker as the first of one per attempt.
     *
     * @param heldUntil until when the invocation holds it, or {@code null} for a start that holds nothing
     */
    private static Change firstStart(int index, Instant now, SubJobStatus as, SubJobRunner runner, Instant heldUntil) {
        // One value for every entry of a kind: the entries of a batch's first write are alike, but for their index.
        String value = as == SubJobStatus.RUNNING ? ":started" : ":assignedEntry";
        Map<String, AttributeValue> entry = new HashMap<>(Map.of(
                SubJobGroup.STATUS, AttributeValue.fromS(as.name()),
                SubJobGroup.ATTEMPTS, AttributeValue.fromN("1"),
                SubJobGroup.STARTED_AT, AttributeValue.fromS(Timestamps.sortable(now))));
        if (heldUntil != null) {
            entry.put(SubJobGroup.HELD_UNTIL, AttributeValue.fromS(Timestamps.sortable(heldUntil)));
        }
        if (runner instanceof SubJobRunner.Worker worker) {
            entry.put(SubJobGroup.WORKERS, AttributeValue.fromL(List.of(SubJobGroup.runner(worker))));
        } else {
            entry.put(SubJobGroup.RAN_ON, SubJobGroup.runner((SubJobRunner.Function) runner));
        }
        return new Change(index, List.of("#s" + index + " = " + value), Map.of(value, AttributeValue.fromM(entry)),
                SubJobStatus.PENDING);
    }

    /**
     * A subjob taken again by another worker invocation (a retry, a repeated delivery), {@code as} running or assigned.
     * A worker is added as this attempt's; a function was recorded at the first start, and runs every attempt. With
     * {@code heldUntil}, only a subjob no other invocation holds at {@code now} is taken, and held until then.
     */
    private static Change retake(int index, SubJobStatus from, SubJobStatus as, SubJobRunner runner, Instant now,
            Instant heldUntil) {
        List<String> sets = new ArrayList<>(List.of(path(index, "#attempts") + " = " + path(index, "#attempts") + " + :one"));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":one", AttributeValue.fromN("1")));
        if (as != from) {
            sets.add(path(index, "#status") + " = " + statusValue(as));
            values.put(statusValue(as), AttributeValue.fromS(as.name()));
        }
        if (runner instanceof SubJobRunner.Worker worker) {
            sets.add(path(index, "#workers") + " = list_append(if_not_exists(" + path(index, "#workers") + ", :noWorkers), :worker)");
            values.put(":noWorkers", AttributeValue.fromL(List.of()));
            values.put(":worker", AttributeValue.fromL(List.of(SubJobGroup.runner(worker))));
        }
        if (heldUntil == null) {
            return new Change(index, sets, values, from);
        }
        sets.add(path(index, "#heldUntil") + " = :heldUntil");
        values.put(":heldUntil", AttributeValue.fromS(Timestamps.sortable(heldUntil)));
        values.put(":now", AttributeValue.fromS(Timestamps.sortable(now)));
        return new Change(index, sets, values, from, "(attribute_not_exists(" + path(index, "#heldUntil") + ") OR "
                + path(index, "#heldUntil") + " <= :now)");
    }

    /** The batch's turn passes to an assigned subjob, or back from a running one that ended without an outcome. */
    private static Change turn(int index, SubJobStatus from, SubJobStatus to) {
        return new Change(index, List.of(path(index, "#status") + " = " + statusValue(to)),
                Map.of(statusValue(to), AttributeValue.fromS(to.name())), from);
    }

    /**
     * The update of one group that applies {@code changes} (all to subjobs of that group), on the condition that the
     * group belongs to {@code attempt} and each subjob still has the status its change expects.
     */
    private Update groupUpdate(String jobId, int attempt, List<Change> changes) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":attempt", AttributeValue.fromN(Integer.toString(attempt)));
        List<String> sets = new ArrayList<>();
        StringBuilder condition = new StringBuilder("#jobAttempt = :attempt");
        for (Change c : changes) {
            values.putAll(c.values());
            values.put(statusValue(c.expected()), AttributeValue.fromS(c.expected().name()));
            sets.addAll(c.sets());
            condition.append(" AND ").append(path(c.index(), "#status")).append(" = ").append(statusValue(c.expected()));
            if (c.also() != null) {
                condition.append(" AND ").append(c.also());
            }
        }
        String update = "SET " + String.join(", ", sets);
        // DynamoDB refuses names an expression does not use: name just those the two expressions hold.
        Map<String, String> names = new HashMap<>();
        Matcher placeholder = NAME_PLACEHOLDER.matcher(update + " " + condition);
        while (placeholder.find()) {
            String name = placeholder.group();
            Matcher entry = ENTRY_PLACEHOLDER.matcher(name);
            names.put(name, entry.matches() ? SubJobGroup.entryName(Integer.parseInt(entry.group(1))) : FIELD_NAMES.get(name));
        }
        return Update.builder()
                .tableName(tableName)
                .key(SubJobGroup.key(jobId, changes.get(0).index()))
                .updateExpression(update)
                .conditionExpression(condition.toString())
                .expressionAttributeNames(names)
                .expressionAttributeValues(values)
                .build();
    }

    /**
     * One page of the job's subjobs in index order.
     *
     * @throws InvalidPageTokenException when the token was not issued for this job
     */
    public Page<SubJob> list(String jobId, int limit, Optional<String> pageToken) {
        if (limit < 1 || limit > MAX_PAGE_SIZE) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_PAGE_SIZE + ", was " + limit);
        }
        int from = pageToken.map(t -> nextIndex(t, jobId)).orElse(0);
        // One subjob more than the page, to know whether another page follows: a job's subjobs have every index from 0.
        List<SubJob> found = read(jobId, from, (int) Math.min(Integer.MAX_VALUE, (long) from + limit));
        if (found.size() <= limit) {
            return new Page<>(found, Optional.empty());
        }
        return new Page<>(List.copyOf(found.subList(0, limit)), PageTokens.encode(Map.of(
                SubJobGroup.JOB_ID, AttributeValue.fromS(jobId),
                SubJobGroup.FIRST_INDEX, AttributeValue.fromN(Integer.toString(found.get(limit).index())))));
    }

    /** The index of the first subjob of the page {@code token} asks for. */
    private static int nextIndex(String token, String jobId) {
        AttributeValue next = PageTokens.decode(token, Map.of(SubJobGroup.JOB_ID, KeyAttributeSpec.Type.STRING,
                SubJobGroup.FIRST_INDEX, KeyAttributeSpec.Type.NUMBER), SubJobGroup.JOB_ID, jobId).get(SubJobGroup.FIRST_INDEX);
        try {
            int index = Integer.parseInt(next.n());
            if (index >= 0) {
                return index;
            }
        } catch (RuntimeException malformed) {
            // answered below, as any token this listing did not issue
        }
        throw new InvalidPageTokenException(
                "nextToken is not a token this listing issued; pass back nextToken exactly as received");
    }

    /**
     * Deletes every subjob item of {@code jobId}: a query page (keys only, up to {@link #MAX_PAGE_SIZE} items) at a
     * time, each page in batches of 25 deletes. Deleting an item that is already gone is not an error, so a repeat,
     * or two callers racing, end with the same empty result. For the cleaner, once the job's objects are gone.
     *
     * @return how many items this call asked DynamoDB to delete (a racing caller may have deleted some of them); an
     *     item holds up to {@value SubJobGroup#SIZE} subjobs
     */
    public int deleteAll(String jobId) {
        int deleted = 0;
        for (QueryResponse page : dynamoDb.queryPaginator(q -> q.tableName(tableName)
                .keyConditionExpression("#job = :job")
                .projectionExpression("#job, #first")
                .expressionAttributeNames(Map.of("#job", SubJobGroup.JOB_ID, "#first", SubJobGroup.FIRST_INDEX))
                .expressionAttributeValues(Map.of(":job", AttributeValue.fromS(jobId)))
                .consistentRead(true)
                .limit(MAX_PAGE_SIZE))) {
            List<WriteRequest> deletes = page.items().stream()
                    .map(key -> WriteRequest.builder().deleteRequest(DeleteRequest.builder().key(key).build()).build())
                    .toList();
            for (int i = 0; i < deletes.size(); i += BATCH_WRITE_LIMIT) {
                writeBatch(deletes.subList(i, Math.min(i + BATCH_WRITE_LIMIT, deletes.size())));
            }
            deleted += deletes.size();
        }
        return deleted;
    }

    /**
     * Writes the subjob changes, one update per group, and the job's progress change in one transaction
     * ({@link Transactions}: tried again if it meets another on one of its items).
     *
     * @return whether all was written, or which condition failed (nothing was written then); other failures are
     *     thrown
     */
    private Written transact(String jobId, int attempt, List<Change> changes, Update jobChange) {
        Map<Integer, List<Change>> byGroup = new TreeMap<>();
        changes.forEach(c -> byGroup.computeIfAbsent(SubJobGroup.firstIndex(c.index()), g -> new ArrayList<>()).add(c));
        List<TransactWriteItem> writes = new ArrayList<>();
        byGroup.values().forEach(group -> writes.add(TransactWriteItem.builder().update(groupUpdate(jobId, attempt, group)).build()));
        writes.add(TransactWriteItem.builder().update(jobChange).build());
        try {
            Transactions.write(dynamoDb, writes);
            return Written.ALL;
        } catch (TransactionCanceledException e) {
            List<CancellationReason> reasons = e.cancellationReasons();
            if (reasons.size() == writes.size() && "ConditionalCheckFailed".equals(reasons.get(reasons.size() - 1).code())) {
                return Written.JOB_NOT_RUNNING;
            }
            if (reasons.stream().anyMatch(r -> "ConditionalCheckFailed".equals(r.code()))) {
                return Written.SUBJOB_CHANGED;
            }
            throw e;
        }
    }
}
