package io.conveyor.admission;

import io.conveyor.persistence.KeyAttributeSpec;
import io.conveyor.persistence.TableSpec;
import io.conveyor.persistence.Timestamps;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * Workflows parked on a task token, in lanes ordered by arrival: the admission lane (jobs waiting for a quota
 * slot) and one lane per job that others depend on. Removing a waiter is conditional, so of several processes
 * that try to wake the same waiter exactly one succeeds: the one that removed it.
 *
 * <p>Thread-safe.
 */
public final class WaitlistStore {

    /** The waitlist table: lane, then arrival order. */
    public static final TableSpec TABLE = new TableSpec(
            "Waitlist",
            "CONVEYOR_WAITLIST_TABLE",
            KeyAttributeSpec.string(WaitlistStore.LANE),
            Optional.of(KeyAttributeSpec.string(WaitlistStore.POSITION)),
            List.of(),
            Optional.empty());

    /** The lane of jobs waiting for a quota slot. */
    public static final String ADMISSION = "admission";

    static final String LANE = "lane";
    static final String POSITION = "position";

    private final DynamoDbClient dynamoDb;
    private final String tableName;

    public WaitlistStore(DynamoDbClient dynamoDb, String tableName) {
        this.dynamoDb = dynamoDb;
        this.tableName = tableName;
    }

    /** The lane of jobs waiting for {@code jobId} to finish. */
    public static String after(String jobId) {
        return "after#" + jobId;
    }

    /** Parks {@code waiter}; parking the same job again in the same lane replaces its token. */
    public void add(Waiter waiter) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(LANE, s(waiter.lane()));
        item.put(POSITION, s(position(waiter)));
        item.put("jobId", s(waiter.jobId()));
        item.put("owner", s(waiter.owner()));
        item.put("program", s(waiter.program()));
        item.put("taskToken", s(waiter.taskToken()));
        item.put("enqueuedAt", s(Timestamps.sortable(waiter.enqueuedAt())));
        dynamoDb.putItem(b -> b.tableName(tableName).item(item));
    }

    /** Every waiter of {@code lane}, earliest first. */
    public List<Waiter> list(String lane) {
        List<Waiter> waiters = new ArrayList<>();
        dynamoDb.queryPaginator(b -> b.tableName(tableName)
                        .keyConditionExpression("#lane = :lane")
                        .expressionAttributeNames(Map.of("#lane", LANE))
                        .expressionAttributeValues(Map.of(":lane", s(lane)))
                        .consistentRead(true))
                .items()
                .forEach(item -> waiters.add(new Waiter(item.get(LANE).s(), item.get("jobId").s(),
                        item.get("owner").s(), item.get("program").s(), item.get("taskToken").s(),
                        Timestamps.parse(item.get("enqueuedAt").s()))));
        return waiters;
    }

    /**
     * Takes {@code waiter} out of its lane.
     *
     * @return {@code true} if this call removed it, so this caller, and no other, now resumes its workflow
     */
    public boolean remove(Waiter waiter) {
        try {
            dynamoDb.deleteItem(b -> b.tableName(tableName)
                    .key(Map.of(LANE, s(waiter.lane()), POSITION, s(position(waiter))))
                    .conditionExpression("attribute_exists(#lane)")
                    .expressionAttributeNames(Map.of("#lane", LANE)));
            return true;
        } catch (ConditionalCheckFailedException alreadyTaken) {
            return false;
        }
    }

    /** Removes every waiter of {@code jobId} from {@code lane}; used when the job is cancelled or ends. */
    public void removeJob(String lane, String jobId) {
        for (Waiter waiter : list(lane)) {
            if (waiter.jobId().equals(jobId)) {
                remove(waiter);
            }
        }
    }

    private static String position(Waiter waiter) {
        return Timestamps.sortable(waiter.enqueuedAt()) + "#" + waiter.jobId();
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }
}
