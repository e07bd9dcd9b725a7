package io.conveyor.cli.config;

import io.conveyor.cli.CliException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The CLI's profile file, {@code ~/.conveyor/config}: named profiles of settings, in a small subset of TOML that
 * also reads as a Java properties file.
 *
 * <pre>
 * # CliSettings before any section belong to the profile "default".
 * endpoint = http://127.0.0.1:8080
 * token = alice
 *
 * [prod]                      # or [profile prod], as in ~/.aws/config
 * endpoint = "https://abc123.execute-api.eu-west-1.amazonaws.com/prod"
 * auth = sigv4
 * aws-profile = conveyor-prod
 * </pre>
 *
 * <p>Rules: one {@code key = value} (or {@code key: value}) per line; {@code #} and {@code ;} start a comment line,
 * and {@code #} after a space ends an unquoted value; values may be quoted ({@code "..."} with backslash escapes,
 * or {@code '...'} taken literally); keys are case-insensitive and {@code _} equals {@code -}. A key outside
 * {@link #KEYS}, or given twice in one profile, is an error naming the line. Immutable.
 */
public final class ProfileFile {
    /** The profile used when none is named. */
    public static final String DEFAULT_PROFILE = "default";
    /** The settings a profile may hold. */
    public static final Set<String> KEYS = Set.of("endpoint", "token", "auth", "region", "aws-profile");

    private final Path path;
    private final Map<String, Map<String, String>> profiles;

    private ProfileFile(Path path, Map<String, Map<String, String>> profiles) {
        this.path = path;
        this.profiles = profiles;
    }

    /** A file with no profiles (what a missing default file reads as). */
    public static ProfileFile empty(Path path) {
        return new ProfileFile(path, Map.of());
    }

    /**
     * Reads {@code path}.
     *
     * @param required whether a missing file is an error (a file named explicitly) or reads as empty (the default)
     * @throws CliException (usage) when the file is required and missing, unreadable, or malformed
     */
    public static ProfileFile load(Path path, boolean required) {
        try {
            return parse(path, Files.readString(path, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            if (required) {
                throw CliException.usage("The profile file " + path + " does not exist: create it (see cli/README.md) "
                        + "or pass another with --config / CONVEYOR_CONFIG.");
            }
            return empty(path);
        } catch (IOException e) {
            throw CliException.usage("The profile file " + path + " cannot be read: " + e.getMessage());
        }
    }

    /**
     * Parses the text of a profile file.
     *
     * @param path where the text came from, for messages
     * @throws CliException (usage) naming the line of the first mistake
     */
    public static ProfileFile parse(Path path, String text) {
        Map<String, Map<String, String>> profiles = new LinkedHashMap<>();
        String profile = DEFAULT_PROFILE;
        List<String> lines = text.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            String where = path + " line " + (i + 1);
            String line = lines.get(i).strip();
            if (i == 0 && line.startsWith("\uFEFF")) {
                line = line.substring(1).strip();
            }
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            if (line.startsWith("[")) {
                profile = sectionName(line, where);
                profiles.computeIfAbsent(profile, p -> new LinkedHashMap<>());
                continue;
            }
            int eq = separator(line);
            if (eq <= 0) {
                throw CliException.usage(where + ": expected 'key = value' or '[profile]', found '" + line + "'.");
            }
            String key = line.substring(0, eq).strip().toLowerCase(Locale.ROOT).replace('_', '-');
            if (!KEYS.contains(key)) {
                throw CliException.usage(where + ": unknown setting '" + key + "'; the settings are "
                        + KEYS.stream().sorted().toList() + ".");
            }
            String value = value(line.substring(eq + 1).strip(), where);
            Map<String, String> settings = profiles.computeIfAbsent(profile, p -> new LinkedHashMap<>());
            if (settings.putIfAbsent(key, value) != null) {
                throw CliException.usage(where + ": '" + key + "' is set twice in profile '" + profile + "'.");
            }
        }
        Map<String, Map<String, String>> frozen = new LinkedHashMap<>();
        profiles.forEach((name, settings) -> frozen.put(name, Collections.unmodifiableMap(settings)));
        return new ProfileFile(path, Collections.unmodifiableMap(frozen));
    }

    private static String sectionName(String line, String where) {
        int close = line.indexOf(']');
        String rest = close < 0 ? "" : line.substring(close + 1).strip();
        if (close < 0 || !(rest.isEmpty() || rest.startsWith("#") || rest.startsWith(";"))) {
            throw CliException.usage(where + ": a section is '[name]' alone on its line, found '" + line + "'.");
        }
        String name = line.substring(1, close).strip();
        if (name.startsWith("profile ")) {
            name = name.substring("profile ".length()).strip();
        }
        if (name.length() > 1 && (name.startsWith("\"") && name.endsWith("\"") || name.startsWith("'") && name.endsWith("'"))) {
            name = name.substring(1, name.length() - 1);
        }
        if (name.isEmpty()) {
            throw CliException.usage(where + ": the section has no name.");
        }
        return name;
    }

    /** The index of the first {@code =} or {@code :}, or -1: keys are bare words, so it ends the key. */
    private static int separator(String line) {
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '=' || c == ':') {
                return i;
            }
        }
        return -1;
    }

    private static String value(String raw, String where) {
        if (raw.startsWith("\"")) {
            StringBuilder value = new StringBuilder();
            int i = 1;
            for (; i < raw.length(); i++) {
                char c = raw.charAt(i);
                if (c == '"') {
                    break;
                }
                if (c == '\\' && i + 1 < raw.length()) {
                    char e = raw.charAt(++i);
                    switch (e) {
                        case 'n' -> value.append('\n');
                        case 't' -> value.append('\t');
                        case '"', '\\' -> value.append(e);
                        default -> throw CliException.usage(where + ": unknown escape '\\" + e + "' in a quoted value.");
                    }
                } else {
                    value.append(c);
                }
            }
            if (i >= raw.length()) {
                throw CliException.usage(where + ": the quoted value is not closed.");
            }
            requireNothingAfter(raw.substring(i + 1), where);
            return value.toString();
        }
        if (raw.startsWith("'")) {
            int close = raw.indexOf('\'', 1);
            if (close < 0) {
                throw CliException.usage(where + ": the quoted value is not closed.");
            }
            requireNothingAfter(raw.substring(close + 1), where);
            return raw.substring(1, close);
        }
        for (int i = 1; i < raw.length(); i++) {
            if (raw.charAt(i) == '#' && Character.isWhitespace(raw.charAt(i - 1))) {
                return raw.substring(0, i).strip();
            }
        }
        return raw.startsWith("#") ? "" : raw;
    }

    private static void requireNothingAfter(String rest, String where) {
        String r = rest.strip();
        if (!(r.isEmpty() || r.startsWith("#") || r.startsWith(";"))) {
            throw CliException.usage(where + ": unexpected '" + r + "' after the quoted value.");
        }
    }

    public Path path() {
        return path;
    }

    /** The names of the profiles in the file, in file order. */
    public Set<String> names() {
        return profiles.keySet();
    }

    /** The settings of profile {@code name} (keys as in {@link #KEYS}), empty when the file has no such profile. */
    public Optional<Map<String, String>> profile(String name) {
        return Optional.ofNullable(profiles.get(name));
    }
}
