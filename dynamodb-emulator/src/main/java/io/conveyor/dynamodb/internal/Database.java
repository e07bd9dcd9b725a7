package io.conveyor.dynamodb.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conveyor.dynamodb.internal.ops.BatchOperations;
import io.conveyor.dynamodb.internal.ops.ItemOperations;
import io.conveyor.dynamodb.internal.ops.ReadOperations;
import io.conveyor.dynamodb.internal.ops.TableOperations;
import io.conveyor.dynamodb.internal.ops.TransactionOperations;
import io.conveyor.dynamodb.internal.ops.TtlOperations;
import io.conveyor.dynamodb.internal.store.ItemLocks;
import io.conveyor.dynamodb.internal.store.MvStorePersistence;
import io.conveyor.dynamodb.internal.store.Persistence;
import io.conveyor.dynamodb.internal.store.Table;
import io.conveyor.dynamodb.internal.table.TableDefinition;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The emulator's state (tables, item locks, persistence, clock) and the table from operation name to handler.
 * {@link #handle} turns one request body into one answer body, errors included, as DynamoDB shapes them.
 */
public final class Database implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Database.class.getName());
    /** Numbers in requests (Limit, Segment, ...) are integers; BigDecimal keeps a stray fraction visible. */
    static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .build();

    /** An answer: HTTP status and JSON body. */
    public record Answer(int status, byte[] body) { }

    /** One operation's handler. */
    @FunctionalInterface
    public interface Operation {
        ObjectNode apply(ObjectNode request, RequestContext context);
    }

    /** What a handler knows of the request beyond its body. */
    public record RequestContext(String region) { }

    /** Tables by name, sorted, as ListTables pages through them. */
    private final ConcurrentSkipListMap<String, Table> tables = new ConcurrentSkipListMap<>();
    private final ItemLocks locks = new ItemLocks();
    private final Persistence persistence;
    private final Clock clock;
    private final Map<String, Operation> operations = new HashMap<>();
    private final TtlOperations ttl;

    private Database(Persistence persistence, Clock clock) {
        this.persistence = persistence;
        this.clock = clock;
        TableOperations tableOps = new TableOperations(this);
        ItemOperations items = new ItemOperations(this);
        ReadOperations reads = new ReadOperations(this);
        BatchOperations batch = new BatchOperations(this, items);
        TransactionOperations tx = new TransactionOperations(this, items);
        this.ttl = new TtlOperations(this, items);
        operations.put("CreateTable", tableOps::createTable);
        operations.put("DescribeTable", tableOps::describeTable);
        operations.put("ListTables", tableOps::listTables);
        operations.put("DeleteTable", tableOps::deleteTable);
        operations.put("UpdateTable", tableOps::updateTable);
        operations.put("UpdateTimeToLive", ttl::updateTimeToLive);
        operations.put("DescribeTimeToLive", ttl::describeTimeToLive);
        operations.put("GetItem", items::getItem);
        operations.put("PutItem", items::putItem);
        operations.put("UpdateItem", items::updateItem);
        operations.put("DeleteItem", items::deleteItem);
        operations.put("Query", reads::query);
        operations.put("Scan", reads::scan);
        operations.put("BatchGetItem", batch::batchGetItem);
        operations.put("BatchWriteItem", batch::batchWriteItem);
        operations.put("TransactWriteItems", tx::transactWriteItems);
        operations.put("TransactGetItems", tx::transactGetItems);
    }

    /** Opens the data in {@code dataDirectory} (null: in memory) and loads every stored table. */
    public static Database open(Path dataDirectory, Clock clock) {
        Persistence persistence = dataDirectory == null ? Persistence.inMemory() : MvStorePersistence.open(dataDirectory);
        Database db = new Database(persistence, clock);
        for (TableDefinition definition : persistence.tables()) {
            Table table = new Table(definition, persistence);
            persistence.items(definition, table::load);
            db.tables.put(definition.name(), table);
        }
        return db;
    }

    /** Handles one request: {@code operation} from {@code X-Amz-Target}, {@code body} the JSON request. */
    public Answer handle(String operation, byte[] body, String region) {
        try {
            Operation op = operation == null ? null : operations.get(operation);
            if (op == null) {
                throw new DynamoDbError(400, "UnknownOperationException",
                        operation == null ? "Missing X-Amz-Target header naming the operation"
                                : "The operation " + operation + " is not supported by this emulator", null);
            }
            ObjectNode request = parse(body);
            ObjectNode response = op.apply(request, new RequestContext(region));
            return new Answer(200, JSON.writeValueAsBytes(response));
        } catch (DynamoDbError e) {
            return new Answer(e.status(), e.body().toString().getBytes(StandardCharsets.UTF_8));
        } catch (RuntimeException | JsonProcessingException e) {
            LOG.log(System.Logger.Level.ERROR, "internal error handling " + operation, e);
            DynamoDbError internal = new DynamoDbError(500, "InternalServerError",
                    "Internal server error: " + e, null);
            return new Answer(500, internal.body().toString().getBytes(StandardCharsets.UTF_8));
        }
    }

    private static ObjectNode parse(byte[] body) {
        JsonNode node;
        try {
            node = body.length == 0 ? JSON.createObjectNode() : JSON.readTree(body);
        } catch (java.io.IOException e) {
            throw new DynamoDbError(400, "SerializationException", "Start of structure or map found where not expected.", null);
        }
        if (!(node instanceof ObjectNode o)) {
            throw new DynamoDbError(400, "SerializationException", "Start of structure or map found where not expected.", null);
        }
        return o;
    }

    /** The table named, or ResourceNotFoundException as DynamoDB answers item operations on a missing table. */
    public Table table(String name) {
        TableDefinition.validateName(com.fasterxml.jackson.databind.node.TextNode.valueOf(name), "tableName");
        Table t = tables.get(name);
        if (t == null) {
            throw new DynamoDbError(400, "ResourceNotFoundException", "Requested resource not found", null);
        }
        return t;
    }

    /** The ResourceNotFoundException table operations (DescribeTable, DeleteTable, ...) answer for a missing table. */
    public static DynamoDbError notFound(String name) {
        return new DynamoDbError(400, "ResourceNotFoundException",
                "Requested resource not found: Table: " + name + " not found", null);
    }

    /** All tables by name. */
    public ConcurrentSkipListMap<String, Table> tables() {
        return tables;
    }

    public ItemLocks locks() {
        return locks;
    }

    public Persistence persistence() {
        return persistence;
    }

    public Clock clock() {
        return clock;
    }

    /** Deletes every item past its TTL in tables with TTL enabled; returns how many. */
    public int expireItems() {
        return ttl.expireItems();
    }

    @Override
    public void close() {
        persistence.close();
    }
}
