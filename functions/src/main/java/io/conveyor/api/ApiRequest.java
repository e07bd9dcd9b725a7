package io.conveyor.api;

import java.util.Map;
import java.util.Optional;

/**
 * The parts of an API Gateway request a route reads: path parameters, query parameters, headers (names in
 * lower case, as HTTP treats them case-insensitively) and the body as text.
 */
record ApiRequest(Map<String, String> pathParameters, Map<String, String> query, Map<String, String> headers, String body) {

    String path(String name) {
        return pathParameters.get(name);
    }

    Optional<String> query(String name) {
        return Optional.ofNullable(query.get(name)).filter(v -> !v.isEmpty());
    }

    Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name.toLowerCase(java.util.Locale.ROOT)));
    }
}
