package io.conveyor.cdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** cdk-nag's AwsSolutions pack, run on every synth: no finding left unsuppressed, no suppression without a reason. */
class CdkNagTest {

    private static Synthesized synth(String options) {
        return switch (options) {
            case "defaults" -> Synthesized.defaults();
            case "variant" -> Synthesized.variant();
            case "devToken" -> Synthesized.devToken();
            case "programFunctions" -> Synthesized.with(ProgramFunctionGrantsTest.PROGRAM_FUNCTIONS);
            case "dashboard" -> Synthesized.with(Synthesized.DASHBOARD);
            default -> throw new IllegalArgumentException(options);
        };
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"defaults", "variant", "devToken", "programFunctions", "dashboard"})
    void awsSolutions_leavesNoFindingUnsuppressed(String options) {
        Synthesized app = synth(options);
        assertEquals("", app.nagErrors.stream().map(m -> m.getId() + " " + m.getEntry().getData())
                .collect(Collectors.joining("\n")), "cdk-nag errors");
        assertEquals("", app.nagWarnings.stream().map(m -> m.getId() + " " + m.getEntry().getData())
                .collect(Collectors.joining("\n")), "cdk-nag warnings");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"defaults", "variant", "devToken", "programFunctions", "dashboard"})
    void everySuppression_saysWhy(String options) {
        Synthesized app = synth(options);
        int suppressions = 0;
        for (Map.Entry<String, JsonNode> resource : app.resources().properties()) {
            for (JsonNode rule : resource.getValue().at("/Metadata/cdk_nag/rules_to_suppress")) {
                suppressions++;
                String reason = rule.path("reason").asText();
                assertTrue(reason.length() >= 60, resource.getKey() + " suppresses " + rule.get("id").asText()
                        + " with too short a reason: '" + reason + "'");
                assertFalse(rule.get("id").asText().isBlank());
            }
        }
        assertTrue(suppressions > 0, "the suppressions are recorded in the template metadata");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"defaults", "variant", "devToken", "programFunctions", "dashboard"})
    void wildcardSuppressions_nameTheExactWildcards(String options) {
        Synthesized app = synth(options);
        for (Map.Entry<String, JsonNode> resource : app.resources().properties()) {
            for (JsonNode rule : resource.getValue().at("/Metadata/cdk_nag/rules_to_suppress")) {
                if (rule.get("id").asText().equals("AwsSolutions-IAM5") || rule.get("id").asText().equals("AwsSolutions-IAM4")) {
                    List<JsonNode> appliesTo = Synthesized.list(rule.get("applies_to"));
                    assertFalse(appliesTo.isEmpty(), resource.getKey() + ": an IAM suppression must say which wildcard it covers");
                }
            }
        }
    }
}
