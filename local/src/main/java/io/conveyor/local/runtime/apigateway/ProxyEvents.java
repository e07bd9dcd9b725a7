package io.conveyor.local.runtime.apigateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conveyor.deployment.RouteTable;
import java.net.URLDecoder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Builds the event API Gateway's REST API sends a Lambda proxy integration (payload format 1.0): resource, path,
 * method, single- and multi-value headers and query parameters (null when there are none, as API Gateway sends
 * them), path parameters, the request context (request id, stage, identity, authorizer claims, times) and the body
 * (base64 when it is not UTF-8 text).
 */
public final class ProxyEvents {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter REQUEST_TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    private final String apiId;
    private final String stage;
    private final String account;

    /**
     * @param apiId   the REST API's id, also in its host name
     * @param stage   the stage name
     * @param account the account id in the request context
     */
    public ProxyEvents(String apiId, String stage, String account) {
        this.apiId = apiId;
        this.stage = stage;
        this.account = account;
    }

    /**
     * The proxy event for {@code request}, matched to {@code match}, with {@code claims} as the authorizer's claims
     * (a Cognito user pool authoriser's shape), or none.
     */
    public ObjectNode event(ProxyRequest request, RouteTable.Match match, Map<String, String> claims, String requestId,
            Instant now) {
        ObjectNode e = JSON.createObjectNode();
        String resource = match.route().path();
        e.put("resource", resource);
        e.put("path", request.path());
        e.put("httpMethod", request.method());

        if (request.headers().isEmpty()) {
            e.putNull("headers");
            e.putNull("multiValueHeaders");
        } else {
            ObjectNode single = e.putObject("headers");
            ObjectNode multi = e.putObject("multiValueHeaders");
            request.headers().forEach((name, values) -> {
                single.put(name, values.get(values.size() - 1));
                ArrayNode all = multi.putArray(name);
                values.forEach(all::add);
            });
        }

        Map<String, List<String>> query = query(request.query());
        if (query.isEmpty()) {
            e.putNull("queryStringParameters");
            e.putNull("multiValueQueryStringParameters");
        } else {
            ObjectNode single = e.putObject("queryStringParameters");
            ObjectNode multi = e.putObject("multiValueQueryStringParameters");
            query.forEach((name, values) -> {
                single.put(name, values.get(values.size() - 1));
                ArrayNode all = multi.putArray(name);
                values.forEach(all::add);
            });
        }

        if (match.pathParameters().isEmpty()) {
            e.putNull("pathParameters");
        } else {
            ObjectNode path = e.putObject("pathParameters");
            match.pathParameters().forEach(path::put);
        }
        e.putNull("stageVariables");

        ObjectNode context = e.putObject("requestContext");
        context.put("resourceId", Integer.toHexString(resource.hashCode() & 0xffffff));
        context.put("resourcePath", resource);
        context.put("httpMethod", request.method());
        context.put("extendedRequestId", requestId.substring(0, 8) + "=");
        context.put("requestTime", REQUEST_TIME.format(now));
        context.put("path", "/" + stage + request.path());
        context.put("accountId", account);
        context.put("protocol", "HTTP/1.1");
        context.put("stage", stage);
        context.put("domainPrefix", apiId);
        context.put("requestTimeEpoch", now.toEpochMilli());
        context.put("requestId", requestId);
        ObjectNode identity = context.putObject("identity");
        for (String field : List.of("cognitoIdentityPoolId", "accountId", "cognitoIdentityId", "caller", "principalOrgId",
                "accessKey", "cognitoAuthenticationType", "cognitoAuthenticationProvider", "userArn", "user")) {
            identity.putNull(field);
        }
        identity.put("sourceIp", request.remote() == null ? "127.0.0.1" : request.remote().getAddress().getHostAddress());
        String userAgent = request.header("User-Agent");
        if (userAgent == null) {
            identity.putNull("userAgent");
        } else {
            identity.put("userAgent", userAgent);
        }
        if (claims != null) {
            ObjectNode claimsNode = context.putObject("authorizer").putObject("claims");
            claims.forEach(claimsNode::put);
        }
        String host = request.header("Host");
        context.put("domainName", host == null ? apiId : host);
        context.put("apiId", apiId);

        byte[] body = request.body();
        if (body == null || body.length == 0) {
            e.putNull("body");
            e.put("isBase64Encoded", false);
        } else {
            String text = utf8(body);
            if (text != null) {
                e.put("body", text);
                e.put("isBase64Encoded", false);
            } else {
                e.put("body", Base64.getEncoder().encodeToString(body));
                e.put("isBase64Encoded", true);
            }
        }
        return e;
    }

    /** The query string's parameters, decoded, in order; empty for none. */
    static Map<String, List<String>> query(String raw) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            out.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        return out;
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s;
        }
    }

    private static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
