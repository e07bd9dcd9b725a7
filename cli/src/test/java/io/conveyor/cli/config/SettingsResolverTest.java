package io.conveyor.cli.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conveyor.cli.CliException;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsResolverTest {
    @TempDir
    Path home;

    @BeforeEach
    void profileFile() throws IOException {
        Files.createDirectories(home.resolve(".conveyor"));
        Files.writeString(home.resolve(".conveyor/config"), """
                endpoint = http://127.0.0.1:8080/
                token = alice

                [prod]
                endpoint = https://abc123.execute-api.eu-west-1.amazonaws.com/prod
                aws-profile = conveyor-prod

                [custom-domain]
                endpoint = https://jobs.example.com
                auth = sigv4
                """);
    }

    private CliSettings resolve(Map<String, String> env, SettingsResolver.Flags flags) {
        return new SettingsResolver(env, home).resolve(flags);
    }

    private static SettingsResolver.Flags flags(String endpoint, String token, String auth, String region, String profile) {
        return new SettingsResolver.Flags(endpoint, token, auth, region, profile, null);
    }

    @Test
    void defaultProfile_givesTheLocalEndpointAndBearerToken() {
        CliSettings s = resolve(Map.of(), SettingsResolver.Flags.none());

        assertEquals(URI.create("http://127.0.0.1:8080"), s.endpoint(), "the trailing slash is dropped");
        assertEquals(Auth.BEARER, s.auth());
        assertEquals(Optional.of("alice"), s.token());
        assertEquals(URI.create("http://127.0.0.1:8080/jobs?limit=5"), s.resolve("/jobs?limit=5"));
    }

    @Test
    void flagsBeatEnvironment_whichBeatsTheProfile() {
        Map<String, String> env = Map.of("CONVEYOR_ENDPOINT", "http://127.0.0.1:9000", "CONVEYOR_TOKEN", "bob");

        CliSettings fromEnv = resolve(env, SettingsResolver.Flags.none());
        CliSettings fromFlags = resolve(env, flags("http://127.0.0.1:9100", "carol", null, null, null));

        assertEquals(URI.create("http://127.0.0.1:9000"), fromEnv.endpoint());
        assertEquals("CONVEYOR_ENDPOINT", fromEnv.endpointSource());
        assertEquals(Optional.of("bob"), fromEnv.token());
        assertEquals(URI.create("http://127.0.0.1:9100"), fromFlags.endpoint());
        assertEquals(Optional.of("carol"), fromFlags.token());
    }

    @Test
    void executeApiEndpoint_meansSigV4_inTheEndpointsRegion_keepingTheStage() {
        CliSettings s = resolve(Map.of("CONVEYOR_PROFILE", "prod"), SettingsResolver.Flags.none());

        assertEquals(Auth.SIGV4, s.auth());
        assertEquals(Optional.of("eu-west-1"), s.region());
        assertEquals(Optional.of("conveyor-prod"), s.awsProfile());
        assertEquals("prod", s.profile());
        assertEquals(URI.create("https://abc123.execute-api.eu-west-1.amazonaws.com/prod/jobs/j-1"), s.resolve("/jobs/j-1"));
        assertEquals(URI.create("https://abc123.execute-api.eu-west-1.amazonaws.com/prod"), resolve(Map.of(),
                flags("https://abc123.execute-api.eu-west-1.amazonaws.com:443/prod/", null, null, null, null)).endpoint(),
                "the default port is left out, as the signer leaves it out of the signed Host");
    }

    @Test
    void regionOfHost_readsExecuteApiHostsOnly() {
        assertEquals(Optional.of("us-east-1"), SettingsResolver.regionOfHost("a1b2c3.execute-api.us-east-1.amazonaws.com"));
        assertEquals(Optional.of("ap-southeast-2"),
                SettingsResolver.regionOfHost("a1b2c3-vpce-0123.execute-api.ap-southeast-2.vpce.amazonaws.com"));
        assertEquals(Optional.of("cn-north-1"), SettingsResolver.regionOfHost("x.execute-api.cn-north-1.amazonaws.com.cn"));
        assertEquals(Optional.empty(), SettingsResolver.regionOfHost("jobs.example.com"));
        assertEquals(Optional.empty(), SettingsResolver.regionOfHost("127.0.0.1"));
    }

    @Test
    void sigV4OnACustomDomain_needsARegion_fromFlagOrAwsRegion() {
        CliException e = assertThrows(CliException.class,
                () -> resolve(Map.of(), flags(null, null, null, null, "custom-domain")));
        assertTrue(e.getMessage().contains("--region"), e.getMessage());

        assertEquals(Optional.of("us-west-2"), resolve(Map.of("AWS_REGION", "us-west-2"),
                flags(null, null, null, null, "custom-domain")).region());
        assertEquals(Optional.of("eu-central-1"), resolve(Map.of("AWS_REGION", "us-west-2"),
                flags(null, null, null, "eu-central-1", "custom-domain")).region());
    }

    @Test
    void mistakes_areUsageErrorsThatSayWhatToDo() {
        assertMessage(Map.of(), flags(null, null, null, null, "nope"), "no profile 'nope'");
        assertMessage(Map.of(), flags("ftp://x", null, null, null, null), "is not usable");
        assertMessage(Map.of(), flags("not a url", null, null, null, null), "is not usable");
        assertMessage(Map.of(), flags(null, null, "kerberos", null, null), "Unknown auth 'kerberos'");
        assertMessage(Map.of("CONVEYOR_AUTH", "bearer"), flags(null, null, null, null, "prod"), "no token");
    }

    @Test
    void noEndpointAnywhere_saysWhereToPutOne(@TempDir Path emptyHome) {
        CliException e = assertThrows(CliException.class,
                () -> new SettingsResolver(Map.of(), emptyHome).resolve(SettingsResolver.Flags.none()));

        assertTrue(e.getMessage().contains("--endpoint"), e.getMessage());
        assertTrue(e.getMessage().contains("CONVEYOR_ENDPOINT"), e.getMessage());
    }

    @Test
    void configFile_fromFlagOrEnvironment_mustExist(@TempDir Path dir) throws IOException {
        Path other = Files.writeString(dir.resolve("conveyor.toml"), "endpoint = http://127.0.0.1:7000\n");

        assertEquals(URI.create("http://127.0.0.1:7000"),
                resolve(Map.of("CONVEYOR_CONFIG", other.toString()), SettingsResolver.Flags.none()).endpoint());
        assertMessage(Map.of(), new SettingsResolver.Flags(null, null, null, null, null, dir.resolve("nope").toString()),
                "does not exist");
    }

    private void assertMessage(Map<String, String> env, SettingsResolver.Flags flags, String expected) {
        CliException e = assertThrows(CliException.class, () -> resolve(env, flags));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
