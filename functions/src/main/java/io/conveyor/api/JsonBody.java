package io.conveyor.api;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.Map;

/**
 * A request body read as one JSON value, or refused with a 400 that says what to change: text after the value, a
 * value past the parser's limits (Jackson's: 1,000 levels of nesting, numbers of 1,000 digits), and text holding an
 * unpaired UTF-16 surrogate (escaped as {@code \ud800}), which no store keeps: DynamoDB and S3 would turn it into
 * {@code ?} and a name would no longer match its object.
 */
final class JsonBody {
    private JsonBody() {}

    static JsonNode parse(ObjectMapper mapper, String text) {
        ObjectReader reader = mapper.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        JsonNode body;
        try {
            body = reader.readTree(text);
        } catch (StreamConstraintsException e) {
            throw ApiException.badRequest("The body is past a limit of the JSON parser (" + e.getOriginalMessage()
                    + "): nest objects and arrays at most 1,000 levels deep, and write numbers with at most 1,000 digits.");
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw ApiException.badRequest("The body is not valid JSON" + (at == null ? "" : " (line " + at.getLineNr()
                    + ", column " + at.getColumnNr() + ")") + ": " + e.getOriginalMessage());
        }
        String unpaired = firstUnpairedSurrogate(body);
        if (unpaired != null) {
            throw ApiException.badRequest("The body's text " + unpaired + " holds an unpaired UTF-16 surrogate: send "
                    + "valid Unicode (a character outside the Basic Multilingual Plane is two escapes, such as "
                    + "\\ud83d\\ude00).");
        }
        return body;
    }

    /** Where the first field name or string with an unpaired surrogate is, as a JSON pointer; null when none. */
    private static String firstUnpairedSurrogate(JsonNode root) {
        Deque<Map.Entry<String, JsonNode>> pending = new ArrayDeque<>();
        pending.push(Map.entry("", root));
        while (!pending.isEmpty()) {
            Map.Entry<String, JsonNode> next = pending.pop();
            String pointer = next.getKey();
            JsonNode node = next.getValue();
            if (node.isTextual() && hasUnpairedSurrogate(node.textValue())) {
                return "at '" + CreateJobRequest.printable(pointer.isEmpty() ? "/" : pointer) + "'";
            }
            if (node.isObject()) {
                for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> field = it.next();
                    if (hasUnpairedSurrogate(field.getKey())) {
                        return "in a field name under '" + CreateJobRequest.printable(pointer.isEmpty() ? "/" : pointer) + "'";
                    }
                    pending.push(Map.entry(pointer + "/" + field.getKey(), field.getValue()));
                }
            } else if (node.isArray()) {
                for (int i = 0; i < node.size(); i++) {
                    pending.push(Map.entry(pointer + "/" + i, node.get(i)));
                }
            }
        }
        return null;
    }

    private static boolean hasUnpairedSurrogate(String s) {
        // codePoints() pairs every well-formed surrogate pair into one code point: what is left alone is unpaired.
        return s.codePoints().anyMatch(c -> c >= Character.MIN_SURROGATE && c <= Character.MAX_SURROGATE);
    }
}
