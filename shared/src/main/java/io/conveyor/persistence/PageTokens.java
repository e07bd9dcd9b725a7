package io.conveyor.persistence;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Turns DynamoDB's {@code LastEvaluatedKey} into an opaque, URL-safe page token and back. A token is only
 * accepted for the partition it was issued for, so a caller cannot page into someone else's items by editing
 * one.
 */
public final class PageTokens {
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private PageTokens() {}

    /** The token for {@code lastEvaluatedKey}, empty when there is no further page. */
    public static Optional<String> encode(Map<String, AttributeValue> lastEvaluatedKey) {
        if (lastEvaluatedKey == null || lastEvaluatedKey.isEmpty()) {
            return Optional.empty();
        }
        Map<String, String> flat = new LinkedHashMap<>();
        lastEvaluatedKey.forEach((name, value) -> {
            if (value.s() != null) {
                flat.put("S:" + name, value.s());
            } else if (value.n() != null) {
                flat.put("N:" + name, value.n());
            } else {
                throw new IllegalArgumentException("key attribute " + name + " is neither a string nor a number");
            }
        });
        return Optional.of(ENCODER.encodeToString(StoredJson.write(flat).getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * The start key encoded in {@code token}, checked against the key the listing's query takes: exactly the
     * attributes of {@code shape}, of their types, with values DynamoDB accepts as key values. An edited token thus
     * gets the caller a 400 rather than DynamoDB's ValidationException.
     *
     * @param shape              the attributes of the listing's start key (the index's keys and the table's)
     * @param partitionAttribute the listing's partition key attribute
     * @param partitionValue     the partition the listing reads; the token must have been issued for it
     * @throws InvalidPageTokenException when the token is malformed, of another shape, or issued for another partition
     */
    public static Map<String, AttributeValue> decode(String token, Map<String, KeyAttributeSpec.Type> shape,
            String partitionAttribute, String partitionValue) {
        Map<String, String> flat;
        try {
            flat = StoredJson.readStringMap(new String(DECODER.decode(token), StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            throw invalid();
        }
        Map<String, AttributeValue> key = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : flat.entrySet()) {
            String name = e.getKey();
            String value = e.getValue();
            if (value == null || value.isEmpty() || value.length() > MAX_KEY_VALUE_LENGTH) {
                throw invalid();
            }
            if (name.startsWith("S:") && shape.get(name.substring(2)) == KeyAttributeSpec.Type.STRING) {
                key.put(name.substring(2), AttributeValue.fromS(value));
            } else if (name.startsWith("N:") && shape.get(name.substring(2)) == KeyAttributeSpec.Type.NUMBER
                    && isNumber(value)) {
                key.put(name.substring(2), AttributeValue.fromN(value));
            } else {
                throw invalid();
            }
        }
        AttributeValue partition = key.get(partitionAttribute);
        if (!key.keySet().equals(shape.keySet()) || partition == null || !partitionValue.equals(partition.s())) {
            throw invalid();
        }
        return key;
    }

    /** Below DynamoDB's limits on key values (2,048 bytes for a partition key, 1,024 for a sort key) in any UTF-8. */
    private static final int MAX_KEY_VALUE_LENGTH = 256;

    private static boolean isNumber(String value) {
        try {
            new BigDecimal(value);
            return value.length() <= 40;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static InvalidPageTokenException invalid() {
        return new InvalidPageTokenException(
                "nextToken is not a token this listing issued; pass back nextToken exactly as received, with the same filters");
    }
}
