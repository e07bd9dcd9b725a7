package io.conveyor.apiclient;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * A small HTTP client for the job API as a caller sees it, authenticated locally with
 * {@code Authorization: Bearer <user>}: for the demo and for scenario tests. Thread-safe.
 */
public final class JobApiClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1).build();
    private final URI base;
    private final String user;
    private final UnaryOperator<URI> reachable;

    /**
     * @param base the API's base URL
     * @param user the user to call as, or null for unauthenticated calls
     */
    public JobApiClient(URI base, String user) {
        this(base, user, UnaryOperator.identity());
    }

    /**
     * @param base      the API's base URL, which may end in a path ({@code .../restapis/<id>/v1/_user_request_/}): API
     *                  paths are appended to it
     * @param user      the user to call as, or null for unauthenticated calls
     * @param reachable turns a URL the deployment hands out (a presigned URL) into one this machine reaches: the
     *                  identity, unless the deployment runs behind a port mapping, as LocalStack in a container does
     */
    public JobApiClient(URI base, String user, UnaryOperator<URI> reachable) {
        this.base = base;
        this.user = user;
        this.reachable = reachable;
    }

    /** The same API, as another user. */
    public JobApiClient as(String otherUser) {
        return new JobApiClient(base, otherUser, reachable);
    }

    /**
     * A response.
     *
     * @param status  the HTTP status
     * @param headers the response headers (lower-case names)
     * @param text    the body as text
     */
    public record Response(int status, Map<String, List<String>> headers, String text) {
        /** The body as JSON (a missing node when empty or not JSON). */
        public JsonNode json() {
            try {
                return text == null || text.isBlank() ? JSON.missingNode() : JSON.readTree(text);
            } catch (IOException e) {
                return JSON.missingNode();
            }
        }

        public String header(String name) {
            List<String> values = headers.get(name.toLowerCase(java.util.Locale.ROOT));
            return values == null || values.isEmpty() ? null : values.get(0);
        }
    }

    public Response get(String path) {
        return send(request(path).GET());
    }

    public Response delete(String path) {
        return send(request(path).DELETE());
    }

    /** POSTs {@code body} (a JSON string, or null for none). */
    public Response post(String path, String body) {
        return post(path, body, Map.of());
    }

    public Response post(String path, String body, Map<String, String> headers) {
        HttpRequest.Builder b = request(path).POST(body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        headers.forEach(b::header);
        return send(b);
    }

    /**
     * Sends any request to an absolute URL the deployment handed out (a presigned URL, for example), without the
     * bearer token.
     */
    public Response send(String method, URI url, Map<String, String> headers, byte[] body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(reachable.apply(url)).timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach((name, value) -> {
            // The client sets these itself and refuses them as headers.
            if (!name.equalsIgnoreCase("Host") && !name.equalsIgnoreCase("Content-Length")) {
                b.header(name, value);
            }
        });
        return send(b);
    }

    private HttpRequest.Builder request(String path) {
        // Appended rather than resolved: resolving "/jobs" would drop a base path such as LocalStack's.
        String prefix = base.toString().endsWith("/") ? base.toString().substring(0, base.toString().length() - 1) : base.toString();
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(prefix + path)).timeout(Duration.ofSeconds(60));
        if (user != null) {
            b.header("Authorization", "Bearer " + user);
        }
        return b;
    }

    private Response send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> r = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Response(r.statusCode(), r.headers().map(), r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
