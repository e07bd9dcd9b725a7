package io.conveyor.cli.http;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signature Version 4 as a server checks it, written from AWS's specification and independent of the SDK: it
 * rebuilds the canonical request from what arrived (method, raw path, raw query, the headers named in
 * {@code SignedHeaders}, the body) and recomputes the signature. Its correctness is anchored by AWS's published
 * example (see {@code SigV4SignerTest}).
 */
final class SigV4Reference {
    private static final Pattern AUTHORIZATION = Pattern.compile("AWS4-HMAC-SHA256 Credential=([^/]+)/(\\d{8})/([^/]+)/([^/]+)"
            + "/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})");

    private SigV4Reference() {}

    /** A request as it arrived: header names lower-case. */
    record Received(String method, String rawPath, String rawQuery, Map<String, List<String>> headers, byte[] body) {
        String header(String name) {
            List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
            return v == null ? null : String.join(",", v.stream().map(s -> s.strip().replaceAll(" +", " ")).toList());
        }
    }

    /**
     * Whether {@code request} carries a valid signature for {@code secretKey}, service and region.
     *
     * @return null when valid, else why not
     */
    static String verify(Received request, String secretKey, String service, String region) {
        String authorization = request.header("authorization");
        if (authorization == null) {
            return "no Authorization header";
        }
        Matcher m = AUTHORIZATION.matcher(authorization);
        if (!m.matches()) {
            return "malformed Authorization: " + authorization;
        }
        if (!m.group(3).equals(region) || !m.group(4).equals(service)) {
            return "scope " + m.group(3) + "/" + m.group(4) + " is not " + region + "/" + service;
        }
        String amzDate = request.header("x-amz-date");
        if (amzDate == null || !amzDate.startsWith(m.group(2))) {
            return "X-Amz-Date " + amzDate + " does not match the scope's date " + m.group(2);
        }
        List<String> signed = List.of(m.group(5).split(";"));
        if (!signed.contains("host")) {
            return "host is not signed";
        }
        String expected = signature(request, signed, secretKey, amzDate, region, service);
        return expected.equals(m.group(6)) ? null : "signature mismatch: expected " + expected + " for canonical request\n"
                + canonicalRequest(request, signed);
    }

    static String signature(Received request, List<String> signedHeaders, String secretKey, String amzDate, String region,
            String service) {
        String date = amzDate.substring(0, 8);
        String scope = date + "/" + region + "/" + service + "/aws4_request";
        String stringToSign = "AWS4-HMAC-SHA256\n" + amzDate + "\n" + scope + "\n"
                + hex(sha256(canonicalRequest(request, signedHeaders).getBytes(StandardCharsets.UTF_8)));
        byte[] key = hmac(("AWS4" + secretKey).getBytes(StandardCharsets.UTF_8), date);
        key = hmac(key, region);
        key = hmac(key, service);
        key = hmac(key, "aws4_request");
        return hex(hmac(key, stringToSign));
    }

    static String canonicalRequest(Received request, List<String> signedHeaders) {
        StringBuilder headers = new StringBuilder();
        for (String name : signedHeaders) {
            headers.append(name).append(':').append(request.header(name) == null ? "" : request.header(name)).append('\n');
        }
        return request.method() + "\n" + canonicalPath(request.rawPath()) + "\n" + canonicalQuery(request.rawQuery()) + "\n"
                + headers + "\n" + String.join(";", signedHeaders) + "\n" + hex(sha256(request.body()));
    }

    /** Each segment encoded again (services other than S3 double-encode the path). */
    private static String canonicalPath(String rawPath) {
        if (rawPath == null || rawPath.isEmpty()) {
            return "/";
        }
        List<String> segments = new ArrayList<>();
        for (String segment : rawPath.split("/", -1)) {
            segments.add(encode(segment));
        }
        return String.join("/", segments);
    }

    private static String canonicalQuery(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return "";
        }
        List<String[]> pairs = new ArrayList<>();
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            pairs.add(new String[] {encode(name), encode(value)});
        }
        pairs.sort((a, b) -> a[0].equals(b[0]) ? a[1].compareTo(b[1]) : a[0].compareTo(b[0]));
        List<String> joined = new ArrayList<>();
        pairs.forEach(p -> joined.add(p[0] + "=" + p[1]));
        return String.join("&", joined);
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20").replace("*", "%2A").replace("%7E", "~");
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
