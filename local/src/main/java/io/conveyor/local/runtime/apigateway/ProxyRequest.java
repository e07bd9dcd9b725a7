package io.conveyor.local.runtime.apigateway;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;

/**
 * One HTTP request as the gateway received it, before it becomes a proxy event.
 *
 * @param method   the HTTP method
 * @param path     the path, without the query string, not decoded
 * @param query    the raw query string, or null
 * @param headers  every header, names as the client sent them (canonical case where the server lost it)
 * @param body     the body, or null when empty
 * @param remote   the client's address
 */
public record ProxyRequest(String method, String path, String query, Map<String, List<String>> headers, byte[] body,
        InetSocketAddress remote) {

    /** The last value of header {@code name} (any case), or null. */
    public String header(String name) {
        for (Map.Entry<String, List<String>> h : headers.entrySet()) {
            if (h.getKey().equalsIgnoreCase(name) && !h.getValue().isEmpty()) {
                return h.getValue().get(h.getValue().size() - 1);
            }
        }
        return null;
    }
}
