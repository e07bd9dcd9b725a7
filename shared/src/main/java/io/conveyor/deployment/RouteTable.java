package io.conveyor.deployment;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The REST API's resources and methods, matched as API Gateway matches them: a literal segment beats a
 * {@code {parameter}} segment, a parameter matches exactly one non-empty segment, and a trailing slash is ignored.
 * The local runtime's API Gateway and the API function both route with it, so they cannot disagree.
 */
public final class RouteTable {
    private final List<RouteSpec> routes;

    public RouteTable(List<RouteSpec> routes) {
        this.routes = List.copyOf(routes);
    }

    /**
     * A matched route.
     *
     * @param route          the route
     * @param pathParameters its parameters, URL-decoded
     */
    public record Match(RouteSpec route, Map<String, String> pathParameters) {}

    /** The route for {@code method} on {@code path}, if the API has one. */
    public Optional<Match> match(String method, String path) {
        Match best = null;
        int bestLiterals = -1;
        for (RouteSpec route : routes) {
            if (!route.method().equalsIgnoreCase(method)) {
                continue;
            }
            Map<String, String> parameters = new LinkedHashMap<>();
            int literals = match(route.path(), path, parameters);
            if (literals > bestLiterals) {
                best = new Match(route, parameters);
                bestLiterals = literals;
            }
        }
        return Optional.ofNullable(best);
    }

    /** The methods the API serves on {@code path}; empty when no route has that path. */
    public Set<String> methodsAt(String path) {
        Set<String> methods = new TreeSet<>();
        for (RouteSpec route : routes) {
            if (match(route.path(), path, new LinkedHashMap<>()) >= 0) {
                methods.add(route.method());
            }
        }
        return methods;
    }

    /** The number of literal segments matched, or -1 when {@code template} does not match {@code path}. */
    private static int match(String template, String path, Map<String, String> parameters) {
        String[] t = segments(template);
        String[] p = segments(path);
        if (t.length != p.length) {
            return -1;
        }
        int literals = 0;
        for (int i = 0; i < t.length; i++) {
            if (t[i].startsWith("{") && t[i].endsWith("}")) {
                if (p[i].isEmpty()) {
                    return -1;
                }
                parameters.put(t[i].substring(1, t[i].length() - 1), percentDecoded(p[i]));
            } else if (t[i].equals(p[i])) {
                literals++;
            } else {
                return -1;
            }
        }
        return literals;
    }

    /**
     * Percent-decoding only: a "+" in a path is a plus sign, not a space. A segment with a malformed escape (such as a
     * lone "%") is taken as it is, so it names no existing thing instead of failing the request.
     */
    private static String percentDecoded(String segment) {
        try {
            return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException malformedEscape) {
            return segment;
        }
    }

    private static String[] segments(String path) {
        String s = path;
        while (s.startsWith("/")) {
            s = s.substring(1);
        }
        while (s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        return s.isEmpty() ? new String[0] : s.split("/", -1);
    }
}
