package io.conveyor.cdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.conveyor.cdk.iam.IamEvaluation;
import io.conveyor.cdk.iam.IamProof;
import io.conveyor.cdk.iam.RecordedCalls;
import io.conveyor.persistence.StoredJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Every AWS call the scenario suite made on the local runtime (recorded by the local module, which the reactor builds
 * and tests before this one) is allowed by the synthesized stack's policies for its caller's role, and every grant
 * no call used is either gone or listed in {@code iam/unused-grants.json} with the reason it stays. The stack is
 * synthesized with the programs the scenarios ran, so their state machines are in it. A report per role is written
 * to {@code target/iam/proof.md}.
 */
class IamProofTest {
    private static final RecordedCalls RECORDED = RecordedCalls.read(Path.of(System.getProperty("conveyor.iamCallRecord",
            "../../local/target/iam/recorded-calls.json")));
    private static final Synthesized APP = Synthesized.with(Map.of("conveyor:programs", RECORDED.programs()));
    private final IamProof proof = new IamProof(APP.json, RECORDED);

    /** An unused grant kept on purpose: caller, action and resource patterns ({@code *} wildcards) and the reason. */
    record Kept(String caller, String action, String resource, String reason) {
        boolean covers(IamProof.Grant grant) {
            return IamEvaluation.matches(caller, grant.caller(), false) && IamEvaluation.matches(action, grant.action(), true)
                    && IamEvaluation.matches(resource, grant.resource(), false);
        }
    }

    @Test
    void everyRecordedCall_isAllowedByItsCallersRole() {
        assertFalse(RECORDED.callers().isEmpty(), "the scenarios recorded no call");
        List<IamProof.Refusal> refusals = proof.refusals();
        assertTrue(refusals.isEmpty(), refusals.size() + " recorded calls would be refused on AWS:\n"
                + refusals.stream().map(Object::toString).collect(Collectors.joining("\n")));
    }

    @Test
    void everyCallerOfTheRecording_isACatalogueFunctionOrAJobStateMachineOfTheStack() {
        assertEquals(new TreeSet<>(), new TreeSet<>(RECORDED.callers().keySet().stream()
                .filter(caller -> !proof.roles().containsKey(caller)).toList()));
    }

    @Test
    void everyGrantNoCallUsed_isRemovedOrKeptForAWrittenReason() throws IOException {
        List<Kept> kept = kept();
        List<IamProof.Grant> unused = proof.unusedGrants();
        writeReport(unused, kept);
        List<String> unexplained = unused.stream().filter(g -> kept.stream().noneMatch(k -> k.covers(g)))
                .map(Object::toString).toList();
        assertTrue(unexplained.isEmpty(), unexplained.size() + " grants no recorded call used: remove them from the "
                + "stack, or keep them in iam/unused-grants.json with the reason\n" + String.join("\n", unexplained));
        List<Kept> stale = kept.stream().filter(k -> unused.stream().noneMatch(k::covers)).toList();
        assertTrue(stale.isEmpty(), "iam/unused-grants.json keeps grants that are now used or gone: " + stale);
        kept.forEach(k -> assertTrue(k.reason() != null && k.reason().length() > 20, "no written reason for " + k));
    }

    private static List<Kept> kept() {
        try (InputStream in = IamProofTest.class.getResourceAsStream("/iam/unused-grants.json")) {
            List<Kept> kept = new ArrayList<>();
            for (JsonNode k : StoredJson.MAPPER.readTree(in)) {
                kept.add(new Kept(k.get("caller").asText(), k.get("action").asText(), k.get("resource").asText(),
                        k.path("reason").asText(null)));
            }
            return kept;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Per role: the actions it was allowed and used, then the grants it did not use and why they stay. */
    private void writeReport(List<IamProof.Grant> unused, List<Kept> kept) throws IOException {
        StringBuilder out = new StringBuilder("# IAM proof: recorded calls against the synthesized roles\n");
        proof.roles().forEach((caller, role) -> {
            out.append("\n## ").append(caller).append(" (").append(role).append(")\n\nused:\n");
            Map<String, TreeSet<String>> used = new TreeMap<>();
            for (RecordedCalls.Request r : RECORDED.callers().getOrDefault(caller, List.of())) {
                used.computeIfAbsent(r.action(), a -> new TreeSet<>()).addAll(r.calls());
            }
            used.forEach((action, calls) -> out.append("- ").append(action).append(" (").append(String.join(", ", calls)).append(")\n"));
            out.append("\nunused, kept:\n");
            for (IamProof.Grant g : unused) {
                if (g.caller().equals(caller)) {
                    String reason = kept.stream().filter(k -> k.covers(g)).map(Kept::reason).findFirst().orElse("NOT EXPLAINED");
                    out.append("- ").append(g.action()).append(" ").append(g.resource()).append(": ").append(reason).append('\n');
                }
            }
        });
        Path report = Path.of("target/iam/proof.md");
        Files.createDirectories(report.getParent());
        Files.writeString(report, out);
    }
}
