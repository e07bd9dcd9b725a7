package io.conveyor.persistence;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;

/**
 * Reads items of one table by key, any number of them: BatchGetItem requests of up to {@value #MAX_KEYS} keys
 * (eventually consistent), resending the keys DynamoDB leaves unprocessed (under throttling) after a pause that doubles
 * from 50 ms up to 1.6 s, as DynamoDB asks of batch operations.
 */
public final class BatchGets {
    /** The most keys one BatchGetItem may ask for. */
    public static final int MAX_KEYS = 100;

    private BatchGets() {}

    /** The items found for {@code keys}, in no particular order; a key with no item has none. */
    public static List<Map<String, AttributeValue>> items(DynamoDbClient dynamoDb, String tableName,
            List<Map<String, AttributeValue>> keys) {
        List<Map<String, AttributeValue>> found = new ArrayList<>();
        for (int from = 0; from < keys.size(); from += MAX_KEYS) {
            List<Map<String, AttributeValue>> chunk = keys.subList(from, Math.min(keys.size(), from + MAX_KEYS));
            Map<String, KeysAndAttributes> request = Map.of(tableName, KeysAndAttributes.builder().keys(chunk).build());
            for (int round = 0; !request.isEmpty(); round++) {
                if (round > 0) {
                    pause(round);
                }
                Map<String, KeysAndAttributes> asked = request;
                BatchGetItemResponse response = dynamoDb.batchGetItem(b -> b.requestItems(asked));
                found.addAll(response.responses().getOrDefault(tableName, List.of()));
                request = response.hasUnprocessedKeys() ? response.unprocessedKeys() : Map.of();
            }
        }
        return found;
    }

    private static void pause(int round) {
        try {
            Thread.sleep(50L << Math.min(round - 1, 5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while backing off a throttled batch read", e);
        }
    }
}
