package io.conveyor.dynamodb.internal.value;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * An item's size by DynamoDB's rules, for the 400 KB item limit and for capacity units: each attribute name's UTF-8
 * length plus its value's size. Strings count their UTF-8 bytes, binary its bytes, a number about one byte per two
 * significant digits plus one, BOOL and NULL one byte; a list or map 3 bytes plus one per element, plus its
 * elements (and a map's key names).
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

    /** One byte per two significant digits, rounded up, plus one for sign and exponent. */
    private static long numberBytes(String canonical) {
        int digits = 0;
        boolean leading = true;
        int trailingZeros = 0;
        for (int i = 0; i < canonical.length(); i++) {
            char c = canonical.charAt(i);
            if (c < '0' || c > '9') {
                continue;
            }
            if (leading && c == '0') {
                continue;
            }
            leading = false;
            digits++;
            trailingZeros = c == '0' ? trailingZeros + 1 : 0;
        }
        int significant = Math.max(1, digits - trailingZeros);
        return (significant + 1) / 2 + 1;
    }

}
