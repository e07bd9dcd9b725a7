package io.conveyor.worker;

import io.conveyor.persistence.IndexSpec;
import io.conveyor.persistence.KeyAttributeSpec;
import io.conveyor.persistence.TableSpec;
import io.conveyor.persistence.Timestamps;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.Select;

/**
 * The durable queue of subjobs that wait for an external worker, and the workers registered to take them: one table,
 * two kinds of item. A subjob's offer is one item per subjob and job attempt, holding the task token of the workflow
 * task that waits for a worker to claim it; until the workflow has taken a claim its {@code readyFor} attribute
 * ({@code program#owner}) puts it in the sparse {@value #READY_INDEX} index, sorted by {@code readyAt}, the time from
 * which it may be claimed. Claiming is one conditional update that moves {@code readyAt} to the end of the claim's
 * lease ({@link #CLAIM_LEASE}), so two workers never claim the same offer, and a claim the API never passed on to the
 * workflow (it died between the two) is claimable again once its lease is over. The workflow's hand-over takes the
 * offer out of the index. An offer made again (the subjob re-registered after a heartbeat timeout or a decline)
 * replaces the claim, so a late answer from the worker it was taken from no longer matches. Items expire through
 * DynamoDB's TTL once nothing can answer them. A worker and the offers it holds carry {@code workerOwner} (the caller
 * that registered the worker), which puts them in the sparse {@value #WORKERS_INDEX} index: one query lists an
 * owner's workers with what each holds. A worker not yet found dead also carries {@code watched}, which puts it in the
 * sparse {@value #DEADLINES_INDEX} index by its deadline, where a sweep finds the workers that missed theirs.
 *
 * <p>Thread-safe.
 */
public final class WorkQueue {
    static final String ID = "id";
    static final String READY_FOR = "readyFor";
    static final String READY_AT = "readyAt";
    static final String EXPIRES_AT = "expiresAt";
    /** The sparse index of offers not yet handed over: {@code program#owner}, by the time they may be claimed from. */
    public static final String READY_INDEX = "Ready";
    static final String WORKER_OWNER = "workerOwner";
    static final String WORKER_ID = "workerId";
    /** The sparse index of workers and the offers they hold: by owner, then by worker. */
    public static final String WORKERS_INDEX = "Workers";
    static final String WATCHED = "watched";
    static final String DEADLINE = "deadline";
    /**
     * The sparse index of the workers not yet found dead, by deadline. One partition ({@value #WATCHED_WORKER}): each
     * call of a worker moves its deadline, an index write, and one partition takes about 1,000 of them a second, far
     * more than the workers' calls (a poll every 20 s, a heartbeat per held subjob) of the fleets this serves.
     */
    public static final String DEADLINES_INDEX = "Deadlines";
    private static final String WATCHED_WORKER = "worker";

    /** The work queue table. */
    public static final TableSpec TABLE = new TableSpec(
            "WorkQueue",
            "CONVEYOR_WORK_QUEUE_TABLE",
            KeyAttributeSpec.string(ID),
            Optional.empty(),
            List.of(new IndexSpec(READY_INDEX, KeyAttributeSpec.string(READY_FOR),
                            Optional.of(KeyAttributeSpec.string(READY_AT)), false),
                    new IndexSpec(WORKERS_INDEX, KeyAttributeSpec.string(WORKER_OWNER),
                            Optional.of(KeyAttributeSpec.string(WORKER_ID)), false),
                    new IndexSpec(DEADLINES_INDEX, KeyAttributeSpec.string(WATCHED),
                            Optional.of(KeyAttributeSpec.number(DEADLINE)), false)),
            Optional.of(EXPIRES_AT));

    /** Offers and workers are kept this long past their last use, for late answers to be told what happened. */
    private static final Duration KEEP = Duration.ofDays(1);
    /**
     * An offer waits for a worker as long as its execution may run (a Standard workflow's limit is a year): deleted
     * sooner, the task waiting on it would never be resumed.
     */
    private static final Duration OPEN_OFFER = Duration.ofDays(366);
    /**
     * How long a claim waits for the workflow to take it before another worker may claim the subjob: longer than the
     * API function may run ({@code Catalogue.API}, 29 s), so a claim whose API call is still under way never expires.
     */
    public static final Duration CLAIM_LEASE = Duration.ofSeconds(60);

    /**
     * A subjob offered to external workers.
     *
     * @param input the subjob's input as JSON text, as the manifest lists it
     */
    public record Offer(String jobId, int attempt, int index, String program, String owner, String input) {}

    /**
     * An offer as stored, claimed or not.
     *
     * @param offerToken the token of the task waiting for a worker to claim it
     * @param claimId    the current claim, or null while it waits (or after a decline)
     * @param workerId   the worker holding it, or null
     * @param runToken   the token of the task waiting for the worker's answer, once the workflow has handed it over
     */
    public record Held(Offer offer, String offerToken, String claimId, String workerId, String runToken,
            List<String> declinedBy) {}

    /**
     * A registered worker.
     *
     * @param owner    the caller that registered it, the only one that may act as it
     * @param name     what its owner calls it (a host, a pool), or null: shown with the subjobs it ran
     * @param worksFor the owners whose subjobs it takes: its owner, or those a worker identity may work for
     *                 ({@link WorkerIdentities})
     */
    public record Worker(String id, String owner, List<String> programs, List<String> capabilities, Duration lease,
            Instant deadline, Instant registeredAt, String name, List<String> worksFor) {
        public boolean isDead(Instant now) {
            return now.isAfter(deadline);
        }
    }

    /** What {@link #refresh} found. */
    public sealed interface Refresh {
        record Alive(Worker worker) implements Refresh {}
        /** No such worker for this owner. */
        record Unknown() implements Refresh {}
        /** It missed its deadline: dead for good. */
        record Dead(Worker worker) implements Refresh {}
    }

    private final DynamoDbClient dynamoDb;
    private final String tableName;

    public WorkQueue(DynamoDbClient dynamoDb, String tableName) {
        this.dynamoDb = dynamoDb;
        this.tableName = tableName;
    }

    // ---- offers ----

    static String offerId(String jobId, int attempt, int index) {
        return "offer#" + jobId + "#" + attempt + "#" + index;
    }

    /**
     * Offers the subjob with the token of the task that waits for a claim; whatever claim it had is dropped. The same
     * offer delivered again (same token) changes nothing.
     *
     * @param keepFor how long the subjob may run once claimed; the offer is kept as long as its execution may wait
     */
    public void offer(Offer offer, String offerToken, Instant now, Duration keepFor) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":token", s(offerToken));
        values.put(":readyFor", s(readyFor(offer.program(), offer.owner())));
        values.put(":readyAt", s(readyAt(now, offer.jobId(), offer.attempt(), offer.index())));
        values.put(":jobId", s(offer.jobId()));
        values.put(":attempt", n(offer.attempt()));
        values.put(":index", n(offer.index()));
        values.put(":program", s(offer.program()));
        values.put(":owner", s(offer.owner()));
        values.put(":input", s(offer.input()));
        values.put(":expires", n(now.plus(OPEN_OFFER).plus(keepFor).getEpochSecond()));
        try {
            dynamoDb.updateItem(b -> b.tableName(tableName).key(key(offerId(offer.jobId(), offer.attempt(), offer.index())))
                    .updateExpression("SET offerToken = :token, readyFor = :readyFor, readyAt = :readyAt, offeredAt = :readyAt, jobId = :jobId, "
                            + "jobAttempt = :attempt, subJobIndex = :index, #program = :program, #owner = :owner, "
                            + "subJobInput = :input, expiresAt = :expires REMOVE claimId, workerId, workerOwner, runToken")
                    .conditionExpression("attribute_not_exists(offerToken) OR offerToken <> :token")
                    .expressionAttributeNames(Map.of("#owner", "owner", "#program", "program"))
                    .expressionAttributeValues(values));
        } catch (ConditionalCheckFailedException repeated) {
            // The same task's offer delivered again: it stands as it is, claimed or not.
        }
    }

    /**
     * The oldest offers of {@code program} for {@code owner}'s workers that may be claimed at {@code now}, at most
     * {@code limit}: those never claimed, and those whose claim's lease ran out before the workflow took it.
     */
    public List<Held> ready(String program, String owner, Instant now, int limit) {
        List<Held> found = new ArrayList<>();
        dynamoDb.query(q -> q.tableName(tableName).indexName(READY_INDEX)
                        .keyConditionExpression("readyFor = :readyFor AND readyAt < :cut")
                        .expressionAttributeValues(Map.of(":readyFor", s(readyFor(program, owner)), ":cut", s(cut(now))))
                        .limit(limit))
                .items().forEach(item -> found.add(held(item)));
        return found;
    }

    /**
     * How many subjobs of job {@code jobId} wait for a worker at {@code now}: its offers in the {@value #READY_INDEX}
     * index that may be claimed. One query of the program's and owner's part of the index, counted by DynamoDB
     * ({@code Select COUNT}); the owner's other jobs' offers are read and filtered out.
     */
    public int waiting(String program, String owner, String jobId, Instant now) {
        int count = 0;
        for (QueryResponse page : dynamoDb.queryPaginator(q -> q.tableName(tableName).indexName(READY_INDEX)
                .keyConditionExpression("readyFor = :readyFor AND readyAt < :cut")
                .filterExpression("jobId = :jobId")
                .expressionAttributeValues(Map.of(":readyFor", s(readyFor(program, owner)), ":cut", s(cut(now)),
                        ":jobId", s(jobId)))
                .select(Select.COUNT))) {
            count += page.count();
        }
        return count;
    }

    /**
     * Claims {@code ready} for worker {@code workerId} of {@code workerOwner} (who registered it) until {@code now} plus {@link #CLAIM_LEASE}, if it is still the same
     * offer, claimable at {@code now} and with the claim it was read with (none, or an expired one), and the worker has
     * not declined the subjob before: one conditional update, so of two workers claiming it one gets it.
     *
     * @return the claimed offer; empty when another took it first, or it was offered anew or handed over meanwhile
     */
    public Optional<Held> claim(Held ready, String workerId, String workerOwner, String claimId, Instant now) {
        Offer o = ready.offer();
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":claim", s(claimId), ":worker", s(workerId),
                ":workerOwner", s(workerOwner),
                ":token", s(ready.offerToken()), ":cut", s(cut(now)),
                ":leased", s(readyAt(now.plus(CLAIM_LEASE), o.jobId(), o.attempt(), o.index()))));
        if (ready.claimId() != null) {
            values.put(":seen", s(ready.claimId()));
        }
        try {
            Map<String, AttributeValue> item = dynamoDb.updateItem(b -> b.tableName(tableName)
                    .key(key(offerId(o.jobId(), o.attempt(), o.index())))
                    .updateExpression("SET claimId = :claim, workerId = :worker, workerOwner = :workerOwner, readyAt = :leased")
                    .conditionExpression("readyAt < :cut AND offerToken = :token AND "
                            + (ready.claimId() == null ? "attribute_not_exists(claimId)" : "claimId = :seen")
                            + " AND (attribute_not_exists(declinedBy) OR NOT contains(declinedBy, :worker))")
                    .expressionAttributeValues(values)
                    .returnValues(ReturnValue.ALL_NEW)).attributes();
            return Optional.of(held(item));
        } catch (ConditionalCheckFailedException taken) {
            return Optional.empty();
        }
    }

    /**
     * Makes a claimed offer claimable at once again, in its place as first offered: the claim could not be passed on
     * to the workflow, and the subjob must not stay held by a worker that never got it.
     */
    public void unclaim(Held claimed, String claimId) {
        Offer o = claimed.offer();
        try {
            dynamoDb.updateItem(b -> b.tableName(tableName).key(key(offerId(o.jobId(), o.attempt(), o.index())))
                    .updateExpression("SET readyAt = offeredAt REMOVE claimId, workerId, workerOwner")
                    .conditionExpression("claimId = :claim AND attribute_exists(readyFor)")
                    .expressionAttributeValues(Map.of(":claim", s(claimId))));
        } catch (ConditionalCheckFailedException replaced) {
            // Offered anew or handed over meanwhile: nothing of this claim is left to undo.
        }
    }

    /**
     * Takes an offer with an expired claim out of the index when the task waiting for a claim no longer waits: the
     * expired claim did reach the workflow, which will hand it over (with the claim left as it is), or the job ended.
     */
    public void retire(Held expired, Instant now) {
        Offer o = expired.offer();
        try {
            dynamoDb.updateItem(b -> b.tableName(tableName).key(key(offerId(o.jobId(), o.attempt(), o.index())))
                    .updateExpression("REMOVE readyFor, readyAt")
                    .conditionExpression("claimId = :claim AND readyAt < :cut")
                    .expressionAttributeValues(Map.of(":claim", s(expired.claimId()), ":cut", s(cut(now)))));
        } catch (ConditionalCheckFailedException changed) {
            // Claimed, handed over or offered anew meanwhile: it is where it belongs.
        }
    }

    /**
     * The workflow took the claim: the task waiting for the worker's answer has {@code runToken}, and the offer leaves
     * the index.
     */
    public boolean handOver(String jobId, int attempt, int index, String claimId, String runToken) {
        try {
            dynamoDb.updateItem(b -> b.tableName(tableName).key(key(offerId(jobId, attempt, index)))
                    .updateExpression("SET runToken = :token REMOVE readyFor, readyAt")
                    .conditionExpression("claimId = :claim")
                    .expressionAttributeValues(Map.of(":token", s(runToken), ":claim", s(claimId))));
            return true;
        } catch (ConditionalCheckFailedException replaced) {
            return false;
        }
    }

    /** The offer of subjob {@code index} of the job's attempt, read consistently. */
    public Optional<Held> offer(String jobId, int attempt, int index) {
        Map<String, AttributeValue> item = dynamoDb.getItem(b -> b.tableName(tableName)
                .key(key(offerId(jobId, attempt, index))).consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(held(item));
    }

    /**
     * Ends claim {@code claimId}: the worker answered (or the workflow no longer waits for it). With {@code declined},
     * the worker is remembered so the subjob, offered again, goes to another worker.
     *
     * @return false when the claim had been replaced already
     */
    public boolean release(String jobId, int attempt, int index, String claimId, Optional<String> declinedBy, Instant now) {
        try {
            // Offered again, it is kept as an open offer again; else it is kept a day for late answers.
            Map<String, AttributeValue> values = new HashMap<>(Map.of(":claim", s(claimId),
                    ":expires", n(now.plus(KEEP).getEpochSecond())));
            declinedBy.ifPresent(w -> values.put(":worker", AttributeValue.fromSs(List.of(w))));
            dynamoDb.updateItem(b -> b.tableName(tableName).key(key(offerId(jobId, attempt, index)))
                    .updateExpression("SET expiresAt = :expires REMOVE claimId, workerId, workerOwner, runToken, readyFor, readyAt"
                            + (declinedBy.isPresent() ? " ADD declinedBy :worker" : ""))
                    .conditionExpression("claimId = :claim")
                    .expressionAttributeValues(values));
            return true;
        } catch (ConditionalCheckFailedException replaced) {
            return false;
        }
    }

    /** An offer's place in the index: claimable from {@code from}, ties broken by the offer. */
    private static String readyAt(Instant from, String jobId, int attempt, int index) {
        return Timestamps.sortable(from) + "#" + offerId(jobId, attempt, index);
    }

    /** Below every {@link #readyAt} of times up to {@code now} ('$' follows the '#' after the time), above the rest. */
    private static String cut(Instant now) {
        return Timestamps.sortable(now) + "$";
    }

    private static String readyFor(String program, String owner) {
        // Program names never hold '#' (ProgramDefinition's rule), so the first '#' ends the program.
        return program + "#" + owner;
    }

    private static Held held(Map<String, AttributeValue> item) {
        Offer offer = new Offer(text(item, "jobId"), number(item, "jobAttempt"), number(item, "subJobIndex"),
                text(item, "program"), text(item, "owner"), text(item, "subJobInput"));
        AttributeValue declined = item.get("declinedBy");
        return new Held(offer, text(item, "offerToken"), text(item, "claimId"), text(item, "workerId"),
                text(item, "runToken"), declined == null ? List.of() : declined.ss());
    }

    // ---- workers ----

    static String workerId(String id) {
        return "worker#" + id;
    }

    /** Registers a new worker. */
    public void register(Worker worker) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(ID, s(workerId(worker.id())));
        item.put("owner", s(worker.owner()));
        item.put(WORKER_OWNER, s(worker.owner()));
        item.put(WORKER_ID, s(worker.id()));
        item.put("programs", AttributeValue.fromL(worker.programs().stream().map(WorkQueue::s).toList()));
        item.put("capabilities", AttributeValue.fromL(worker.capabilities().stream().map(WorkQueue::s).toList()));
        item.put("worksFor", AttributeValue.fromL(worker.worksFor().stream().map(WorkQueue::s).toList()));
        item.put("leaseMillis", n(worker.lease().toMillis()));
        item.put(DEADLINE, n(worker.deadline().toEpochMilli()));
        item.put(WATCHED, s(WATCHED_WORKER));
        item.put("registeredAt", s(Timestamps.sortable(worker.registeredAt())));
        if (worker.name() != null) {
            item.put("name", s(worker.name()));
        }
        item.put(EXPIRES_AT, n(worker.deadline().plus(KEEP).getEpochSecond()));
        dynamoDb.putItem(b -> b.tableName(tableName).item(item).conditionExpression("attribute_not_exists(id)"));
    }

    /**
     * The worker called in: unless it missed its deadline, the deadline moves to {@code now} plus its lease.
     * One conditional update; only when it fails is the worker read, to say why.
     */
    public Refresh refresh(String workerId, String owner, Instant now) {
        try {
            Map<String, AttributeValue> item = dynamoDb.updateItem(b -> b.tableName(tableName).key(key(workerId(workerId)))
                    .updateExpression("SET deadline = :now + leaseMillis, expiresAt = :expires")
                    .conditionExpression("#owner = :owner AND deadline >= :now")
                    .expressionAttributeNames(Map.of("#owner", "owner"))
                    .expressionAttributeValues(Map.of(":now", n(now.toEpochMilli()), ":owner", s(owner),
                            ":expires", n(now.plus(Duration.ofHours(1)).plus(KEEP).getEpochSecond())))
                    .returnValues(ReturnValue.ALL_NEW)).attributes();
            return new Refresh.Alive(worker(item));
        } catch (ConditionalCheckFailedException notAlive) {
            Optional<Worker> found = worker(workerId).filter(w -> w.owner().equals(owner));
            return found.<Refresh>map(Refresh.Dead::new).orElseGet(Refresh.Unknown::new);
        }
    }

    /** The worker, whoever owns it. */
    public Optional<Worker> worker(String workerId) {
        Map<String, AttributeValue> item = dynamoDb.getItem(b -> b.tableName(tableName).key(key(workerId(workerId)))
                .consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(worker(item));
    }

    /**
     * Marks {@code workerId}, found past its deadline at {@code now}, as dead: one conditional update, so of every call
     * that finds it dead exactly one announces it.
     *
     * @return whether this call marked it; false when it was marked before, or it is not dead (or gone)
     */
    public boolean markDead(String workerId, Instant now) {
        try {
            dynamoDb.updateItem(b -> b.tableName(tableName).key(key(workerId(workerId)))
                    .updateExpression("SET diedAt = :at REMOVE " + WATCHED)
                    .conditionExpression("deadline < :now AND attribute_not_exists(diedAt)")
                    .expressionAttributeValues(Map.of(":at", s(Timestamps.sortable(now)), ":now", n(now.toEpochMilli()))));
            return true;
        } catch (ConditionalCheckFailedException notNewlyDead) {
            return false;
        }
    }

    /**
     * The workers past their deadline at {@code now} and not yet {@link #markDead marked dead}, oldest deadline first,
     * read lazily from the {@value #DEADLINES_INDEX} index a page of {@code pageSize} at a time (eventually consistent:
     * a worker that has just called in may still show its old deadline, and one just marked may still be listed, which
     * {@link #markDead}'s condition settles).
     */
    public Stream<Worker> overdue(Instant now, int pageSize) {
        return dynamoDb.queryPaginator(q -> q.tableName(tableName).indexName(DEADLINES_INDEX)
                        .keyConditionExpression(WATCHED + " = :watched AND " + DEADLINE + " < :now")
                        .expressionAttributeValues(Map.of(":watched", s(WATCHED_WORKER), ":now", n(now.toEpochMilli())))
                        .limit(pageSize))
                .items().stream().map(WorkQueue::worker);
    }

    /** A worker with the subjobs it holds. */
    public record Holding(Worker worker, List<Offer> held) {}

    /**
     * {@code owner}'s workers, dead ones too until they expire, each with the offers it holds, in worker id order:
     * one query of the {@value #WORKERS_INDEX} index (eventually consistent, as every index read).
     */
    public List<Holding> workersOf(String owner) {
        Map<String, Worker> workers = new LinkedHashMap<>();
        Map<String, List<Offer>> holdings = new HashMap<>();
        dynamoDb.queryPaginator(q -> q.tableName(tableName).indexName(WORKERS_INDEX)
                        .keyConditionExpression("#owner = :owner")
                        .expressionAttributeNames(Map.of("#owner", WORKER_OWNER))
                        .expressionAttributeValues(Map.of(":owner", s(owner))))
                .items().forEach(item -> {
                    if (item.get(ID).s().startsWith("worker#")) {
                        Worker w = worker(item);
                        workers.put(w.id(), w);
                    } else {
                        holdings.computeIfAbsent(text(item, WORKER_ID), id -> new ArrayList<>()).add(held(item).offer());
                    }
                });
        return workers.values().stream().map(w -> new Holding(w, holdings.getOrDefault(w.id(), List.of()))).toList();
    }

    /** Deregisters {@code owner}'s worker; false when there was none. */
    public boolean deregister(String workerId, String owner) {
        try {
            dynamoDb.deleteItem(b -> b.tableName(tableName).key(key(workerId(workerId)))
                    .conditionExpression("#owner = :owner")
                    .expressionAttributeNames(Map.of("#owner", "owner"))
                    .expressionAttributeValues(Map.of(":owner", s(owner))));
            return true;
        } catch (ConditionalCheckFailedException none) {
            return false;
        }
    }

    private static Worker worker(Map<String, AttributeValue> item) {
        return new Worker(item.get(ID).s().substring("worker#".length()), text(item, "owner"),
                item.get("programs").l().stream().map(AttributeValue::s).toList(),
                item.get("capabilities").l().stream().map(AttributeValue::s).toList(),
                Duration.ofMillis(Long.parseLong(item.get("leaseMillis").n())),
                Instant.ofEpochMilli(Long.parseLong(item.get(DEADLINE).n())),
                Timestamps.parse(text(item, "registeredAt")), text(item, "name"),
                item.get("worksFor").l().stream().map(AttributeValue::s).toList());
    }

    private static Map<String, AttributeValue> key(String id) {
        return Map.of(ID, s(id));
    }

    private static String text(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null ? null : v.s();
    }

    private static int number(Map<String, AttributeValue> item, String name) {
        return Integer.parseInt(item.get(name).n());
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    private static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
