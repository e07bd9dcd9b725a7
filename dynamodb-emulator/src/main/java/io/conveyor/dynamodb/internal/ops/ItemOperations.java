package io.conveyor.dynamodb.internal.ops;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conveyor.dynamodb.internal.Database;
import io.conveyor.dynamodb.internal.Database.RequestContext;
import io.conveyor.dynamodb.internal.DynamoDbError;
import io.conveyor.dynamodb.internal.expression.Condition;
import io.conveyor.dynamodb.internal.expression.Projection;
import io.conveyor.dynamodb.internal.expression.RequestExpressions;
import io.conveyor.dynamodb.internal.expression.Update;
import io.conveyor.dynamodb.internal.store.ItemLocks;
import io.conveyor.dynamodb.internal.store.Key;
import io.conveyor.dynamodb.internal.store.Table;
import io.conveyor.dynamodb.internal.table.TableDefinition;
import io.conveyor.dynamodb.internal.value.ItemSize;
import java.util.Set;

/**
 * GetItem, PutItem, UpdateItem and DeleteItem, and the preparation of single-item writes that batches and
 * transactions share. A write is prepared (request validated, expressions parsed) without any lock, then applied
 * under its item's lock: read the current item, check the condition, compute the new item, store it.
 */
public final class ItemOperations {
    private static final Set<String> PUT_DELETE_RETURN_VALUES = Set.of("NONE", "ALL_OLD");
    private static final Set<String> UPDATE_RETURN_VALUES = Set.of("NONE", "ALL_OLD", "UPDATED_OLD", "ALL_NEW", "UPDATED_NEW");
    private static final Set<String> ON_FAILURE = Set.of("NONE", "ALL_OLD");

    private final Database db;

    public ItemOperations(Database db) {
        this.db = db;
    }

    /** A condition found false: carries the item it was tested on (null when there was none). */
    static final class ConditionFailed extends RuntimeException {
        final transient ObjectNode item;

        ConditionFailed(ObjectNode item) {
            super("The conditional request failed", null, false, false);
            this.item = item;
        }
    }

    /** How a prepared write turns the current item (null: none) into the next (null: none); may throw. */
    @FunctionalInterface
    interface Change {
        ObjectNode next(ObjectNode current);
    }

    /** A single-item write, validated and ready to apply under its item's lock. */
    record PreparedWrite(Table table, Key key, String lockName, Change change, RequestExpressions expressions) {
    }

    /** The item before and after an applied write. */
    record Outcome(ObjectNode before, ObjectNode after) {
    }

    // ------------------------------------------------------------------------------------------ preparation

    /** The table a write or read names. */
    Table tableOf(ObjectNode spec) {
        return db.table(Requests.required(spec, "TableName", "tableName"));
    }

    /** The expressions of one request (or transaction item), parsed and validated against the table's key. */
    static RequestExpressions expressions(ObjectNode spec, Table table) {
        Requests.checkPlaceholders(spec);
        return RequestExpressions.parse(spec, table.definition().keySchema());
    }

    /**
     * The write of the item at {@code key} that every single-item write is: under the item's lock, the request's
     * condition is tested on the current item, then {@code then} computes the new one.
     */
    private static PreparedWrite conditional(Table table, Key key, RequestExpressions ex, Change then) {
        return new PreparedWrite(table, key, ItemLocks.lockName(table.definition().name(), key), current -> {
            Condition c = ex.condition().orElse(null);
            if (c != null && !c.test(current)) {
                throw new ConditionFailed(current);
            }
            return then.next(current);
        }, ex);
    }

    /** A Put from a PutItem request or a batch or transaction Put. */
    static PreparedWrite preparePut(Table table, ObjectNode spec, RequestExpressions ex) {
        ObjectNode item = ItemRules.normaliseItem(spec.get("Item"));
        ItemRules.checkStorable(table.definition(), item);
        return conditional(table, table.keyOf(item), ex, current -> item);
    }

    /** A Delete from a DeleteItem request or a batch or transaction Delete. */
    static PreparedWrite prepareDelete(Table table, ObjectNode spec, RequestExpressions ex) {
        return conditional(table, ItemRules.key(table.definition(), spec.get("Key")), ex, current -> null);
    }

    /** An Update from an UpdateItem request or a transaction Update. */
    static PreparedWrite prepareUpdate(Table table, ObjectNode spec, RequestExpressions ex) {
        TableDefinition d = table.definition();
        Key key = ItemRules.key(d, spec.get("Key"));
        Update update = ex.update().orElse(null);
        return conditional(table, key, ex, current -> {
            if (current == null && update != null && !update.createsMissingItem()) {
                return null;
            }
            ObjectNode base = current == null ? ItemRules.keyMap(d, key) : current.deepCopy();
            ObjectNode next = update == null ? base : update.apply(base);
            ItemRules.checkStorable(d, next);
            return next;
        });
    }

    /** A transaction's ConditionCheck: the item stays as it is. */
    static PreparedWrite prepareConditionCheck(Table table, ObjectNode spec, RequestExpressions ex) {
        return conditional(table, ItemRules.key(table.definition(), spec.get("Key")), ex, current -> current);
    }

    /** Prepares a PutItem, DeleteItem or UpdateItem request: expressions first, then the key and item. */
    private PreparedWrite prepare(ObjectNode request, Preparer preparer) {
        Table table = tableOf(request);
        return preparer.prepare(table, request, prefixed(() -> expressions(request, table)));
    }

    /**
     * Runs an expression parse for PutItem, UpdateItem, DeleteItem or Query, whose expression errors AWS words
     * as {@code 1 validation error detected: ...} (GetItem, Scan, batches and transactions do not; moto's
     * AWS-verified tests of Aug 2026 recorded both).
     */
    static RequestExpressions prefixed(java.util.function.Supplier<RequestExpressions> parse) {
        try {
            return parse.get();
        } catch (DynamoDbError e) {
            String prefix = "1 validation error detected: ";
            if (!e.type().equals("ValidationException") || e.getMessage().startsWith(prefix)) {
                throw e;
            }
            throw DynamoDbError.validation(prefix + e.getMessage());
        }
    }

    /** One of the prepare methods. */
    @FunctionalInterface
    interface Preparer {
        PreparedWrite prepare(Table table, ObjectNode spec, RequestExpressions ex);
    }

    // -------------------------------------------------------------------------------------------- applying

    /**
     * Applies a prepared write under its item's lock (not inside a transaction) and waits until it is durable.
     * An item claimed by a transaction in progress is refused with TransactionConflictException, as on AWS.
     */
    Outcome apply(PreparedWrite w) {
        ObjectNode before;
        ObjectNode after;
        long ticket = 0;
        try (ItemLocks.Held held = db.locks().lock(w.lockName())) {
            if (db.locks().claimed(w.lockName())) {
                throw new DynamoDbError(400, "TransactionConflictException",
                        "Transaction is ongoing for the item", null);
            }
            before = w.table().get(w.key());
            after = w.change().next(before);
            if (after != before) {
                ticket = w.table().write(w.key(), before, after);
            }
        }
        db.persistence().sync(ticket);
        return new Outcome(before, after);
    }

    /** The ConditionalCheckFailedException of a single-item write, with the item if the request asks for it. */
    static DynamoDbError conditionFailed(ObjectNode request, ConditionFailed failed) {
        String onFailure = Requests.choice(request, "ReturnValuesOnConditionCheckFailure",
                "returnValuesOnConditionCheckFailure", ON_FAILURE, "NONE");
        ObjectNode fields = null;
        if (onFailure.equals("ALL_OLD") && failed.item != null) {
            fields = JsonNodeFactory.instance.objectNode();
            fields.set("Item", failed.item);
        }
        return new DynamoDbError(400, "ConditionalCheckFailedException", "The conditional request failed", fields);
    }

    private Outcome applySingle(ObjectNode request, PreparedWrite w) {
        try {
            return apply(w);
        } catch (ConditionFailed failed) {
            throw conditionFailed(request, failed);
        }
    }

    // ------------------------------------------------------------------------------------------ operations

    public ObjectNode getItem(ObjectNode request, RequestContext context) {
        Table table = tableOf(request);
        TableDefinition d = table.definition();
        RequestExpressions ex = expressions(request, table);
        Key key = ItemRules.key(d, request.get("Key"));
        boolean consistent = Requests.bool(request, "ConsistentRead");
        String mode = Capacity.mode(request);
        ObjectNode item = table.get(key);
        ObjectNode response = JsonNodeFactory.instance.objectNode();
        if (item != null) {
            Projection p = ex.projection().orElse(null);
            response.set("Item", p == null ? item : p.project(item));
        }
        if (!mode.equals(Capacity.NONE)) {
            Capacity.Units u = new Capacity.Units(d.name(), true);
            u.addTable(Capacity.readUnits(item == null ? 0 : ItemSize.bytes(item), consistent));
            response.set("ConsumedCapacity", u.toJson(mode));
        }
        return response;
    }

    public ObjectNode putItem(ObjectNode request, RequestContext context) {
        return putOrDelete(request, ItemOperations::preparePut);
    }

    public ObjectNode deleteItem(ObjectNode request, RequestContext context) {
        return putOrDelete(request, ItemOperations::prepareDelete);
    }

    /** PutItem or DeleteItem, which differ only in their write: both can return the item as it was. */
    private ObjectNode putOrDelete(ObjectNode request, Preparer preparer) {
        String returnValues = Requests.choice(request, "ReturnValues", "returnValues", PUT_DELETE_RETURN_VALUES, "NONE");
        String mode = Capacity.mode(request);
        PreparedWrite w = prepare(request, preparer);
        Outcome o = applySingle(request, w);
        return writeResponse(w, o, mode, returnValues.equals("ALL_OLD") ? o.before() : null);
    }

    public ObjectNode updateItem(ObjectNode request, RequestContext context) {
        String returnValues = Requests.choice(request, "ReturnValues", "returnValues", UPDATE_RETURN_VALUES, "NONE");
        String mode = Capacity.mode(request);
        PreparedWrite w = prepare(request, ItemOperations::prepareUpdate);
        Outcome o = applySingle(request, w);
        Update update = w.expressions().update().orElse(null);
        ObjectNode attributes = switch (returnValues) {
            case "ALL_OLD" -> o.before();
            case "ALL_NEW" -> o.after();
            case "UPDATED_OLD" -> o.before() == null || update == null ? null : update.updatedOld(o.before());
            case "UPDATED_NEW" -> o.after() == null || update == null ? null : update.updatedNew(o.after());
            default -> null;
        };
        return writeResponse(w, o, mode, attributes);
    }

    private static ObjectNode writeResponse(PreparedWrite w, Outcome o, String mode, ObjectNode attributes) {
        ObjectNode response = JsonNodeFactory.instance.objectNode();
        if (attributes != null && !attributes.isEmpty()) {
            response.set("Attributes", attributes);
        }
        if (!mode.equals(Capacity.NONE)) {
            response.set("ConsumedCapacity", Capacity.write(w.table(), w.key(), o.before(), o.after(), 1).toJson(mode));
        }
        return response;
    }
}
