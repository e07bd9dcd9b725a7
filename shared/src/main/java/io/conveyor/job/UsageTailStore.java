package io.conveyor.job;

import io.conveyor.persistence.BatchGets;
import io.conveyor.usage.Usage;
import io.conveyor.usage.UsageMeter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The tail of each invocation's usage: what it consumed after its last write of its job (that write's own units, the
 * requests it sent after it, the rest of its time), or all of it for an invocation that writes no job. One small item
 * per job in the jobs table, under {@code usage#<job id>} (job ids are UUIDs, so no job takes that key, and lacking
 * every index key the item is in no index), takes each invocation's tail with one {@code UpdateItem} that {@code ADD}s
 * its numbers: concurrent invocations add without conflict, and the job item, its version and its readers' optimistic
 * locks are untouched. One number attribute per measure and attempt ({@code w2}: write units of attempt 2).
 *
 * <p>Its TTL follows the job's: each tail write sets the item's {@code deleteAfter} to the job's as the invocation last
 * read or wrote the job (none while the job runs); the cleaner deletes it with the job.
 *
 * <p>Thread-safe.
 */
public final class UsageTailStore {
    public static final String KEY_PREFIX = "usage#";
    /**
     * A tail write's own cost, added by the write itself. DynamoDB charges an {@code UpdateItem} one write unit per KB
     * of the larger of the item before and after, plus one per index entry it changes. The item is in no index, and it
     * holds its key (47 bytes), {@code deleteAfter} (about 17) and at most nine numbers per attempt of the job, each a
     * name of two or three characters and a value of at most 8 bytes here (about 100 bytes an attempt): under 1 KB for
     * up to nine attempts, so the write costs exactly one unit. (A job retried into a tenth attempt may make it two, of
     * which one is counted.)
     */
    static final double OWN_WRITE_UNITS = 1;

    /** The measures of a usage, in the order of {@link Usage}'s fields, each with the letter its attributes start with. */
    private enum Measure {
        TRANSITIONS('t'), INVOCATIONS('i'), MB_MILLIS('m'), READ_UNITS('r'), WRITE_UNITS('w'), S3_CLASS_A('a'),
        S3_CLASS_B('b'), S3_BYTES('s'), EVENTS('e');

        final char code;

        Measure(char code) {
            this.code = code;
        }

        static Measure of(char code) {
            for (Measure m : values()) {
                if (m.code == code) {
                    return m;
                }
            }
            return null;
        }
    }

    /**
     * Where a tail goes: the attempt its usage belongs to, and the job's TTL as the invocation last saw it, if it saw
     * the job item ({@code deleteAfter} {@code null} then means the job had none).
     */
    record Place(int attempt, Long deleteAfter, boolean sawJobItem) {
        static Place of(Job job, int attempt) {
            return new Place(attempt, JobItem.deleteAfter(job), true);
        }

        /** From a transaction's update of a running attempt: the job item was not read, so its TTL is not known. */
        static Place ofRunningAttempt(int attempt) {
            return new Place(attempt, null, false);
        }
    }

    private final DynamoDbClient dynamoDb;
    private final String tableName;

    public UsageTailStore(DynamoDbClient dynamoDb, String tableName) {
        this.dynamoDb = dynamoDb;
        this.tableName = tableName;
    }

    /** Sends the running invocation's tail for {@code jobId}, when it ends, to {@code place}. */
    void route(String jobId, Place place) {
        UsageMeter.routeTail(jobId, tail -> add(jobId, place, tail));
    }

    /** Adds {@code tail}, and this write's own unit, to what attempt {@code place.attempt()} of the job consumed. */
    void add(String jobId, Place place, Usage tail) {
        Usage withOwnWrite = tail.plus(Usage.dynamoDb(0, OWN_WRITE_UNITS));
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        List<String> adds = new ArrayList<>();
        for (Measure measure : Measure.values()) {
            JobStore.addClause(adds, names, values, measure.code + Integer.toString(place.attempt()),
                    amount(withOwnWrite, measure));
        }
        String expression = "ADD " + String.join(", ", adds);
        if (place.sawJobItem()) {
            names.put("#ttl", JobItem.DELETE_AFTER);
            if (place.deleteAfter() == null) {
                expression += " REMOVE #ttl";
            } else {
                values.put(":ttl", AttributeValue.fromN(Long.toString(place.deleteAfter())));
                expression += " SET #ttl = :ttl";
            }
        }
        String update = expression;
        dynamoDb.updateItem(u -> u.tableName(tableName).key(key(jobId)).updateExpression(update)
                .expressionAttributeNames(names).expressionAttributeValues(values));
    }

    /** The tails of job {@code jobId}: one eventually consistent GetItem of an item under 4 KB, half a read unit. */
    public UsageTails read(String jobId) {
        return tails(dynamoDb.getItem(g -> g.tableName(tableName).key(key(jobId))).item());
    }

    /**
     * The tails of each of {@code jobIds}, by job id: eventually consistent BatchGetItems of up to 100 keys
     * ({@link BatchGets}), half a read unit per job, found or not.
     */
    public Map<String, UsageTails> read(Collection<String> jobIds) {
        Map<String, UsageTails> tails = new HashMap<>();
        List<String> ids = new ArrayList<>(new LinkedHashSet<>(jobIds));
        for (Map<String, AttributeValue> item : BatchGets.items(dynamoDb, tableName,
                ids.stream().map(UsageTailStore::key).toList())) {
            tails.put(item.get(JobItem.JOB_ID).s().substring(KEY_PREFIX.length()), tails(item));
        }
        ids.forEach(id -> tails.putIfAbsent(id, UsageTails.NONE));
        return tails;
    }

    /** Deletes the job's tails, with the job (a missing item is no error). */
    public void delete(String jobId) {
        dynamoDb.deleteItem(d -> d.tableName(tableName).key(key(jobId)));
    }

    private static UsageTails tails(Map<String, AttributeValue> item) {
        if (item == null || item.isEmpty()) {
            return UsageTails.NONE;
        }
        Map<Integer, double[]> measures = new HashMap<>();
        item.forEach((name, value) -> {
            Measure measure = name.isEmpty() ? null : Measure.of(name.charAt(0));
            if (measure != null && value.n() != null && name.length() > 1
                    && name.substring(1).chars().allMatch(Character::isDigit)) {
                measures.computeIfAbsent(Integer.parseInt(name.substring(1)), a -> new double[Measure.values().length])
                        [measure.ordinal()] = Double.parseDouble(value.n());
            }
        });
        Map<Integer, Usage> byAttempt = new HashMap<>();
        measures.forEach((attempt, m) -> byAttempt.put(attempt, new Usage((long) m[0], (long) m[1], (long) m[2], m[3], m[4],
                (long) m[5], (long) m[6], (long) m[7], (long) m[8])));
        return new UsageTails(byAttempt);
    }

    private static double amount(Usage usage, Measure measure) {
        return switch (measure) {
            case TRANSITIONS -> usage.transitions();
            case INVOCATIONS -> usage.lambdaInvocations();
            case MB_MILLIS -> usage.lambdaMbMillis();
            case READ_UNITS -> usage.readUnits();
            case WRITE_UNITS -> usage.writeUnits();
            case S3_CLASS_A -> usage.s3ClassA();
            case S3_CLASS_B -> usage.s3ClassB();
            case S3_BYTES -> usage.s3BytesWritten();
            case EVENTS -> usage.events();
        };
    }

    private static Map<String, AttributeValue> key(String jobId) {
        return Map.of(JobItem.JOB_ID, AttributeValue.fromS(KEY_PREFIX + jobId));
    }
}
