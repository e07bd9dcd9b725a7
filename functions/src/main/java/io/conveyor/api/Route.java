package io.conveyor.api;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One route of the API: method, path template ({@code /jobs/{id}}), the statuses it can answer (checked against
 * the OpenAPI document by a test), and what it does.
 */
record Route(String method, String path, Set<Integer> statuses, Endpoint endpoint) {

    /** What a route does with a request from an authenticated caller. */
    @FunctionalInterface
    interface Endpoint {
        ApiResponse handle(Caller caller, ApiRequest request);
    }

    /** The path parameters, if {@code actualPath} matches this route's template. */
    Optional<Map<String, String>> match(String actualPath) {
        String[] template = path.split("/");
        String[] actual = actualPath.split("/");
        if (template.length != actual.length) {
            return Optional.empty();
        }
        Map<String, String> parameters = new HashMap<>();
        for (int i = 0; i < template.length; i++) {
            if (template[i].startsWith("{") && template[i].endsWith("}")) {
                if (actual[i].isEmpty()) {
                    return Optional.empty();
                }
                parameters.put(template[i].substring(1, template[i].length() - 1),
                        java.net.URLDecoder.decode(actual[i], java.nio.charset.StandardCharsets.UTF_8));
            } else if (!template[i].equals(actual[i])) {
                return Optional.empty();
            }
        }
        return Optional.of(parameters);
    }
}
