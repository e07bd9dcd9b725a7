package io.conveyor.cdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conveyor.config.ConfigurationException;
import io.conveyor.program.ProgramDefinition;
import io.conveyor.program.ProgramRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The context options: defaults, both value forms, and every problem named at once. */
class DeploymentOptionsTest {

    @Test
    void defaults_areTheDocumentedOnes() {
        DeploymentOptions o = DeploymentOptions.defaults();
        assertEquals("java25", o.lambdaRuntime());
        assertEquals(Duration.ofDays(7), o.defaultRetention());
        assertEquals(Duration.ofDays(90), o.maxRetention());
        assertEquals(5, o.maxActiveJobsPerUser());
        assertEquals(10, o.maxActiveJobsPerProgram());
        assertEquals(100, o.maxQueuedJobsPerUser());
        assertEquals(Duration.ofMinutes(15), o.presignedUrlTtl());
        assertEquals("rate(1 hour)", o.cleanerSchedule());
        assertEquals(DeploymentOptions.Auth.IAM, o.auth());
        assertEquals(Optional.empty(), o.alertEmail());
        assertEquals(30, o.logRetentionDays());
        assertEquals(List.of(), o.corsOrigins());
        assertTrue(o.retainData());
        assertEquals(120, o.objectExpiryDays());
        assertEquals(names(ProgramRegistry.samples()), names(o.programRegistry()), "the samples only");
        assertEquals(Map.of("CONVEYOR_MAX_ACTIVE_JOBS_PER_USER", "5", "CONVEYOR_MAX_ACTIVE_JOBS_PER_PROGRAM", "10",
                "CONVEYOR_MAX_QUEUED_JOBS_PER_USER", "100", "CONVEYOR_PRESIGNED_URL_TTL", "PT15M",
                "CONVEYOR_DEFAULT_RETENTION", "P7D", "CONVEYOR_MAX_RETENTION", "P90D"), o.functionSettings());
    }

    @Test
    void cdkJsonValues_arriveTyped_andCommandLineValuesAsText() {
        Map<String, Object> typed = Map.of("conveyor:maxActiveJobsPerUser", 7, "conveyor:retainData", false,
                "conveyor:corsOrigins", List.of("https://a.example", "https://b.example"),
                "conveyor:programs", List.of(Map.of("name", "thumbnails", "implementation", "java:com.example.Thumbnails")),
                "conveyor:apiRateLimit", 20.0);
        DeploymentOptions fromJson = DeploymentOptions.from(typed::get);
        assertEquals(7, fromJson.maxActiveJobsPerUser());
        assertEquals(false, fromJson.retainData());
        assertEquals(List.of("https://a.example", "https://b.example"), fromJson.corsOrigins());
        assertEquals(20, fromJson.apiRateLimit());
        assertEquals(ProgramRegistry.samples().all().size() + 1, fromJson.programRegistry().all().size());

        Map<String, Object> text = Map.of("conveyor:maxActiveJobsPerUser", "7", "conveyor:retainData", "false",
                "conveyor:corsOrigins", "https://a.example, https://b.example");
        DeploymentOptions fromCli = DeploymentOptions.from(text::get);
        assertEquals(7, fromCli.maxActiveJobsPerUser());
        assertEquals(false, fromCli.retainData());
        assertEquals(fromJson.corsOrigins(), fromCli.corsOrigins());
    }

    @Test
    void badOptions_areAllNamedAtOnce() {
        Map<String, Object> bad = Map.of(
                "conveyor:lambdaRuntime", "java8",
                "conveyor:maxRetention", "90 days",
                "conveyor:maxActiveJobsPerUser", "0",
                "conveyor:cleanerSchedule", "every hour",
                "conveyor:logRetentionDays", "10",
                "conveyor:retainData", "yes",
                "conveyor:auth", "cognito");
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> DeploymentOptions.from(bad::get));
        String all = String.join("\n", e.problems());
        for (String key : List.of("conveyor:lambdaRuntime", "conveyor:maxRetention", "conveyor:maxActiveJobsPerUser",
                "conveyor:cleanerSchedule", "conveyor:logRetentionDays", "conveyor:retainData", "conveyor:userPoolArn")) {
            assertTrue(all.contains(key), key + " missing from:\n" + all);
        }
    }

    @Test
    void auth_isChosenByTheModesOptionValue_andAnUnknownModeIsRefusedNamingTheKnownOnes() {
        for (DeploymentOptions.Auth auth : DeploymentOptions.Auth.values()) {
            Map<String, Object> context = new HashMap<>(Map.of("conveyor:auth", auth.option()));
            if (auth == DeploymentOptions.Auth.COGNITO) {
                context.put("conveyor:userPoolArn", "arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_Example");
            }
            assertEquals(auth, DeploymentOptions.from(context::get).auth());
        }
        assertEquals(DeploymentOptions.Auth.DEV_TOKEN, DeploymentOptions.from(Map.of("conveyor:auth", "DEVTOKEN")::get).auth());

        Map<String, Object> unknown = Map.of("conveyor:auth", "none");
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> DeploymentOptions.from(unknown::get));
        assertEquals(List.of("conveyor:auth must be one of [iam, cognito, devToken], was 'none'"), e.problems());
    }

    @Test
    void settingsTheFunctionsWouldRefuse_failTheSynth() {
        Map<String, Object> retention = Map.of("conveyor:defaultRetention", "P30D", "conveyor:maxRetention", "P10D");
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> DeploymentOptions.from(retention::get));
        assertTrue(e.problems().toString().contains("CONVEYOR_DEFAULT_RETENTION"), e.problems().toString());

        Map<String, Object> programs = Map.of("conveyor:programs", "[{\"name\": \"Bad Name\", \"implementation\": \"java:a.B\"}]");
        e = assertThrows(ConfigurationException.class, () -> DeploymentOptions.from(programs::get));
        assertTrue(e.problems().toString().contains("Bad Name"), e.problems().toString());

        Map<String, Object> identities = Map.of("conveyor:workerIdentities", "{\"render-farm\": []}");
        e = assertThrows(ConfigurationException.class, () -> DeploymentOptions.from(identities::get));
        assertTrue(e.problems().toString().contains("CONVEYOR_WORKER_IDENTITIES"), e.problems().toString());
    }

    @Test
    void workerIdentities_reachTheFunctionsAsTheirSetting_fromCdkJsonOrTheCommandLine() {
        Map<String, Object> typed = Map.of("conveyor:workerIdentities", Map.of("render-farm", List.of("alice", "bob")));
        assertEquals("{\"render-farm\":[\"alice\",\"bob\"]}",
                DeploymentOptions.from(typed::get).functionSettings().get("CONVEYOR_WORKER_IDENTITIES"));
        Map<String, Object> text = Map.of("conveyor:workerIdentities", "{\"render-farm\": [\"alice\"]}");
        assertEquals("{\"render-farm\": [\"alice\"]}",
                DeploymentOptions.from(text::get).functionSettings().get("CONVEYOR_WORKER_IDENTITIES"));
    }

    @Test
    void pricesAndAdministrators_becomeTheFunctionsSettings_fromTextOrCdkJson_andABadPriceFailsTheSynth() {
        Map<String, Object> text = Map.of("conveyor:prices", "region=eu-west-1, lambda.gbSecond=0.0000134",
                "conveyor:adminUsers", "auditor-1,auditor-2");
        Map<String, String> fromText = DeploymentOptions.from(text::get).functionSettings();
        assertEquals("region=eu-west-1, lambda.gbSecond=0.0000134", fromText.get("CONVEYOR_PRICES"));
        assertEquals("auditor-1,auditor-2", fromText.get("CONVEYOR_ADMIN_USERS"));

        Map<String, Object> typed = Map.of("conveyor:prices", new java.util.LinkedHashMap<>(Map.of("region", "eu-west-1")),
                "conveyor:adminUsers", List.of("auditor-1"));
        Map<String, String> fromJson = DeploymentOptions.from(typed::get).functionSettings();
        assertEquals("region=eu-west-1", fromJson.get("CONVEYOR_PRICES"));
        assertEquals("auditor-1", fromJson.get("CONVEYOR_ADMIN_USERS"));

        Map<String, String> defaults = DeploymentOptions.defaults().functionSettings();
        assertFalse(defaults.containsKey("CONVEYOR_PRICES"), "the price table's defaults need no setting");
        assertFalse(defaults.containsKey("CONVEYOR_ADMIN_USERS"), "no administrator unless named");

        Map<String, Object> bad = Map.of("conveyor:prices", "lambda.gbSecond=cheap");
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> DeploymentOptions.from(bad::get));
        assertTrue(e.problems().toString().contains("CONVEYOR_PRICES"), e.problems().toString());
    }

    @Test
    void readme_documentsEveryOptionWithItsDefault() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        for (DeploymentOptions.Option option : DeploymentOptions.Option.values()) {
            String row = readme.lines().filter(l -> l.contains("`" + option.key() + "`")).findFirst()
                    .orElseThrow(() -> new AssertionError("README.md does not document " + option.key()));
            assertTrue(row.contains("`" + option.defaultValue() + "`"), option.key() + "'s row must show its default `"
                    + option.defaultValue() + "`: " + row);
        }
    }

    private static List<String> names(ProgramRegistry programs) {
        return programs.all().stream().map(ProgramDefinition::name).toList();
    }
}
