package io.conveyor.cli.config;

import java.net.URI;
import java.util.Optional;

/**
 * Where the API is and how to call it, resolved once per command from the flags, the environment and the profile
 * file (see {@link SettingsResolver}).
 *
 * @param endpoint       the API's base URL without a trailing slash, such as
 *                       {@code https://abc123.execute-api.eu-west-1.amazonaws.com/prod} or {@code http://127.0.0.1:8080}
 * @param endpointSource where the endpoint came from, for messages ({@code --endpoint}, {@code CONVEYOR_ENDPOINT}, ...)
 * @param auth           how requests are authenticated
 * @param token          the bearer token; present when {@code auth} is {@link Auth#BEARER}
 * @param region         the signing region; present when {@code auth} is {@link Auth#SIGV4}
 * @param awsProfile     a profile of the AWS config files to take credentials from, instead of the default chain
 * @param profile        the name of the CLI profile in use
 */
public record CliSettings(URI endpoint, String endpointSource, Auth auth, Optional<String> token, Optional<String> region,
        Optional<String> awsProfile, String profile) {

    /** The URL of an API path such as {@code /jobs/j-1}, under the endpoint's own path (the stage). */
    public URI resolve(String pathAndQuery) {
        return URI.create(endpoint.toString() + pathAndQuery);
    }
}
