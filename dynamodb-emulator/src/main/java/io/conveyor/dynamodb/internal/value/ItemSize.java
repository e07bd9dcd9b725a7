package io.conveyor.dynamodb.internal.value;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.Map;

/**
 * An item's size by DynamoDB's rules, for the 400 KB item limit and for capacity units: each attribute name's UTF-8
 * length plus its value's size. Strings count their UTF-8 bytes, binary its bytes, a number about one byte per two
 * significant digits plus one, BOOL and NULL one byte; a list or map 3 bytes plus one per element, plus its
 * elements (and a map's key names). Sizes drive the 400 KB limit and capacity units, so they are AWS's rules as
 * documented and as other emulators measured them against AWS.
 */
public final class ItemSize {
    private static final int CONTAINER_OVERHEAD = 3;

    private ItemSize() {
    }

    /** The item's size in bytes. */
    public static long bytes(ObjectNode item) {
        long size = 0;
        for (Map.Entry<String, JsonNode> field : item.properties()) {
            size += utf8Length(field.getKey()) + valueBytes(field.getValue());
        }
        return size;
    }

    /** The size of one attribute value in bytes. */
    public static long valueBytes(JsonNode value) {
        String type = AttributeValues.typeOf(value);
        JsonNode payload = value.get(type);
        switch (type) {
            case "S":
                return utf8Length(payload.textValue());
            case "N":
                return numberBytes(payload.textValue());
            case "B":
                return binaryLength(payload.textValue());
            case "BOOL":
            case "NULL":
                return 1;
            case "SS": {
                long size = 0;
                for (JsonNode m : payload) {
                    size += utf8Length(m.textValue());
                }
                return size;
            }
            case "NS": {
                long size = 0;
                for (JsonNode m : payload) {
                    size += numberBytes(m.textValue());
                }
                return size;
            }
            case "BS": {
                long size = 0;
                for (JsonNode m : payload) {
                    size += binaryLength(m.textValue());
                }
                return size;
            }
            case "L": {
                long size = CONTAINER_OVERHEAD;
                for (JsonNode element : payload) {
                    size += 1 + valueBytes(element);
                }
                return size;
            }
            case "M": {
                long size = CONTAINER_OVERHEAD;
                for (Map.Entry<String, JsonNode> field : payload.properties()) {
                    size += 1 + utf8Length(field.getKey()) + valueBytes(field.getValue());
                }
                return size;
            }
            default:
                return 0;
        }
    }

    /** The number of bytes of a string's UTF-8 encoding, counted without encoding it. */
    public static int utf8Length(String s) {
        int length = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                length++;
            } else if (c < 0x800) {
                length += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                length += 4;
                i++;
            } else {
                length += 3;
            }
        }
        return length;
    }

    /** Decoded length of base64 text without decoding it. */
    private static long binaryLength(String base64) {
        int padding = base64.endsWith("==") ? 2 : base64.endsWith("=") ? 1 : 0;
        return (long) base64.length() / 4 * 3 - padding;
    }

    /**
     * DynamoDB stores a number as base-100 digit pairs aligned on its exponent, plus a byte of sign and exponent:
     * one byte per two significant digits (one more when an even number of digits starts on an even power of
     * ten, which splits the pairs), one more for a negative number; zero takes one byte.
     */
    private static long numberBytes(String canonical) {
        BigDecimal value = new BigDecimal(canonical);
        if (value.signum() == 0) {
            return 1;
        }
        BigDecimal stripped = value.stripTrailingZeros();
        int digits = stripped.precision();
        int exponent = digits - stripped.scale() - 1;
        int split = digits % 2 == 0 && exponent % 2 == 0 ? 1 : 0;
        return 1 + (digits + 1) / 2 + split + (value.signum() < 0 ? 1 : 0);
    }

}
