package io.conveyor.storage;

import java.net.URI;
import java.time.Instant;
import java.util.Map;

/**
 * A request anyone holding it may send, until it expires, without credentials of their own.
 *
 * @param method    the HTTP method to use
 * @param url       the signed URL
 * @param headers   headers that were signed and must be sent exactly as given
 * @param expiresAt when the signature stops being accepted
 */
public record PresignedRequest(String method, URI url, Map<String, String> headers, Instant expiresAt) {
    public PresignedRequest {
        headers = Map.copyOf(headers);
    }
}
