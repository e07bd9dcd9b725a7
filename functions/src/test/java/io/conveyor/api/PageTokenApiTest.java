package io.conveyor.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Page tokens are tamper-evident: a listing takes back the tokens it handed out, and refuses any other with 400,
 * however plausible (a forged token for the caller's own partition never reaches DynamoDB).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PageTokenApiTest {
    private final ApiHarness h = new ApiHarness();
    private final List<String> alicesJobs = new ArrayList<>();

    @BeforeAll
    void threeJobs() {
        for (int i = 0; i < 3; i++) {
            alicesJobs.add(h.submittedJob(h.alice()));
        }
    }

    @Test
    void issuedTokens_pageThroughEveryJobOnce() {
        List<String> seen = new ArrayList<>();
        String token = null;
        do {
            ApiHarness.Call call = h.alice().query("limit", "1");
            ApiHarness.Response page = (token == null ? call : call.query("nextToken", token)).get("/jobs");
            assertEquals(200, page.status(), page.toString());
            page.body().path("jobs").forEach(j -> seen.add(j.path("jobId").asText()));
            token = page.body().path("nextToken").isTextual() ? page.body().path("nextToken").asText() : null;
        } while (token != null);
        assertEquals(alicesJobs.stream().sorted().toList(), seen.stream().sorted().toList());
    }

    /** Tokens as the unsigned format encoded them, for alice's own partition, each with a key DynamoDB refuses. */
    @ParameterizedTest
    @ValueSource(strings = {
        "{\"S:owner\": \"alice\"}",
        "{\"S:owner\": \"alice\", \"S:jobId\": \"x\", \"S:createdKey\": \"y\", \"S:extra\": \"z\"}",
        "{\"S:owner\": \"alice\", \"S:jobId\": \"x\", \"N:createdKey\": \"not a number\"}"})
    void forgedTokenForTheCallersOwnPartition_isRefusedWith400(String forgedKey) {
        String forged = Base64.getUrlEncoder().withoutPadding().encodeToString(forgedKey.getBytes(StandardCharsets.UTF_8));
        ApiHarness.Response response = h.alice().query("nextToken", forged).get("/jobs");
        assertEquals(400, response.status(), response.toString());
        assertTrue(response.message().contains("nextToken"), response.message());
    }

    @Test
    void anIssuedTokenAlteredByOneCharacter_isRefusedWith400() {
        String token = h.alice().query("limit", "1").get("/jobs").body().path("nextToken").asText();
        char last = token.charAt(token.length() - 1);
        String altered = token.substring(0, token.length() - 1) + (last == 'A' ? 'B' : 'A');
        assertEquals(400, h.alice().query("nextToken", altered).get("/jobs").status());
    }

    /** The store's own token for a real page of alice's, unsigned: well-formed, and still refused. */
    @Test
    void anIssuedTokenWithoutItsSignature_isRefusedWith400() {
        String token = h.alice().query("limit", "1").get("/jobs").body().path("nextToken").asText();
        String unsigned = token.substring(0, token.lastIndexOf('.'));
        ApiHarness.Response response = h.alice().query("limit", "1").query("nextToken", unsigned).get("/jobs");
        assertEquals(400, response.status(), response.toString());
        assertEquals(200, h.alice().query("limit", "1").query("nextToken", token).get("/jobs").status(),
                "the same token with its signature pages on");
    }

    @Test
    void aSubJobListingsForgedToken_isRefusedWith400() {
        String forged = Base64.getUrlEncoder().withoutPadding().encodeToString(("{\"S:jobId\": \"" + alicesJobs.get(0)
                + "\", \"N:firstIndex\": \"1e3\"}").getBytes(StandardCharsets.UTF_8));
        ApiHarness.Response response = h.alice().query("nextToken", forged).get("/jobs/" + alicesJobs.get(0) + "/subjobs");
        assertEquals(400, response.status(), response.toString());
    }
}
