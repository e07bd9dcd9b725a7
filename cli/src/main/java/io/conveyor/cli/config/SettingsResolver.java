package io.conveyor.cli.config;

import io.conveyor.cli.CliException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resolves {@link CliSettings}: each setting from the first place that has it, in this order: the command-line flag,
 * the environment variable, the selected profile of the profile file.
 *
 * <table>
 *   <caption>CliSettings and their sources</caption>
 *   <tr><th>setting</th><th>flag</th><th>environment</th><th>profile key</th></tr>
 *   <tr><td>endpoint</td><td>--endpoint</td><td>CONVEYOR_ENDPOINT</td><td>endpoint</td></tr>
 *   <tr><td>token</td><td>--token</td><td>CONVEYOR_TOKEN</td><td>token</td></tr>
 *   <tr><td>auth</td><td>--auth</td><td>CONVEYOR_AUTH</td><td>auth</td></tr>
 *   <tr><td>region</td><td>--region</td><td>CONVEYOR_REGION</td><td>region</td></tr>
 *   <tr><td>profile</td><td>--profile</td><td>CONVEYOR_PROFILE</td><td></td></tr>
 *   <tr><td>profile file</td><td>--config</td><td>CONVEYOR_CONFIG</td><td></td></tr>
 * </table>
 *
 * <p>Auth defaults to {@code bearer} when there is a token, else {@code sigv4} when the endpoint is an
 * {@code execute-api} host, else {@code none}. The signing region defaults to the one in an {@code execute-api}
 * host name, then to {@code AWS_REGION} / {@code AWS_DEFAULT_REGION}.
 */
public final class SettingsResolver {
    /** {@code <api-id>.execute-api.<region>.amazonaws.com}, also the VPC-endpoint and China forms. */
    private static final Pattern EXECUTE_API_HOST =
            Pattern.compile("^[a-z0-9-]+\\.execute-api\\.([a-z]{2}(?:-[a-z]+)+-\\d+)\\.(?:vpce\\.)?amazonaws\\.com(?:\\.cn)?$");

    /**
     * The values given on the command line; null where a flag was not given.
     */
    public record Flags(String endpoint, String token, String auth, String region, String profile, String config) {
        public static Flags none() {
            return new Flags(null, null, null, null, null, null);
        }
    }

    private final Map<String, String> env;
    private final Path home;

    /**
     * @param env  the environment variables
     * @param home the user's home directory, where {@code .conveyor/config} is looked for
     */
    public SettingsResolver(Map<String, String> env, Path home) {
        this.env = env;
        this.home = home;
    }

    /** The profile file in use: {@code --config}, else {@code CONVEYOR_CONFIG}, else {@code ~/.conveyor/config}. */
    public ProfileFile profileFile(Flags flags) {
        if (flags.config() != null) {
            return ProfileFile.load(Path.of(flags.config()), true);
        }
        String fromEnv = blankToNull(env.get("CONVEYOR_CONFIG"));
        if (fromEnv != null) {
            return ProfileFile.load(Path.of(fromEnv), true);
        }
        return ProfileFile.load(home.resolve(".conveyor").resolve("config"), false);
    }

    /**
     * Resolves the settings.
     *
     * @throws CliException (usage) when there is no endpoint, the endpoint is not an http(s) URL, a named profile does
     *                      not exist, bearer auth has no token or SigV4 has no region
     */
    public CliSettings resolve(Flags flags) {
        ProfileFile file = profileFile(flags);
        String profileName = first(flags.profile(), env.get("CONVEYOR_PROFILE"));
        boolean named = profileName != null;
        if (profileName == null) {
            profileName = ProfileFile.DEFAULT_PROFILE;
        }
        Map<String, String> profile = file.profile(profileName).orElse(null);
        if (profile == null) {
            if (named && !profileName.equals(ProfileFile.DEFAULT_PROFILE)) {
                throw CliException.usage("There is no profile '" + profileName + "' in " + file.path()
                        + (file.names().isEmpty() ? " (the file has no profiles)" : "; its profiles are " + file.names())
                        + ". Add a [" + profileName + "] section or choose another with --profile / CONVEYOR_PROFILE.");
            }
            profile = Map.of();
        }
        String inProfile = "profile '" + profileName + "' of " + file.path();

        Source endpoint = pick("--endpoint", flags.endpoint(), "CONVEYOR_ENDPOINT", "endpoint", profile, inProfile);
        if (endpoint == null) {
            throw CliException.usage("No API endpoint: pass --endpoint URL, set CONVEYOR_ENDPOINT, or put 'endpoint = URL' "
                    + "in " + file.path() + ". For the local runtime it is the http://127.0.0.1:PORT it printed at start-up.");
        }
        URI uri = endpoint(endpoint);

        Source token = pick("--token", flags.token(), "CONVEYOR_TOKEN", "token", profile, inProfile);
        Source authText = pick("--auth", flags.auth(), "CONVEYOR_AUTH", "auth", profile, inProfile);
        Optional<String> hostRegion = regionOfHost(uri.getHost());
        Auth auth = authText != null ? Auth.parse(authText.value, authText.where)
                : token != null ? Auth.BEARER
                : hostRegion.isPresent() ? Auth.SIGV4
                : Auth.NONE;
        if (auth == Auth.BEARER && token == null) {
            throw CliException.usage("Auth is bearer (" + authText.where + ") but there is no token: pass --token, "
                    + "set CONVEYOR_TOKEN or put 'token = ...' in " + file.path() + ".");
        }

        Optional<String> region = Optional.empty();
        if (auth == Auth.SIGV4) {
            Source r = pick("--region", flags.region(), "CONVEYOR_REGION", "region", profile, inProfile);
            String value = r != null ? r.value : hostRegion.orElse(first(env.get("AWS_REGION"), env.get("AWS_DEFAULT_REGION")));
            if (value == null) {
                throw CliException.usage("SigV4 needs the API's region and " + uri.getHost() + " does not name one: pass "
                        + "--region, set CONVEYOR_REGION or AWS_REGION, or put 'region = ...' in " + file.path() + ".");
            }
            region = Optional.of(value);
        }
        Optional<String> awsProfile = Optional.ofNullable(blankToNull(profile.get("aws-profile")));
        return new CliSettings(uri, endpoint.where, auth, Optional.ofNullable(token).map(t -> t.value), region, awsProfile,
                profileName);
    }

    /** The region in an {@code execute-api} host name, such as {@code eu-west-1}. */
    public static Optional<String> regionOfHost(String host) {
        if (host == null) {
            return Optional.empty();
        }
        Matcher m = EXECUTE_API_HOST.matcher(host.toLowerCase(Locale.ROOT));
        return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
    }

    private static URI endpoint(Source source) {
        String text = source.value.strip();
        while (text.endsWith("/")) {
            text = text.substring(0, text.length() - 1);
        }
        try {
            URI uri = new URI(text);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
                throw new URISyntaxException(text, "not an http(s) URL with a host");
            }
            if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
                throw new URISyntaxException(text, "an endpoint has no query or fragment");
            }
            if (uri.getPort() == (scheme.equals("https") ? 443 : 80)) {
                // The signer leaves a default port out of the signed Host; the request must do the same.
                uri = new URI(scheme, uri.getRawUserInfo(), uri.getHost(), -1, uri.getRawPath(), null, null);
            }
            return uri;
        } catch (URISyntaxException e) {
            throw CliException.usage("The endpoint '" + source.value + "' (" + source.where + ") is not usable: "
                    + e.getReason() + ". Give the API's base URL, such as https://abc123.execute-api.eu-west-1.amazonaws.com/prod "
                    + "or http://127.0.0.1:8080.");
        }
    }

    private record Source(String value, String where) {}

    private Source pick(String flag, String flagValue, String variable, String key, Map<String, String> profile,
            String inProfile) {
        if (blankToNull(flagValue) != null) {
            return new Source(flagValue.strip(), flag);
        }
        if (blankToNull(env.get(variable)) != null) {
            return new Source(env.get(variable).strip(), variable);
        }
        if (blankToNull(profile.get(key)) != null) {
            return new Source(profile.get(key).strip(), inProfile);
        }
        return null;
    }

    private static String first(String a, String b) {
        return blankToNull(a) != null ? a.strip() : blankToNull(b) != null ? b.strip() : null;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
