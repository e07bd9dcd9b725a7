package io.conveyor.cli.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conveyor.cli.CliException;
import io.conveyor.cli.ExitCodes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProfileFileTest {
    private static final Path FILE = Path.of("/home/u/.conveyor/config");

    private static ProfileFile parse(String text) {
        return ProfileFile.parse(FILE, text);
    }

    @Test
    void settingsBeforeAnySection_belongToTheDefaultProfile() {
        ProfileFile file = parse("""
                # local runtime
                endpoint = http://127.0.0.1:8080
                token=alice
                """);

        assertEquals(Map.of("endpoint", "http://127.0.0.1:8080", "token", "alice"), file.profile("default").orElseThrow());
    }

    @Test
    void sections_inTomlAndAwsStyle_withQuotedValuesAndComments() {
        ProfileFile file = parse("""
                [default]
                endpoint: http://127.0.0.1:8080   # properties-style separator

                [profile prod]
                endpoint = "https://abc123.execute-api.eu-west-1.amazonaws.com/prod"  # quoted, comment after
                auth = 'sigv4'
                AWS_PROFILE = conveyor-prod
                ; a comment in ini style
                ["staging"]
                endpoint = "https://x.example.com/a#b"
                token = "tab\\there \\"quoted\\""
                """);

        assertEquals(List.of("default", "prod", "staging"), List.copyOf(file.names()));
        assertEquals("http://127.0.0.1:8080", file.profile("default").orElseThrow().get("endpoint"));
        assertEquals(Map.of("endpoint", "https://abc123.execute-api.eu-west-1.amazonaws.com/prod", "auth", "sigv4",
                "aws-profile", "conveyor-prod"), file.profile("prod").orElseThrow());
        assertEquals("https://x.example.com/a#b", file.profile("staging").orElseThrow().get("endpoint"),
                "a # inside quotes is part of the value");
        assertEquals("tab\there \"quoted\"", file.profile("staging").orElseThrow().get("token"));
        assertEquals(Optional.empty(), file.profile("missing"));
    }

    @Test
    void unknownSetting_isAnErrorNamingTheLineAndTheSettings() {
        CliException e = assertThrows(CliException.class, () -> parse("endpoint = http://x\nendpont = http://y\n"));

        assertEquals(ExitCodes.USAGE, e.exitCode());
        assertTrue(e.getMessage().startsWith(FILE + " line 2: unknown setting 'endpont'"), e.getMessage());
        assertTrue(e.getMessage().contains("endpoint"), e.getMessage());
    }

    @Test
    void malformedLines_areErrorsNamingTheLine() {
        assertMessage("[prod\n", "line 1: a section is '[name]'");
        assertMessage("[]\n", "line 1: the section has no name");
        assertMessage("just words\n", "line 1: expected 'key = value'");
        assertMessage("token = \"open\n", "line 1: the quoted value is not closed");
        assertMessage("\n\ntoken = 'a' b\n", "line 3: unexpected 'b' after the quoted value");
        assertMessage("[p]\ntoken = a\ntoken = b\n", "line 3: 'token' is set twice in profile 'p'");
        assertMessage("token = \"a\\qb\"\n", "unknown escape");
    }

    private static void assertMessage(String text, String expected) {
        CliException e = assertThrows(CliException.class, () -> parse(text));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void load_missingDefaultFileIsEmpty_butAMissingNamedFileIsAnError(@TempDir Path dir) throws Exception {
        Path missing = dir.resolve("config");

        assertEquals(List.of(), List.copyOf(ProfileFile.load(missing, false).names()));
        CliException e = assertThrows(CliException.class, () -> ProfileFile.load(missing, true));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());

        Files.writeString(missing, "\uFEFFtoken = bob\n");
        assertEquals("bob", ProfileFile.load(missing, true).profile("default").orElseThrow().get("token"),
                "a byte-order mark is ignored");
    }
}
