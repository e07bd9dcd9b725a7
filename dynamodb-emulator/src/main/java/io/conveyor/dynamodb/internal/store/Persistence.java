package io.conveyor.dynamodb.internal.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conveyor.dynamodb.internal.table.TableDefinition;
import java.util.List;
import java.util.function.Consumer;

/**
 * Where tables and items outlive the process: nowhere (in memory) or an MVStore file. The in-memory tables are
 * the truth while running; a persistence only records every change and gives it all back at start-up.
 */
public interface Persistence extends AutoCloseable {
    /** Records a new or changed table definition. */
    void saveTable(TableDefinition definition);

    /** Forgets a table and its items. */
    void dropTable(TableDefinition definition);

    /** The stored table definitions, for start-up. */
    List<TableDefinition> tables();

    /** Feeds every stored item of a table to {@code sink}, for start-up. */
    void items(TableDefinition definition, Consumer<ObjectNode> sink);

    /**
     * Records an item's new state ({@code item} null: deleted) and returns a ticket for {@link #sync(long)}.
     * Called while the item's lock is held, so changes of one item reach the store in order.
     */
    long write(TableDefinition definition, String keyId, ObjectNode item);

    /** Returns once every change up to {@code ticket} has reached the file (the OS's buffers suffice). */
    void sync(long ticket);

    @Override
    void close();

    /** No persistence: the data lives as long as the process. */
    static Persistence inMemory() {
        return new Persistence() {
            @Override
            public void saveTable(TableDefinition definition) {
            }

            @Override
            public void dropTable(TableDefinition definition) {
            }

            @Override
            public List<TableDefinition> tables() {
                return List.of();
            }

            @Override
            public void items(TableDefinition definition, Consumer<ObjectNode> sink) {
            }

            @Override
            public long write(TableDefinition definition, String keyId, ObjectNode item) {
                return 0;
            }

            @Override
            public void sync(long ticket) {
            }

            @Override
            public void close() {
            }
        };
    }
}
