package io.conveyor.dynamodb.internal.table;

/** A key attribute of a table or index: its name and scalar type ({@code S}, {@code N} or {@code B}). */
public record KeyAttribute(String name, String type) {
}
