package io.conveyor.dynamodb.internal.expression;

/**
 * The key attributes of the table or index a request addresses.
 *
 * @param hashKey  the partition key's attribute name
 * @param rangeKey the sort key's attribute name, or {@code null} when there is none
 */
public record KeySchema(String hashKey, String rangeKey) {
    /** Whether {@code name} is one of the key attributes. */
    public boolean isKey(String name) {
        return name.equals(hashKey) || name.equals(rangeKey);
    }
}
