package io.conveyor.cli.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.conveyor.cli.CliException;
import io.conveyor.cli.ExitCodes;
import io.conveyor.cli.config.Auth;
import io.conveyor.cli.config.CliSettings;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.IdentityProvider;

/**
 * The job API over the JDK's HTTP client ({@link HttpTransport}): builds each request (URL under the endpoint, JSON body, credentials) apart
 * from sending it, turns error answers into {@link ApiError} with advice, and I/O failures into a connection
 * {@link CliException} naming the endpoint. Also moves bytes through presigned URLs, which carry their own
 * authorisation. Thread-safe.
 */
public final class ApiClient {
    /** How long to wait for a TCP (and TLS) connection. */
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** How long an API call may take until its response headers arrive. */
    public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern XML_CODE = Pattern.compile("<Code>([^<]*)</Code>");
    private static final Pattern XML_MESSAGE = Pattern.compile("<Message>([^<]*)</Message>");

    private final CliSettings settings;
    private final RequestSigner signer;
    private final HttpTransport http;
    private final String userAgent;

    public ApiClient(CliSettings settings, RequestSigner signer, HttpTransport http, String userAgent) {
        this.settings = settings;
        this.signer = signer;
        this.http = http;
        this.userAgent = userAgent;
    }

    /** A client for {@code settings}: the bearer token, SigV4 with the AWS credentials, or nothing. */
    public static ApiClient create(CliSettings settings, String userAgent) {
        RequestSigner signer = switch (settings.auth()) {
            case BEARER -> RequestSigner.bearer(settings.token().orElseThrow());
            case SIGV4 -> {
                IdentityProvider<? extends AwsCredentialsIdentity> credentials = settings.awsProfile().isPresent()
                        ? ProfileCredentialsProvider.create(settings.awsProfile().get())
                        : DefaultCredentialsProvider.builder().build();
                yield new SigV4Signer(credentials, settings.region().orElseThrow(), Clock.systemUTC());
            }
            case NONE -> RequestSigner.NONE;
        };
        return new ApiClient(settings, signer, newTransport(), userAgent);
    }

    /** The HTTP the CLI uses: HTTP/1.1, redirects not followed, {@link #CONNECT_TIMEOUT}. */
    public static HttpTransport newTransport() {
        return new HttpTransport(CONNECT_TIMEOUT);
    }

    public CliSettings settings() {
        return settings;
    }

    /**
     * An API request.
     *
     * @param method  the HTTP method
     * @param path    the path under the endpoint, such as {@code /jobs/j-1/submit}
     * @param query   query parameters (unencoded); nulls are left out
     * @param headers extra headers
     * @param body    a JSON body, or null for none
     */
    public record Call(String method, String path, Map<String, String> query, Map<String, String> headers, JsonNode body) {
        public static Call get(String path) {
            return new Call("GET", path, Map.of(), Map.of(), null);
        }

        public Call query(String name, Object value) {
            Map<String, String> q = new LinkedHashMap<>(query);
            if (value != null) {
                q.put(name, value.toString());
            }
            return new Call(method, path, q, headers, body);
        }

        public Call header(String name, String value) {
            Map<String, String> h = new LinkedHashMap<>(headers);
            if (value != null) {
                h.put(name, value);
            }
            return new Call(method, path, query, h, body);
        }
    }

    /** Builds the HTTP request for {@code call}, signed; nothing is sent. */
    public HttpRequest prepare(Call call) {
        StringBuilder target = new StringBuilder(call.path());
        String separator = "?";
        for (Map.Entry<String, String> q : call.query().entrySet()) {
            target.append(separator).append(encode(q.getKey())).append('=').append(encode(q.getValue()));
            separator = "&";
        }
        URI uri = settings.resolve(target.toString());
        byte[] body = call.body() == null ? new byte[0] : call.body().toString().getBytes(StandardCharsets.UTF_8);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Accept", "application/json");
        headers.put("User-Agent", userAgent);
        if (call.body() != null) {
            headers.put("Content-Type", "application/json");
        }
        headers.putAll(call.headers());
        headers.putAll(signer.sign(call.method(), uri, Map.copyOf(headers), body));
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT)
                .method(call.method(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        return request.build();
    }

    /**
     * Sends {@code call} and returns the response's JSON body.
     *
     * @throws ApiError      when the API answers a status other than 2xx
     * @throws CliException  (connection) when it cannot be reached
     */
    public JsonNode send(Call call) {
        HttpRequest request = prepare(call);
        HttpResponse<byte[]> response = exchange(request, HttpResponse.BodyHandlers.ofByteArray(), "the Conveyor API");
        if (response.statusCode() / 100 != 2) {
            throw apiError(response.statusCode(), response.headers().firstValue("x-amzn-ErrorType"), response.body(),
                    response.headers().firstValue("Retry-After"));
        }
        try {
            byte[] bytes = response.body();
            return bytes.length == 0 ? JSON.createObjectNode() : JSON.readTree(bytes);
        } catch (IOException e) {
            throw new CliException(ExitCodes.API, "The API at " + settings.endpoint() + " answered " + request.method() + " "
                    + request.uri().getPath() + " with something other than JSON: is " + settings.endpoint()
                    + " (from " + settings.endpointSource() + ") the Conveyor API?");
        }
    }

    public JsonNode get(String path) {
        return send(Call.get(path));
    }

    public JsonNode post(String path, JsonNode body) {
        return send(new Call("POST", path, Map.of(), Map.of(), body));
    }

    public JsonNode delete(String path) {
        return send(new Call("DELETE", path, Map.of(), Map.of(), null));
    }

    /**
     * Sends a request to a presigned URL (no credentials added: the URL carries them) and returns the response.
     *
     * @throws ApiError     when the storage refuses it (its XML error code and message)
     * @throws CliException (connection) when the storage cannot be reached
     */
    public <T> HttpResponse<T> presigned(HttpRequest request, HttpResponse.BodyHandler<T> handler, String what) {
        HttpResponse<T> response = exchange(request, handler, what);
        if (response.statusCode() / 100 != 2) {
            byte[] body = new byte[0];
            if (response.body() instanceof byte[] b) {
                body = b;
            } else if (response.body() instanceof InputStream in) {
                try (in) {
                    body = in.readNBytes(64 * 1024);
                } catch (IOException e) {
                    // The status says enough.
                }
            }
            throw storageError(response.statusCode(), new String(body, StandardCharsets.UTF_8), what);
        }
        return response;
    }

    private <T> HttpResponse<T> exchange(HttpRequest request, HttpResponse.BodyHandler<T> handler, String what) {
        try {
            return http.send(request, handler);
        } catch (IOException e) {
            throw connectionProblem(request.uri(), what, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(ExitCodes.SOFTWARE, "Interrupted while waiting for " + what + ".", e);
        }
    }

    /** A connection failure as the CLI reports it: what could not be reached, why, and what to check. */
    public CliException connectionProblem(URI uri, String what, IOException e) {
        String target = uri.getScheme() + "://" + uri.getRawAuthority();
        String reason;
        if (e instanceof HttpConnectTimeoutException) {
            reason = "no connection within " + CONNECT_TIMEOUT.toSeconds() + " s";
        } else if (e instanceof HttpTimeoutException) {
            reason = "no answer within " + REQUEST_TIMEOUT.toSeconds() + " s";
        } else if (has(e, UnresolvedAddressException.class) || has(e, java.net.UnknownHostException.class)) {
            reason = "unknown host " + uri.getHost();
        } else if (e instanceof ConnectException || has(e, ConnectException.class)) {
            reason = "connection refused";
        } else if (has(e, SSLException.class)) {
            reason = "TLS failed (" + e.getMessage() + ")";
        } else {
            reason = "the connection failed (" + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + ")";
        }
        boolean api = target.equals(settings.endpoint().getScheme() + "://" + settings.endpoint().getRawAuthority());
        String advice = !api ? "Check the network path to it, or ask for a fresh URL by running the command again."
                : isLoopback(uri.getHost())
                ? "Is the local runtime running? Start it with java -jar local/target/conveyor-local-*.jar --port "
                        + (uri.getPort() > 0 ? uri.getPort() : 8080) + " --no-demo (see local/README.md), or pass the "
                        + "endpoint it printed with --endpoint or CONVEYOR_ENDPOINT (this one came from "
                        + settings.endpointSource() + ")."
                : "Check the endpoint (from " + settings.endpointSource() + ") and your network.";
        return new CliException(ExitCodes.CONNECTION, "Cannot reach " + what + " at " + target + ": " + reason + ". "
                + advice, e);
    }

    private ApiError apiError(int status, Optional<String> errorType, byte[] bytes, Optional<String> retryAfter) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        String code = null;
        String message = null;
        try {
            JsonNode body = JSON.readTree(text);
            if (body != null && body.isObject()) {
                code = textOrNull(body.get("code"));
                message = textOrNull(body.get("message"));
                if (message == null) {
                    message = textOrNull(body.get("Message"));
                }
            }
        } catch (IOException e) {
            // Not JSON: the text itself is the message.
        }
        if (code == null) {
            code = errorType.map(t -> t.contains(":") ? t.substring(0, t.indexOf(':')) : t).orElse(statusName(status));
        }
        if (message == null) {
            message = text.isBlank() ? "The API answered HTTP " + status + "." : abbreviate(text.strip());
        }
        return new ApiError(status, code, message, advice(status, code, message, retryAfter));
    }

    private String advice(int status, String code, String message, Optional<String> retryAfter) {
        Auth auth = settings.auth();
        if (status == 401) {
            return switch (auth) {
                case NONE -> "The API needs credentials and none were sent. For the local runtime, pass your user name as "
                        + "a bearer token: --token alice, CONVEYOR_TOKEN=alice, or 'token = alice' in ~/.conveyor/config. "
                        + "For a deployed API with IAM authorisation use --auth sigv4 with AWS credentials.";
                case BEARER -> "The bearer token was refused: check the token (from --token, CONVEYOR_TOKEN or the "
                        + "profile '" + settings.profile() + "'); the local runtime takes a user name of letters, digits and . _ @ + = , -.";
                case SIGV4 -> "The SigV4-signed request was refused: this API may expect a bearer token (--token) instead.";
            };
        }
        if (status == 403 && message.contains("Missing Authentication Token")) {
            return auth == Auth.SIGV4
                    ? "There is no such route at " + settings.endpoint() + ": check the endpoint, including its stage (such as /prod)."
                    : "Either the endpoint " + settings.endpoint() + " is wrong (check its stage, such as /prod), or the API "
                            + "uses IAM authorisation and wants SigV4: use --auth sigv4 with AWS credentials.";
        }
        if (status == 403 && auth == Auth.SIGV4) {
            return "Check the signing region (" + settings.region().orElse("?") + ", --region) and that your AWS identity "
                    + "may call execute-api:Invoke on this API.";
        }
        if (status == 429 && retryAfter.isPresent()) {
            return "Try again in " + retryAfter.get() + " s.";
        }
        if (status == 502 || status == 504) {
            return "The API's function failed or timed out; try again, and report it if it persists.";
        }
        return "";
    }

    private static ApiError storageError(int status, String text, String what) {
        Matcher code = XML_CODE.matcher(text);
        Matcher message = XML_MESSAGE.matcher(text);
        String c = code.find() ? code.group(1) : statusName(status);
        String m = message.find() ? message.group(1) : text.isBlank() ? "HTTP " + status : abbreviate(text.strip());
        String advice = status == 403 && (m.toLowerCase(Locale.ROOT).contains("expired") || c.equals("AccessDenied"))
                ? "The presigned URL may have expired; run the command again for a fresh one."
                : status == 403 ? "The upload did not match what the URL was signed for (size or content type): "
                        + "the file may have changed; run the command again."
                : c.equals("BadDigest") ? "The bytes that arrived do not match the Content-MD5 sent with them: the file "
                        + "changed while it was read, or they were damaged on the way; run the command again." : "";
        return new ApiError(status, c, what + " refused: " + m + (m.endsWith(".") ? "" : "."), advice);
    }

    private static boolean isLoopback(String host) {
        return host != null && (host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]") || host.equals("::1"));
    }

    private static boolean has(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private static String textOrNull(JsonNode node) {
        return node == null || node.isNull() || node.asText().isBlank() ? null : node.asText();
    }

    private static String abbreviate(String text) {
        String oneLine = text.replaceAll("\\s+", " ");
        return oneLine.length() <= 300 ? oneLine : oneLine.substring(0, 300) + "...";
    }

    private static String statusName(int status) {
        return switch (status) {
            case 400 -> "BadRequest";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "NotFound";
            case 409 -> "Conflict";
            case 410 -> "Gone";
            case 413 -> "PayloadTooLarge";
            case 429 -> "TooManyRequests";
            case 500 -> "InternalServerError";
            case 502 -> "BadGateway";
            case 503 -> "ServiceUnavailable";
            case 504 -> "GatewayTimeout";
            default -> "HTTP" + status;
        };
    }

    /** Percent-encodes a query name or value as SigV4 canonicalises it (RFC 3986 unreserved characters kept). */
    static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20").replace("*", "%2A").replace("%7E", "~");
    }

    /** Headers of a presigned request that the JDK client sets itself and refuses from callers. */
    public static boolean setByClient(String header) {
        return List.of("host", "content-length", "connection", "expect", "upgrade").contains(header.toLowerCase(Locale.ROOT));
    }
}
