package io.conveyor.subjob;

import io.conveyor.persistence.Timestamps;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * The holds of subjobs that worker invocations started ({@link SubJobStore#startAll}): each a time in the subjob's
 * entry ({@code heldUntil}) until which no other invocation takes it. Its invocation moves it on while it runs the
 * subjob, and back to now when it ends without an outcome; each move is one conditional update that applies only if
 * the hold is still the one the invocation set, so an invocation never moves another's. A delivery that found its
 * subjobs held reads here which are free again ({@link #unfinished}). Thread-safe.
 */
public final class SubJobHolds {
    /** Reads the items of the groups that hold a job's subjobs from one index through another. */
    @FunctionalInterface
    interface GroupReader {
        void read(String jobId, int from, int through, Consumer<Map<String, AttributeValue>> each);
    }

    private final DynamoDbClient dynamoDb;
    private final String tableName;
    private final GroupReader groups;

    SubJobHolds(DynamoDbClient dynamoDb, String tableName, GroupReader groups) {
        this.dynamoDb = dynamoDb;
        this.tableName = tableName;
        this.groups = groups;
    }

    /**
     * The invocation that started {@code indices} with {@link SubJobStore#startAll}, holding them until
     * {@code heldUntil}, lets go of them as it ends: those it leaves without an outcome (declined, to be retried) are then free at once for the
     * state's Retry, rather than when the hold would run out. One that another invocation holds by now stays its.
     */
    public void release(String jobId, int attempt, List<Integer> indices, Instant heldUntil, Instant now) {
        for (int index : indices) {
            moveHold(jobId, attempt, index, heldUntil, now);
        }
    }

    /**
     * The invocation holding subjob {@code index} until {@code heldUntil} still runs it: it holds it until
     * {@code until} instead.
     *
     * @return {@code false} when it no longer holds it (its hold ran out and another invocation took it)
     */
    public boolean renew(String jobId, int attempt, int index, Instant heldUntil, Instant until) {
        return moveHold(jobId, attempt, index, heldUntil, until);
    }

    /** One conditional update: the hold moves only if it is still the one {@code from} names. */
    private boolean moveHold(String jobId, int attempt, int index, Instant from, Instant to) {
        try {
            dynamoDb.updateItem(b -> b.tableName(tableName).key(SubJobGroup.key(jobId, index))
                    .updateExpression("SET #s.#heldUntil = :to")
                    .conditionExpression("#jobAttempt = :attempt AND #s.#heldUntil = :from")
                    .expressionAttributeNames(Map.of("#s", SubJobGroup.entryName(index),
                            "#heldUntil", SubJobGroup.HELD_UNTIL, "#jobAttempt", SubJobGroup.JOB_ATTEMPT))
                    .expressionAttributeValues(Map.of(":to", AttributeValue.fromS(Timestamps.sortable(to)),
                            ":attempt", AttributeValue.fromN(Integer.toString(attempt)),
                            ":from", AttributeValue.fromS(Timestamps.sortable(from)))));
            return true;
        } catch (ConditionalCheckFailedException heldByAnotherOrReplaced) {
            return false;
        }
    }

    /**
     * What a delivery that could not start some of its subjobs (another invocation holds them) still waits for.
     *
     * @param indices those asked about that are subjobs of the attempt without a recorded outcome, in the order asked
     * @param free    those of them no invocation holds: let go of, or whose hold ran out
     */
    public record Unfinished(List<Integer> indices, List<Integer> free) {}

    /**
     * Which of {@code indices} still have no outcome in {@code attempt}, and which of those are free at {@code now}:
     * one consistent query over their groups, so a waiting delivery tries to start only what it can take.
     */
    public Unfinished unfinished(String jobId, int attempt, List<Integer> indices, Instant now) {
        if (indices.isEmpty()) {
            return new Unfinished(List.of(), List.of());
        }
        Map<Integer, SubJob> current = new HashMap<>();
        Map<Integer, String> holds = new HashMap<>();
        groups.read(jobId, indices.stream().mapToInt(Integer::intValue).min().orElseThrow(),
                indices.stream().mapToInt(Integer::intValue).max().orElseThrow(), item -> {
                    SubJobGroup.subJobs(item).forEach(s -> current.put(s.index(), s));
                    holds.putAll(SubJobGroup.heldUntil(item));
                });
        List<Integer> unfinished = indices.stream().filter(i -> current.containsKey(i)
                && current.get(i).jobAttempt() == attempt && !current.get(i).status().isOutcome()).toList();
        String at = Timestamps.sortable(now);
        // As startAll's condition: free when no hold is recorded or it is not after now.
        List<Integer> free = unfinished.stream().filter(i -> !holds.containsKey(i) || holds.get(i).compareTo(at) <= 0)
                .toList();
        return new Unfinished(unfinished, free);
    }
}
