package io.conveyor.dynamodb.internal.expression;

/**
 * The key attributes of the table or index a request addresses.
 *
 * @param hashKey   the partition key's attribute name
 * @param rangeKey  the sort key's attribute name, or {@code null} when there is none
 * @param hashType  the partition key's type ({@code S}, {@code N} or {@code B}), or {@code null} when unknown
 * @param rangeType the sort key's type, or {@code null} when unknown or there is no sort key
 */
public record KeySchema(String hashKey, String rangeKey, String hashType, String rangeType) {
    /** Key names without types: key conditions are then not checked against the key types. */
    public KeySchema(String hashKey, String rangeKey) {
        this(hashKey, rangeKey, null, null);
    }

    /** Whether {@code name} is one of the key attributes. */
    public boolean isKey(String name) {
        return name.equals(hashKey) || name.equals(rangeKey);
    }
}
