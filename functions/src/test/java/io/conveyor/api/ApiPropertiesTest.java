package io.conveyor.api;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import io.conveyor.deployment.Catalogue;
import io.conveyor.deployment.RouteSpec;
import java.util.Base64;
import java.util.regex.Matcher;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.BeforeProperty;

/**
 * Whatever a client sends, the API answers a 2xx or a 4xx that says what to change, never a 5xx: request bodies
 * of POST /jobs, page tokens of GET /jobs, and every route with hostile ids, query parameters and headers,
 * generated at random and by mutating valid ones.
 */
class ApiPropertiesTest {
    private static final String VALID_BODY = "{\"program\": \"checksum\", \"parameters\": {\"top\": 3}, "
            + "\"files\": [{\"name\": \"a.txt\", \"content\": \"to be\"}], \"dependsOn\": [], \"retention\": \"P2D\"}";

    private ApiHarness h;
    private String realToken;
    private String realJob;

    @BeforeProperty
    void deployment() {
        h = new ApiHarness();
        realJob = h.submittedJob(h.alice());
        h.submittedJob(h.alice());
        realToken = h.alice().query("limit", "1").get("/jobs").body().path("nextToken").asText();
    }

    @Property(tries = 300)
    void anyCreateBody_isAnswered2xxOr4xx(@ForAll("bodies") String body) {
        assertAnsweredWithoutServerError(h.alice().post("/jobs", body), body);
    }

    @Property(tries = 300)
    void anyPageToken_isAnswered200Or400(@ForAll("tokens") String token) {
        ApiHarness.Response listed = h.alice().query("limit", "1").query("nextToken", token).get("/jobs");
        assertAnsweredWithoutServerError(listed, token);
        assertTrue(listed.status() == 200 || listed.status() == 400, listed.status() + " for '" + token + "'");
    }

    @Property(tries = 500)
    void anyRouteWithAnyIdQueryAndHeader_isAnswered2xxOr4xx(@ForAll("routes") RouteSpec route, @ForAll("texts") String id,
            @ForAll("queryNames") String queryName, @ForAll("texts") String queryValue, @ForAll("texts") String key) {
        String path = route.path().replaceAll("\\{[^}]+}", Matcher.quoteReplacement(id));
        ApiHarness.Call call = h.alice().query(queryName, queryValue).header("Idempotency-Key", key);
        String body = route.method().equals("POST") && route.path().equals("/jobs") ? VALID_BODY : null;
        assertAnsweredWithoutServerError(call.send(route.method(), path, body), route + " " + path + "?" + queryName
                + "=" + queryValue + " key " + key);
    }

    private static void assertAnsweredWithoutServerError(ApiHarness.Response response, String sent) {
        assertTrue(response.status() < 500, response + " for " + sent);
        if (response.status() >= 400) {
            assertFalse(response.code().isEmpty(), "a refusal carries a code: " + response);
            assertFalse(response.message().isEmpty(), "and a message: " + response);
        }
    }

    @Provide
    Arbitrary<String> bodies() {
        return Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(200), mutationsOf(VALID_BODY),
                Arbitraries.strings().withChars("{}[]\":,0123456789.eE+-tfnul \\").ofMaxLength(120));
    }

    @Provide
    Arbitrary<String> tokens() {
        Arbitrary<String> base64OfAnything = Arbitraries.strings().ofMaxLength(120)
                .map(s -> Base64.getUrlEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8)));
        // An issued token is the store's token (base64 JSON of a key), a dot and its signature.
        String storeToken = realToken.substring(0, realToken.lastIndexOf('.'));
        Arbitrary<String> base64OfMutatedTokens = mutationsOf(new String(Base64.getUrlDecoder().decode(storeToken),
                StandardCharsets.UTF_8)).map(s -> Base64.getUrlEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8)));
        return Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(200), base64OfAnything, mutationsOf(realToken),
                base64OfMutatedTokens);
    }

    @Provide
    Arbitrary<RouteSpec> routes() {
        return Arbitraries.of(Catalogue.ROUTES);
    }

    /** Ids, query values and header values: random text, hostile text, and the real ids of jobs. */
    @Provide
    Arbitrary<String> texts() {
        return Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(80), Arbitraries.of("", " ", "..", "%2F", "-1", "0",
                "101", "1e9", "null", "true", "\u0000", "\ud800", "x".repeat(5000), realJob, realToken,
                "QUEUED", "running", "word-frequency"));
    }

    @Provide
    Arbitrary<String> queryNames() {
        return Arbitraries.of("limit", "nextToken", "status", "program", "redirect", "unknown");
    }

    /** {@code valid} with one character replaced, inserted or removed at a random place. */
    private static Arbitrary<String> mutationsOf(String valid) {
        Arbitrary<Integer> at = Arbitraries.integers().between(0, valid.length() - 1);
        Arbitrary<Character> c = Arbitraries.chars();
        Arbitrary<Integer> kind = Arbitraries.integers().between(0, 2);
        return Combinators.combine(at, c, kind).as((i, ch, k) -> switch (k) {
            case 0 -> valid.substring(0, i) + ch + valid.substring(i + 1);
            case 1 -> valid.substring(0, i) + ch + valid.substring(i);
            default -> valid.substring(0, i) + valid.substring(i + 1);
        });
    }
}
