package io.conveyor.persistence;

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
     * The start key encoded in {@code token}.
     *
     * @param partitionAttribute the listing's partition key attribute
     * @param partitionValue     the partition the listing reads; the token must have been issued for it
     * @throws InvalidPageTokenException when the token is malformed or was issued for another partition
     */
    public static Map<String, AttributeValue> decode(String token, String partitionAttribute, String partitionValue) {
        Map<String, String> flat;
        try {
            flat = StoredJson.readStringMap(new String(DECODER.decode(token), StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            throw invalid();
        }
        Map<String, AttributeValue> key = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : flat.entrySet()) {
            String name = e.getKey();
            if (name.startsWith("S:")) {
                key.put(name.substring(2), AttributeValue.fromS(e.getValue()));
            } else if (name.startsWith("N:")) {
                key.put(name.substring(2), AttributeValue.fromN(e.getValue()));
            } else {
                throw invalid();
            }
        }
        AttributeValue partition = key.get(partitionAttribute);
        if (partition == null || !partitionValue.equals(partition.s())) {
            throw invalid();
        }
        return key;
    }

    private static InvalidPageTokenException invalid() {
        return new InvalidPageTokenException(
                "nextToken is not a token this listing issued; pass back nextToken exactly as received, with the same filters");
    }
}
