package io.conveyor.dynamodb.internal.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conveyor.dynamodb.internal.Database;
import io.conveyor.dynamodb.internal.Database.RequestContext;
import io.conveyor.dynamodb.internal.DynamoDbError;
import io.conveyor.dynamodb.internal.expression.Projection;
import io.conveyor.dynamodb.internal.expression.RequestExpressions;
import io.conveyor.dynamodb.internal.ops.ItemOperations.ConditionFailed;
import io.conveyor.dynamodb.internal.ops.ItemOperations.PreparedWrite;
import io.conveyor.dynamodb.internal.store.ItemLocks;
import io.conveyor.dynamodb.internal.store.Key;
import io.conveyor.dynamodb.internal.store.Table;
import io.conveyor.dynamodb.internal.value.ItemSize;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * TransactWriteItems and TransactGetItems: all or nothing, isolated from every other write. A write transaction
 * claims its items (a second transaction meeting a claimed item is cancelled with {@code TransactionConflict};
 * a single-item write gets TransactionConflictException), locks them, checks every condition against the current
 * items, and writes all or none. A read transaction reads its items under their locks, so it never sees half of
 * a write transaction.
 */
public final class TransactionOperations {
    private static final int MAX_ITEMS = 100;
    /** AWS remembers a ClientRequestToken for 10 minutes. */
    private static final Duration TOKEN_LIFETIME = Duration.ofMinutes(10);
    private static final Set<String> ON_FAILURE = Set.of("NONE", "ALL_OLD");
    private static final int MAX_TOKEN_LENGTH = 36;
    /** AWS refuses a TransactWriteItems whose items add up to more than 4 MB. */
    private static final long MAX_PAYLOAD_BYTES = 4L * 1024 * 1024;

    private final Database db;
    private final ItemOperations items;
    private final Map<String, TokenUse> tokens = new ConcurrentHashMap<>();
    /** Tokens in the order they were stored, so expired ones are dropped from the head without a full scan. */
    private final Queue<String> tokenOrder = new ConcurrentLinkedQueue<>();

    /** What a ClientRequestToken was first used for, and the answer given (the SDK sends one with every call). */
    private record TokenUse(JsonNode request, ObjectNode response, Instant expires) {
    }

    /** One transaction item's reason when the transaction is cancelled. */
    private record Reason(String code, String message, ObjectNode item) {
        ObjectNode toJson() {
            ObjectNode o = JsonNodeFactory.instance.objectNode();
            o.put("Code", code);
            if (message != null) {
                o.put("Message", message);
            }
            if (item != null) {
                o.set("Item", item);
            }
            return o;
        }
    }

    public TransactionOperations(Database db, ItemOperations items) {
        this.db = db;
        this.items = items;
    }

    private static ArrayNode transactItems(ObjectNode request) {
        JsonNode list = request.get("TransactItems");
        if (list == null || list.isNull()) {
            throw DynamoDbError.validation("1 validation error detected: Value null at 'transactItems' failed to satisfy "
                    + "constraint: Member must not be null");
        }
        if (!(list instanceof ArrayNode a)) {
            throw Requests.serialization("Unexpected value type in payload");
        }
        if (a.isEmpty() || a.size() > MAX_ITEMS) {
            throw DynamoDbError.validation("1 validation error detected: Value '" + a + "' at 'transactItems' failed to "
                    + "satisfy constraint: Member must have length " + (a.isEmpty() ? "greater than or equal to 1"
                    : "less than or equal to 100"));
        }
        return a;
    }

    private static DynamoDbError cancelled(List<Reason> reasons) {
        ObjectNode fields = JsonNodeFactory.instance.objectNode();
        ArrayNode list = fields.putArray("CancellationReasons");
        List<String> codes = new ArrayList<>();
        for (Reason r : reasons) {
            list.add(r.toJson());
            codes.add(r.code());
        }
        return new DynamoDbError(400, "TransactionCanceledException",
                "Transaction cancelled, please refer cancellation reasons for specific reasons " + codes, fields);
    }

    /** Reasons with {@code reason} at {@code index} and {@code None} everywhere else. */
    private static DynamoDbError cancelledAt(int size, int index, Reason reason) {
        List<Reason> reasons = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            reasons.add(i == index ? reason : new Reason("None", null, null));
        }
        return cancelled(reasons);
    }

    public ObjectNode transactWriteItems(ObjectNode request, RequestContext context) {
        ArrayNode list = transactItems(request);
        String mode = Capacity.mode(request);
        String token = Requests.string(request, "ClientRequestToken");
        if (token != null && (token.isEmpty() || token.length() > MAX_TOKEN_LENGTH)) {
            throw DynamoDbError.validation("1 validation error detected: Value '" + token + "' at 'clientRequestToken' "
                    + "failed to satisfy constraint: Member must have length " + (token.isEmpty()
                    ? "greater than or equal to 1" : "less than or equal to " + MAX_TOKEN_LENGTH));
        }
        ObjectNode fingerprint = request.deepCopy();
        fingerprint.remove("ReturnConsumedCapacity");
        if (token != null) {
            ObjectNode earlier = earlierAnswer(token, fingerprint);
            if (earlier != null) {
                return earlier;
            }
        }
        // Expressions first: their errors refuse the whole request; item errors cancel it with a reason.
        List<ObjectNode> specs = new ArrayList<>();
        List<String> kinds = new ArrayList<>();
        List<Table> tables = new ArrayList<>();
        List<RequestExpressions> parsed = new ArrayList<>();
        for (JsonNode entry : list) {
            String kind = null;
            for (String k : List.of("Put", "Update", "Delete", "ConditionCheck")) {
                if (entry.hasNonNull(k)) {
                    if (kind != null) {
                        throw DynamoDbError.validation("TransactItems can only contain one of Check, Put, Update or Delete");
                    }
                    kind = k;
                }
            }
            if (kind == null) {
                throw DynamoDbError.validation("TransactItems can only contain one of Check, Put, Update or Delete");
            }
            ObjectNode spec = Requests.object(entry, kind);
            Requests.choice(spec, "ReturnValuesOnConditionCheckFailure", "transactItems." + (specs.size() + 1)
                    + ".member." + Character.toLowerCase(kind.charAt(0)) + kind.substring(1)
                    + ".returnValuesOnConditionCheckFailure", ON_FAILURE, "NONE");
            if (kind.equals("ConditionCheck") && !spec.hasNonNull("ConditionExpression")) {
                throw DynamoDbError.validation("1 validation error detected: Value null at 'transactItems." + (specs.size() + 1)
                        + ".member.conditionCheck.conditionExpression' failed to satisfy constraint: Member must not be null");
            }
            Table table = items.tableOf(spec);
            specs.add(spec);
            kinds.add(kind);
            tables.add(table);
            parsed.add(ItemOperations.expressions(spec, table));
        }
        long payload = 0;
        for (ObjectNode spec : specs) {
            // The request's own size, as AWS measures it (deleting 5 MB of items in one small request is fine).
            payload += spec.toString().length();
        }
        if (payload > MAX_PAYLOAD_BYTES) {
            throw DynamoDbError.validation("Transaction payload size cannot exceed 4 MB");
        }
        List<PreparedWrite> writes = new ArrayList<>();
        Set<String> lockNames = new HashSet<>();
        for (int i = 0; i < specs.size(); i++) {
            PreparedWrite w;
            try {
                w = switch (kinds.get(i)) {
                    case "Put" -> ItemOperations.preparePut(tables.get(i), specs.get(i), parsed.get(i));
                    case "Update" -> ItemOperations.prepareUpdate(tables.get(i), specs.get(i), parsed.get(i));
                    case "Delete" -> ItemOperations.prepareDelete(tables.get(i), specs.get(i), parsed.get(i));
                    default -> ItemOperations.prepareConditionCheck(tables.get(i), specs.get(i), parsed.get(i));
                };
            } catch (DynamoDbError e) {
                if (!e.type().equals("ValidationException")) {
                    throw e;
                }
                throw cancelledAt(specs.size(), i, new Reason("ValidationError", e.getMessage(), null));
            }
            if (!lockNames.add(w.lockName())) {
                throw DynamoDbError.validation("Transaction request cannot include multiple operations on one item");
            }
            writes.add(w);
        }
        Applied applied = run(writes, specs);
        db.persistence().sync(applied.ticket());
        ObjectNode response = JsonNodeFactory.instance.objectNode();
        if (!mode.equals(Capacity.NONE)) {
            response.set("ConsumedCapacity", capacity(writes, applied.outcomes(), mode));
        }
        if (token != null) {
            if (tokens.put(token, new TokenUse(fingerprint, response, db.clock().instant().plus(TOKEN_LIFETIME))) == null) {
                tokenOrder.add(token);
            }
        }
        return response;
    }

    /** The answer to an earlier use of {@code token} with the same request, or a mismatch error. */
    private ObjectNode earlierAnswer(String token, JsonNode fingerprint) {
        Instant now = db.clock().instant();
        for (String oldest; (oldest = tokenOrder.peek()) != null; ) {
            TokenUse use = tokens.get(oldest);
            if (use != null && !use.expires().isBefore(now)) {
                break;
            }
            tokens.remove(oldest);
            tokenOrder.remove(oldest);
        }
        TokenUse use = tokens.get(token);
        if (use == null || use.expires().isBefore(now)) {
            return null;
        }
        if (!use.request().equals(fingerprint)) {
            throw new DynamoDbError(400, "IdempotentParameterMismatchException",
                    "The request uses the same client token as a previous, but non-identical request.", null);
        }
        return use.response();
    }

    /** The persistence ticket of a transaction's last write, and each of its items before and after, in request order. */
    private record Applied(long ticket, List<ItemOperations.Outcome> outcomes) {
    }

    /** Claims, locks, checks and applies. */
    private Applied run(List<PreparedWrite> writes, List<ObjectNode> specs) {
        Object owner = new Object();
        List<String> claimed = new ArrayList<>();
        try {
            for (int i = 0; i < writes.size(); i++) {
                String name = writes.get(i).lockName();
                if (!db.locks().claim(name, owner)) {
                    throw cancelledAt(writes.size(), i, new Reason("TransactionConflict",
                            "Transaction is ongoing for the item", null));
                }
                claimed.add(name);
            }
            try (ItemLocks.Held held = db.locks().lockAll(claimed)) {
                List<ObjectNode> before = new ArrayList<>();
                List<ObjectNode> after = new ArrayList<>();
                List<Reason> reasons = new ArrayList<>();
                boolean failed = false;
                for (int i = 0; i < writes.size(); i++) {
                    PreparedWrite w = writes.get(i);
                    ObjectNode current = w.table().get(w.key());
                    before.add(current);
                    try {
                        after.add(w.change().next(current));
                        reasons.add(new Reason("None", null, null));
                    } catch (ConditionFailed f) {
                        failed = true;
                        after.add(current);
                        boolean withItem = "ALL_OLD".equals(Requests.choice(specs.get(i),
                                "ReturnValuesOnConditionCheckFailure", "returnValuesOnConditionCheckFailure", ON_FAILURE,
                                "NONE"));
                        reasons.add(new Reason("ConditionalCheckFailed", "The conditional request failed",
                                withItem ? f.item : null));
                    } catch (DynamoDbError e) {
                        if (!e.type().equals("ValidationException")) {
                            throw e;
                        }
                        failed = true;
                        after.add(current);
                        reasons.add(new Reason("ValidationError", e.getMessage(), null));
                    }
                }
                if (failed) {
                    throw cancelled(reasons);
                }
                long ticket = 0;
                List<ItemOperations.Outcome> outcomes = new ArrayList<>();
                for (int i = 0; i < writes.size(); i++) {
                    if (after.get(i) != before.get(i)) {
                        PreparedWrite w = writes.get(i);
                        ticket = Math.max(ticket, w.table().write(w.key(), before.get(i), after.get(i)));
                    }
                    outcomes.add(new ItemOperations.Outcome(before.get(i), after.get(i)));
                }
                return new Applied(ticket, outcomes);
            }
        } finally {
            claimed.forEach(name -> db.locks().release(name, owner));
        }
    }

    /**
     * Transactions cost twice the units of the same writes outside a transaction, summed per table: each item by the
     * larger of its sizes before and after (a condition check by the item it checked), each index by the entries the
     * write put, deleted or changed.
     */
    private static ArrayNode capacity(List<PreparedWrite> writes, List<ItemOperations.Outcome> outcomes, String mode) {
        Map<String, Capacity.Units> perTable = new LinkedHashMap<>();
        for (int i = 0; i < writes.size(); i++) {
            PreparedWrite w = writes.get(i);
            ItemOperations.Outcome o = outcomes.get(i);
            perTable.computeIfAbsent(w.table().definition().name(), n -> new Capacity.Units(n, false))
                    .add(Capacity.write(w.table(), w.key(), o.before(), o.after(), 2));
        }
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        perTable.values().forEach(u -> out.add(u.toJson(mode)));
        return out;
    }

    public ObjectNode transactGetItems(ObjectNode request, RequestContext context) {
        ArrayNode list = transactItems(request);
        String mode = Capacity.mode(request);
        List<Table> tables = new ArrayList<>();
        List<Key> keys = new ArrayList<>();
        List<Projection> projections = new ArrayList<>();
        List<String> lockNames = new ArrayList<>();
        for (JsonNode entry : list) {
            ObjectNode spec = Requests.object(entry, "Get");
            if (spec == null) {
                throw DynamoDbError.validation("TransactItems can only contain Get operations");
            }
            Table table = items.tableOf(spec);
            RequestExpressions ex = ItemOperations.expressions(spec, table);
            Key key = ItemRules.key(table.definition(), spec.get("Key"));
            tables.add(table);
            keys.add(key);
            projections.add(ex.projection().orElse(null));
            lockNames.add(ItemLocks.lockName(table.definition().name(), key));
        }
        ObjectNode response = JsonNodeFactory.instance.objectNode();
        ArrayNode responses = response.putArray("Responses");
        Map<String, Capacity.Units> perTable = new LinkedHashMap<>();
        try (ItemLocks.Held held = db.locks().lockAll(lockNames)) {
            for (int i = 0; i < lockNames.size(); i++) {
                if (db.locks().claimed(lockNames.get(i))) {
                    throw cancelledAt(lockNames.size(), i, new Reason("TransactionConflict",
                            "Transaction is ongoing for the item", null));
                }
            }
            for (int i = 0; i < keys.size(); i++) {
                ObjectNode item = tables.get(i).get(keys.get(i));
                ObjectNode r = responses.addObject();
                if (item != null) {
                    r.set("Item", projections.get(i) == null ? item : projections.get(i).project(item));
                }
                perTable.computeIfAbsent(tables.get(i).definition().name(), n -> new Capacity.Units(n, true))
                        .addTable(2 * Capacity.readUnits(item == null ? 0 : ItemSize.bytes(item), true));
            }
        }
        if (!mode.equals(Capacity.NONE)) {
            ArrayNode c = response.putArray("ConsumedCapacity");
            perTable.values().forEach(u -> c.add(u.toJson(mode)));
        }
        return response;
    }
}
