package io.conveyor.dynamodb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The comparison rules of the AWS-recorded corpus (its README, "Comparison rules"): expected values are a
 * subset of the actual answer, attribute maps compare exactly, {@code N} numerically (or literally with
 * {@code exactNumbers}), {@code B} as bytes, sets as sets, {@code "<<present>>"} matches anything present.
 */
final class CorpusComparison {
    static final String PRESENT = "<<present>>";
    private static final Set<String> AV_TYPES = Set.of("S", "N", "B", "SS", "NS", "BS", "BOOL", "NULL", "L", "M");
    /** Keys whose object value is an attribute map, compared attribute by attribute. */
    static final Set<String> ITEM_KEYS = Set.of("Item", "Attributes", "LastEvaluatedKey", "ExclusiveStartKey", "Key");
    /** Keys whose list value holds attribute maps. */
    static final Set<String> ITEM_LIST_KEYS = Set.of("Items");

    private enum Kind { PLAIN, ITEM, ITEMS, TABLE_MAP }

    private final List<Pattern> ignore;
    private final List<Pattern> unordered;
    private final boolean exact;
    private final boolean exactNumbers;

    CorpusComparison(JsonNode step, boolean exact) {
        this.ignore = patterns(step.path("ignore"), true);
        this.unordered = patterns(step.path("unordered"), false);
        this.exact = exact;
        this.exactNumbers = step.path("exactNumbers").asBoolean(false);
    }

    /** Compares {@code expected} with {@code actual}; returns the differences, empty when they match. */
    List<String> compare(JsonNode expected, JsonNode actual) {
        List<String> diffs = new ArrayList<>();
        cmp(expected, actual, "", diffs, Kind.PLAIN);
        return diffs;
    }

    /**
     * A path pattern as a regular expression: {@code [*]} is any index, {@code *} any key; with
     * {@code prefix} the pattern also matches everything below the path.
     */
    private static List<Pattern> patterns(JsonNode list, boolean prefix) {
        List<Pattern> out = new ArrayList<>();
        for (JsonNode p : list) {
            String s = p.asText();
            StringBuilder re = new StringBuilder();
            for (int i = 0; i < s.length(); i++) {
                if (s.startsWith("[*]", i)) {
                    re.append("\\[\\d+\\]");
                    i += 2;
                } else if (s.charAt(i) == '*') {
                    re.append("[^.\\[]+");
                } else {
                    re.append(Pattern.quote(String.valueOf(s.charAt(i))));
                }
            }
            out.add(Pattern.compile(prefix ? re + "(\\..*|\\[.*)?" : re.toString()));
        }
        return out;
    }

    private static boolean anyMatch(List<Pattern> patterns, String path) {
        for (Pattern p : patterns) {
            if (p.matcher(path).matches()) {
                return true;
            }
        }
        return false;
    }

    private static boolean isPresentMarker(JsonNode e) {
        return e.isTextual() && PRESENT.equals(e.asText());
    }

    private static boolean isAttributeValue(JsonNode x) {
        return x != null && x.isObject() && x.size() == 1 && AV_TYPES.contains(x.fieldNames().next());
    }

    private void cmp(JsonNode e, JsonNode a, String path, List<String> diffs, Kind kind) {
        if (!path.isEmpty() && anyMatch(ignore, path) || isPresentMarker(e)) {
            return;
        }
        if (kind == Kind.ITEM) {
            compareAttributeMap(e, a, path, diffs);
        } else if (e.isObject()) {
            compareObject(e, a, path, diffs, kind);
        } else if (e.isArray()) {
            compareList(e, a, path, diffs, kind);
        } else if (e.isNumber()) {
            if (a == null || !a.isNumber() || e.decimalValue().compareTo(a.decimalValue()) != 0) {
                diffs.add(path + ": expected " + e + ", got " + a);
            }
        } else if (!e.equals(a)) {
            diffs.add(path + ": expected " + e + ", got " + a);
        }
    }

    private void compareObject(JsonNode e, JsonNode a, String path, List<String> diffs, Kind kind) {
        if (isAttributeValue(e) && isAttributeValue(a)) {
            compareAttributeValue(e, a, path, diffs);
            return;
        }
        if (a == null || !a.isObject()) {
            diffs.add((path.isEmpty() ? "$" : path) + ": expected object " + e + ", got " + a);
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = e.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            String k = f.getKey();
            String sub = path.isEmpty() ? k : path + "." + k;
            if (anyMatch(ignore, sub)) {
                continue;
            }
            if (!a.has(k)) {
                diffs.add(sub + ": missing (expected " + f.getValue() + ")");
            } else if (ITEM_KEYS.contains(k)) {
                cmp(f.getValue(), a.get(k), sub, diffs, Kind.ITEM);
            } else if (ITEM_LIST_KEYS.contains(k) || kind == Kind.TABLE_MAP) {
                cmp(f.getValue(), a.get(k), sub, diffs, Kind.ITEMS);
            } else if (k.equals("Responses") && f.getValue().isObject()) {
                cmp(f.getValue(), a.get(k), sub, diffs, Kind.TABLE_MAP);
            } else {
                cmp(f.getValue(), a.get(k), sub, diffs, Kind.PLAIN);
            }
        }
        if (exact) {
            for (Iterator<String> it = a.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                String sub = path.isEmpty() ? k : path + "." + k;
                if (!e.has(k) && !anyMatch(ignore, sub)) {
                    diffs.add(sub + ": unexpected field " + a.get(k));
                }
            }
        }
    }

    private void compareList(JsonNode e, JsonNode a, String path, List<String> diffs, Kind kind) {
        if (a == null || !a.isArray()) {
            diffs.add(path + ": expected list " + e + ", got " + a);
            return;
        }
        Kind elementKind = kind == Kind.ITEMS ? Kind.ITEM : Kind.PLAIN;
        // BatchGetItem's per-table lists are unordered by definition.
        if (anyMatch(unordered, path) || kind == Kind.ITEMS && ("." + path).contains(".Responses.")) {
            compareUnordered(e, a, path, diffs, elementKind);
            return;
        }
        if (e.size() != a.size()) {
            diffs.add(path + ": expected " + e.size() + " elements, got " + a.size() + ": " + a);
            return;
        }
        for (int i = 0; i < e.size(); i++) {
            cmp(e.get(i), a.get(i), path + "[" + i + "]", diffs, elementKind);
        }
    }

    private void compareUnordered(JsonNode e, JsonNode a, String path, List<String> diffs, Kind elementKind) {
        if (e.size() != a.size()) {
            diffs.add(path + ": expected " + e.size() + " elements (any order), got " + a.size() + ": " + a);
            return;
        }
        List<Integer> remaining = new ArrayList<>();
        for (int j = 0; j < a.size(); j++) {
            remaining.add(j);
        }
        for (JsonNode x : e) {
            Integer found = null;
            for (Integer j : remaining) {
                List<String> d = new ArrayList<>();
                cmp(x, a.get(j), path + "[" + j + "]", d, elementKind);
                if (d.isEmpty()) {
                    found = j;
                    break;
                }
            }
            if (found == null) {
                diffs.add(path + ": no element matches expected " + x + "; actual " + a);
                return;
            }
            remaining.remove(found);
        }
    }

    private void compareAttributeMap(JsonNode e, JsonNode a, String path, List<String> diffs) {
        if (isPresentMarker(e)) {
            return;
        }
        if (a == null || !a.isObject() || !e.isObject()) {
            diffs.add(path + ": expected " + e + ", got " + a);
            return;
        }
        for (Iterator<String> it = e.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!a.has(k)) {
                diffs.add(path + "." + k + ": missing attribute (expected " + e.get(k) + ")");
            } else {
                compareAttributeValue(e.get(k), a.get(k), path + "." + k, diffs);
            }
        }
        for (Iterator<String> it = a.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!e.has(k)) {
                diffs.add(path + "." + k + ": unexpected attribute " + a.get(k));
            }
        }
    }

    private void compareAttributeValue(JsonNode e, JsonNode a, String path, List<String> diffs) {
        if (isPresentMarker(e)) {
            return;
        }
        if (a == null || !a.isObject() || a.size() != 1) {
            diffs.add(path + ": expected attribute value " + e + ", got " + a);
            return;
        }
        String et = e.fieldNames().next();
        String at = a.fieldNames().next();
        JsonNode ev = e.get(et);
        JsonNode av = a.get(at);
        if (!et.equals(at)) {
            diffs.add(path + ": expected type " + et + " (" + ev + "), got " + at + " (" + av + ")");
            return;
        }
        boolean ok;
        switch (et) {
            case "N" -> ok = exactNumbers ? ev.equals(av) : sameDecimal(ev.asText(), av.asText());
            case "B" -> ok = av.isTextual() && bytesOf(ev).equals(bytesOf(av));
            case "SS" -> ok = sameMultiset(ev, av, JsonNode::asText) && distinct(av);
            case "NS" -> ok = exactNumbers ? sameMultiset(ev, av, JsonNode::asText)
                    : sameMultiset(ev, av, n -> canonicalDecimal(n.asText()));
            case "BS" -> ok = sameMultiset(ev, av, CorpusComparison::bytesOf);
            case "L" -> {
                if (!av.isArray() || ev.size() != av.size()) {
                    ok = false;
                } else {
                    for (int i = 0; i < ev.size(); i++) {
                        compareAttributeValue(ev.get(i), av.get(i), path + "[" + i + "]", diffs);
                    }
                    return;
                }
            }
            case "M" -> {
                compareAttributeMap(ev, av, path, diffs);
                return;
            }
            default -> ok = ev.equals(av);
        }
        if (!ok) {
            diffs.add(path + ": expected " + e + ", got " + a);
        }
    }

    private static boolean sameDecimal(String e, String a) {
        String ce = canonicalDecimal(e);
        return ce != null && ce.equals(canonicalDecimal(a));
    }

    /** The decimal's value as text without trailing zeros, or null when the text is no number. */
    private static String canonicalDecimal(String s) {
        try {
            BigDecimal d = new BigDecimal(s);
            return d.signum() == 0 ? "0" : d.stripTrailingZeros().toString();
        } catch (NumberFormatException ex) {
            return null;
        }
    }

    private static String bytesOf(JsonNode b64) {
        try {
            return java.util.HexFormat.of().formatHex(Base64.getDecoder().decode(b64.asText()));
        } catch (IllegalArgumentException ex) {
            return "raw:" + b64.asText();
        }
    }

    private static boolean distinct(JsonNode list) {
        return new java.util.HashSet<>(strings(list, JsonNode::asText)).size() == list.size();
    }

    private static boolean sameMultiset(JsonNode e, JsonNode a, java.util.function.Function<JsonNode, String> key) {
        if (!a.isArray() || e.size() != a.size()) {
            return false;
        }
        List<String> x = strings(e, key);
        List<String> y = strings(a, key);
        x.sort(java.util.Comparator.nullsFirst(java.util.Comparator.naturalOrder()));
        y.sort(java.util.Comparator.nullsFirst(java.util.Comparator.naturalOrder()));
        return x.equals(y) && !y.contains(null);
    }

    private static List<String> strings(JsonNode list, java.util.function.Function<JsonNode, String> key) {
        List<String> out = new ArrayList<>();
        if (list instanceof ArrayNode) {
            list.forEach(n -> out.add(key.apply(n)));
        }
        return out;
    }
}
