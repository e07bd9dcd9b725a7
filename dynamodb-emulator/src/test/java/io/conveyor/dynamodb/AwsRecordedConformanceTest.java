package io.conveyor.dynamodb;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs every case of the AWS-recorded corpus ({@code src/test/resources/dynamodb-aws-recorded/}, and the folder
 * named by the system property {@code dynamodb.conformance.dir} if set) against an emulator, each case as its
 * own test named by the case. Requests go as raw HTTP, exactly as the corpus writes them, and answers are
 * compared by the corpus README's rules ({@link CorpusComparison}).
 */
class AwsRecordedConformanceTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String EXTRA_DIR_PROPERTY = "dynamodb.conformance.dir";
    private static final AtomicInteger CASE_NUMBER = new AtomicInteger();
    /** Pause between polls of a condition that has a deadline (eventual reads, table states). */
    private static final long POLL_NANOS = Duration.ofMillis(20).toNanos();

    private static DynamoDbEmulator emulator;
    private static HttpClient http;

    @BeforeAll
    static void start() {
        emulator = DynamoDbEmulator.builder().port(0).start();
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterAll
    static void stop() {
        if (emulator != null) {
            emulator.close();
        }
    }

    @TestFactory
    Stream<DynamicTest> corpus() throws IOException, URISyntaxException {
        List<Path> roots = new ArrayList<>();
        roots.add(Path.of(AwsRecordedConformanceTest.class.getResource("/dynamodb-aws-recorded").toURI()));
        String extra = System.getProperty(EXTRA_DIR_PROPERTY);
        if (extra != null && !extra.isBlank()) {
            roots.add(Path.of(extra));
        }
        List<DynamicTest> tests = new ArrayList<>();
        for (Path root : roots) {
            for (Path file : caseFiles(root)) {
                JsonNode c = expand(JSON.readTree(file.toFile()));
                if (c.isObject() && c.has("steps")) {
                    tests.add(DynamicTest.dynamicTest(c.path("name").asText(file.toString()), file.toUri(), () -> run(c)));
                }
            }
        }
        return tests.stream();
    }

    private static List<Path> caseFiles(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(p -> p.toString().endsWith(".json"))
                    .filter(p -> !root.relativize(p).startsWith("tools"))
                    .sorted()
                    .toList();
        }
    }

    /** {@code {"$repeat": unit, "times": n}} stands for the unit repeated n times (large payloads). */
    static JsonNode expand(JsonNode node) {
        if (node.isObject()) {
            if (node.size() == 2 && node.path("$repeat").isTextual() && node.has("times")) {
                return JsonNodeFactory.instance.textNode(node.get("$repeat").asText().repeat(node.get("times").asInt()));
            }
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            node.fields().forEachRemaining(f -> out.set(f.getKey(), expand(f.getValue())));
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            node.forEach(n -> out.add(expand(n)));
            return out;
        }
        return node;
    }

    private void run(JsonNode c) throws Exception {
        String prefix = c.path("literalTableNames").asBoolean(false) ? null
                : "corpus-" + CASE_NUMBER.incrementAndGet() + "-";
        CorpusTableNames names = new CorpusTableNames(prefix);
        c.path("tables").forEach(t -> names.add(t.get("TableName").asText()));
        c.get("steps").forEach(s -> names.collect(s.get("request")));
        Map<String, String> tokens = new HashMap<>();
        List<String> created = new ArrayList<>();
        try {
            for (JsonNode t : c.path("tables")) {
                JsonNode req = names.apply(t);
                Answer a = call("CreateTable", req);
                if (a.error != null) {
                    fail("setup: CreateTable " + req.get("TableName") + " failed: " + a.body);
                }
                created.add(req.get("TableName").asText());
            }
            for (String name : created) {
                waitActive(name);
            }
            int i = 0;
            for (JsonNode step : c.get("steps")) {
                i++;
                String op = step.get("op").asText();
                JsonNode req = freshTokens(names.apply(step.get("request")), tokens);
                long deadline = System.nanoTime() + (long) (step.path("eventual").asDouble(0) * 1e9);
                Answer a;
                List<String> diffs;
                while (true) {
                    a = step.path("paginate").asBoolean(false) ? paginate(step, req) : call(op, req);
                    diffs = check(step, names, a);
                    if (diffs.isEmpty() || System.nanoTime() >= deadline) {
                        break;
                    }
                    LockSupport.parkNanos(POLL_NANOS);
                }
                if (op.equals("CreateTable") && a.error == null) {
                    created.add(req.get("TableName").asText());
                    if (!step.path("noWait").asBoolean(false)) {
                        waitActive(req.get("TableName").asText());
                    }
                }
                if (!diffs.isEmpty()) {
                    fail("step " + i + " (" + op + "): " + String.join("\n  ", diffs)
                            + "\n  request: " + abbreviate(req) + "\n  actual:  " + abbreviate(a.body));
                }
            }
        } finally {
            for (String name : created) {
                call("DeleteTable", JsonNodeFactory.instance.objectNode().put("TableName", name));
            }
        }
    }

    private static String abbreviate(JsonNode n) {
        String s = String.valueOf(n);
        return s.length() <= 1500 ? s : s.substring(0, 1500) + "...";
    }

    private static List<String> check(JsonNode step, CorpusTableNames names, Answer a) {
        JsonNode expect = step.get("expect");
        List<String> diffs = new ArrayList<>();
        if (expect.has("error")) {
            JsonNode ee = expect.get("error");
            if (a.error == null) {
                diffs.add("expected error " + ee.get("code").asText() + ", got success: " + abbreviate(a.body));
                return diffs;
            }
            if (!ee.get("code").asText().equals(a.error)) {
                diffs.add("error code: expected " + ee.get("code").asText() + ", got " + a.error + " (message: " + a.message + ")");
            }
            if (ee.has("message") && !names.text(ee.get("message").asText()).equals(a.message)) {
                diffs.add("error message: expected \"" + names.text(ee.get("message").asText()) + "\", got \"" + a.message + "\"");
            }
            if (ee.has("messageContains")
                    && (a.message == null || !a.message.contains(names.text(ee.get("messageContains").asText())))) {
                diffs.add("error message: expected to contain \"" + names.text(ee.get("messageContains").asText())
                        + "\", got \"" + a.message + "\"");
            }
            if (ee.has("fields")) {
                diffs.addAll(new CorpusComparison(step, false).compare(names.apply(ee.get("fields")), a.body));
            }
            checkAbsent(step, a.body, diffs);
            return diffs;
        }
        if (a.error != null) {
            diffs.add("expected success, got error " + a.error + ": " + a.message);
            return diffs;
        }
        JsonNode expected = names.apply(expect.path("response").isMissingNode()
                ? JsonNodeFactory.instance.objectNode() : expect.get("response"));
        diffs.addAll(new CorpusComparison(step, step.path("exact").asBoolean(false)).compare(expected, a.body));
        checkAbsent(step, a.body, diffs);
        for (Iterator<Map.Entry<String, JsonNode>> it = step.path("includes").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> inc = it.next();
            JsonNode list = at(a.body, inc.getKey());
            if (list == null || !list.isArray()) {
                diffs.add(inc.getKey() + ": expected a list including " + inc.getValue() + ", got " + list);
                continue;
            }
            for (JsonNode v : inc.getValue()) {
                JsonNode mapped = JsonNodeFactory.instance.textNode(names.map(v.asText()));
                boolean found = false;
                for (JsonNode x : list) {
                    found |= x.equals(mapped);
                }
                if (!found) {
                    diffs.add(inc.getKey() + ": expected to include " + v);
                }
            }
        }
        return diffs;
    }

    private static void checkAbsent(JsonNode step, JsonNode body, List<String> diffs) {
        for (JsonNode p : step.path("absent")) {
            JsonNode v = at(body, p.asText());
            if (v != null) {
                diffs.add(p.asText() + ": expected absent, got " + v);
            }
        }
    }

    /** The value at a dot path with {@code [n]} indexes, or null when there is none. */
    private static JsonNode at(JsonNode root, String path) {
        JsonNode cur = root;
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("[^.\\[\\]]+|\\[\\d+\\]").matcher(path);
        while (m.find() && cur != null) {
            String tok = m.group();
            if (tok.startsWith("[")) {
                int idx = Integer.parseInt(tok.substring(1, tok.length() - 1));
                cur = cur.isArray() && idx < cur.size() ? cur.get(idx) : null;
            } else {
                cur = cur.isObject() ? cur.get(tok) : null;
            }
        }
        return cur;
    }

    /** Follows LastEvaluatedKey (for every segment with allSegments) and sums the pages. */
    private Answer paginate(JsonNode step, JsonNode req) throws Exception {
        List<Integer> segments = new ArrayList<>();
        if (step.path("allSegments").asBoolean(false)) {
            for (int s = 0; s < req.get("TotalSegments").asInt(); s++) {
                segments.add(s);
            }
        } else {
            segments.add(null);
        }
        ObjectNode agg = JsonNodeFactory.instance.objectNode();
        ArrayNode items = agg.putArray("Items");
        long count = 0;
        long scanned = 0;
        for (Integer seg : segments) {
            ObjectNode r = req.deepCopy();
            if (seg != null) {
                r.put("Segment", seg);
            }
            while (true) {
                Answer a = call(step.get("op").asText(), r);
                if (a.error != null) {
                    return a;
                }
                JsonNode page = a.body.path("Items");
                if (req.has("Limit") && page.size() > req.get("Limit").asInt()) {
                    return new Answer(JsonNodeFactory.instance.objectNode(), "CorpusRunner",
                            "page has " + page.size() + " items, more than Limit " + req.get("Limit"));
                }
                page.forEach(items::add);
                count += a.body.path("Count").asLong();
                scanned += a.body.path("ScannedCount").asLong();
                if (!a.body.has("LastEvaluatedKey")) {
                    break;
                }
                r.set("ExclusiveStartKey", a.body.get("LastEvaluatedKey"));
            }
        }
        agg.put("Count", count);
        agg.put("ScannedCount", scanned);
        if ("COUNT".equals(req.path("Select").asText())) {
            agg.remove("Items");
        }
        return new Answer(agg, null, null);
    }

    /** Replaces ClientRequestToken values by random ones of the same length, one per distinct token. */
    private static JsonNode freshTokens(JsonNode node, Map<String, String> tokens) {
        if (node.isObject()) {
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            node.fields().forEachRemaining(f -> {
                if (f.getKey().equals("ClientRequestToken") && f.getValue().isTextual() && !f.getValue().asText().isEmpty()) {
                    out.put(f.getKey(), tokens.computeIfAbsent(f.getValue().asText(), AwsRecordedConformanceTest::randomToken));
                } else {
                    out.set(f.getKey(), freshTokens(f.getValue(), tokens));
                }
            });
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            node.forEach(n -> out.add(freshTokens(n, tokens)));
            return out;
        }
        return node;
    }

    private static String randomToken(String like) {
        String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
        Random r = new Random();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < like.length(); i++) {
            sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
        }
        return sb.toString();
    }

    private static void waitActive(String table) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            Answer a = call("DescribeTable", JsonNodeFactory.instance.objectNode().put("TableName", table));
            if (a.error == null && "ACTIVE".equals(a.body.path("Table").path("TableStatus").asText())) {
                boolean indexesActive = true;
                for (JsonNode g : a.body.path("Table").path("GlobalSecondaryIndexes")) {
                    indexesActive &= "ACTIVE".equals(g.path("IndexStatus").asText("ACTIVE"));
                }
                if (indexesActive) {
                    return;
                }
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
        fail("table " + table + " did not become ACTIVE");
    }

    private record Answer(JsonNode body, String error, String message) { }

    private static Answer call(String op, JsonNode request) throws IOException, InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(emulator.endpoint())
                .header("Content-Type", "application/x-amz-json-1.0")
                .header("X-Amz-Target", "DynamoDB_20120810." + op)
                .header("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/us-east-1/dynamodb/aws4_request, "
                        + "SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=" + "0".repeat(64))
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(request)))
                .timeout(Duration.ofSeconds(60))
                .build();
        HttpResponse<String> resp = http.send(req, HttpResponse.BodyHandlers.ofString());
        JsonNode body;
        try {
            body = resp.body().isEmpty() ? JsonNodeFactory.instance.objectNode() : JSON.readTree(resp.body());
        } catch (IOException e) {
            body = JsonNodeFactory.instance.objectNode().put("__raw", resp.body());
        }
        if (resp.statusCode() >= 300) {
            String type = body.path("__type").asText("");
            String code = type.isEmpty() ? "HTTP" + resp.statusCode() : type.substring(type.indexOf('#') + 1);
            JsonNode msg = body.has("message") ? body.get("message") : body.get("Message");
            return new Answer(body, code, msg == null || msg.isNull() ? null : msg.asText());
        }
        return new Answer(body, null, null);
    }
}
