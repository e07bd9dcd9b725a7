package io.conveyor.local.runtime.dashboard;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The web dashboard's files (the {@code conveyor-dashboard} jar's {@code dashboard/} folder on the class path), served
 * by the local runtime on the API's own port under {@value #PATH}, so the page calls the API on its own origin and
 * needs no CORS. Its {@code config.json} is written here: the API on the same origin, bearer users.
 *
 * <p>The files are public, as on CloudFront: they hold no data and no secret, and every API call they make is
 * authenticated. Every answer carries a Content-Security-Policy that allows scripts, styles and API calls from this
 * origin only, and uploads to the local S3 (the presigned URLs point there); nothing may frame the page.
 */
public final class DashboardFiles {
    /** Where the dashboard is served, with its trailing slash. */
    public static final String PATH = "/dashboard/";
    private static final String ROOT = "dashboard/";
    /** A file's name under the folder: no "..", no hidden files, a known extension. */
    private static final Pattern NAME = Pattern.compile("([A-Za-z0-9_-]+/)*[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*\\.(html|css|js|json|svg|png|ico)");
    private static final Map<String, String> TYPES = Map.of("html", "text/html; charset=utf-8", "css",
            "text/css; charset=utf-8", "js", "text/javascript; charset=utf-8", "json", "application/json", "svg",
            "image/svg+xml", "png", "image/png", "ico", "image/x-icon");
    private static final String CONFIG = "{\"api\":\"\",\"auth\":{\"mode\":\"bearer\"}}";

    /** An answer: status, headers and body. */
    public record Answer(int status, Map<String, List<String>> headers, byte[] body) {}

    private final ClassLoader loader;
    private final String contentSecurityPolicy;
    private final Map<String, Optional<byte[]>> files = new ConcurrentHashMap<>();

    /**
     * @param loader where the {@code dashboard/} folder is
     * @param s3     the local S3's endpoint, which the page uploads inputs to
     */
    public DashboardFiles(ClassLoader loader, URI s3) {
        this.loader = loader;
        this.contentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                + "connect-src 'self' " + s3.getScheme() + "://" + s3.getAuthority() + "; form-action 'self'; "
                + "base-uri 'none'; frame-ancestors 'none'";
    }

    /** Whether the dashboard's files are on the class path (the module was built). */
    public boolean present() {
        return file("index.html").isPresent();
    }

    public String contentSecurityPolicy() {
        return contentSecurityPolicy;
    }

    /** Whether {@code path} is the dashboard's, not the API's. */
    public static boolean handles(String path) {
        return path.equals(PATH.substring(0, PATH.length() - 1)) || path.startsWith(PATH);
    }

    /** The answer to a request for one of the dashboard's paths (see {@link #handles}). */
    public Answer serve(String method, String path) {
        if (!method.equals("GET") && !method.equals("HEAD")) {
            return text(405, "The dashboard's files answer GET and HEAD only.", Map.of("Allow", List.of("GET, HEAD")));
        }
        if (!path.startsWith(PATH)) {
            return text(301, "", Map.of("Location", List.of(PATH)));
        }
        String name = path.length() == PATH.length() ? "index.html" : path.substring(PATH.length());
        if (name.equals("config.json")) {
            return file(200, "json", CONFIG.getBytes(StandardCharsets.UTF_8));
        }
        if (!NAME.matcher(name).matches()) {
            return text(404, "No such file in the dashboard: " + name, Map.of());
        }
        String extension = name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
        return file(name).map(bytes -> file(200, extension, bytes))
                .orElseGet(() -> text(404, "No such file in the dashboard: " + name, Map.of()));
    }

    private Optional<byte[]> file(String name) {
        return files.computeIfAbsent(name, n -> {
            try (InputStream in = loader.getResourceAsStream(ROOT + n)) {
                return in == null ? Optional.empty() : Optional.of(in.readAllBytes());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the dashboard's " + n, e);
            }
        });
    }

    private Answer file(int status, String extension, byte[] body) {
        Map<String, List<String>> headers = securityHeaders();
        headers.put("Content-Type", List.of(TYPES.get(extension)));
        // Always revalidated: a rebuilt dashboard is seen at the next load.
        headers.put("Cache-Control", List.of("no-cache"));
        return new Answer(status, headers, body);
    }

    private Answer text(int status, String message, Map<String, List<String>> extra) {
        Map<String, List<String>> headers = securityHeaders();
        headers.put("Content-Type", List.of("text/plain; charset=utf-8"));
        headers.putAll(extra);
        return new Answer(status, headers, message.getBytes(StandardCharsets.UTF_8));
    }

    private Map<String, List<String>> securityHeaders() {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("Content-Security-Policy", List.of(contentSecurityPolicy));
        headers.put("X-Content-Type-Options", List.of("nosniff"));
        headers.put("Referrer-Policy", List.of("no-referrer"));
        return headers;
    }
}
