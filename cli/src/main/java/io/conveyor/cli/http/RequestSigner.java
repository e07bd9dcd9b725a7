package io.conveyor.cli.http;

import java.net.URI;
import java.util.Map;

/** Adds a caller's credentials to an API request. Implementations are thread-safe. */
public interface RequestSigner {
    /**
     * The headers that authenticate the request.
     *
     * @param method  the HTTP method
     * @param uri     the full URL the request goes to
     * @param headers the headers the request already has (excluding {@code Host} and {@code Content-Length}, which
     *                the HTTP client sets)
     * @param body    the body, empty for none
     * @return the headers to add (names as they should be sent)
     */
    Map<String, String> sign(String method, URI uri, Map<String, String> headers, byte[] body);

    /** No credentials at all. */
    RequestSigner NONE = (method, uri, headers, body) -> Map.of();

    /** {@code Authorization: Bearer <token>}. */
    static RequestSigner bearer(String token) {
        return (method, uri, headers, body) -> Map.of("Authorization", "Bearer " + token);
    }
}
