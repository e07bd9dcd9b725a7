package io.conveyor.api;

import io.conveyor.aws.AwsHttpService;
import io.conveyor.config.ConfigurationException;
import io.conveyor.deployment.Catalogue;
import io.conveyor.persistence.InvalidPageTokenException;
import io.conveyor.persistence.StoredJson;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Makes the listings' page tokens tamper-evident: a token handed out is the stores' token, a dot and an HMAC-SHA256
 * of it under a key only the deployment holds, and a token taken back must carry that HMAC. The stores' tokens are
 * unsigned base64 JSON of a DynamoDB key, so without this a caller could write one for their own partition with a key
 * of any shape, and DynamoDB would refuse it as a server error; with it, whatever reaches a store was issued by one.
 *
 * <p>The key is read once, at start-up: on AWS from the Secrets Manager secret {@value #SECRET_SETTING} names (the
 * CDK stack generates it, so it is in no template, code or log), elsewhere from {@value #KEY_SETTING} (the local
 * runtime generates one per run). Thread-safe.
 */
public final class PageTokenSigner {
    private static final String SECRET_SETTING = Catalogue.PAGE_TOKEN_SECRET_SETTING;
    private static final String KEY_SETTING = Catalogue.PAGE_TOKEN_KEY_SETTING;
    /** 256 bits at the least: as long as HMAC-SHA256's output, so the key is never the weaker part. */
    static final int MIN_KEY_BYTES = 32;
    private static final String ALGORITHM = "HmacSHA256";
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    private final SecretKeySpec key;

    /** @param key at least {@value #MIN_KEY_BYTES} bytes */
    public PageTokenSigner(byte[] key) {
        if (key.length < MIN_KEY_BYTES) {
            throw new IllegalArgumentException("a page-token key needs at least " + MIN_KEY_BYTES + " bytes, got " + key.length);
        }
        this.key = new SecretKeySpec(key, ALGORITHM);
    }

    /**
     * The signer with the deployment's key, read from {@code env}.
     *
     * @param secretsManager the client that reads the secret, built only when {@value #SECRET_SETTING} is set
     * @throws ConfigurationException naming the setting when neither or both are set, or the key is too short
     */
    public static PageTokenSigner fromEnvironment(Map<String, String> env, Supplier<AwsHttpService> secretsManager) {
        String secretArn = blankAsNull(env.get(SECRET_SETTING));
        String key = blankAsNull(env.get(KEY_SETTING));
        if ((secretArn == null) == (key == null)) {
            throw new ConfigurationException(List.of("the API signs page tokens and needs exactly one of " + SECRET_SETTING
                    + " (the ARN of a Secrets Manager secret holding the key; the CDK stack creates it) or " + KEY_SETTING
                    + " (the key itself, outside AWS), " + (key == null ? "got neither" : "got both")));
        }
        String from = key != null ? KEY_SETTING : "the secret " + SECRET_SETTING + " names";
        if (key == null) {
            key = secretsManager.get().callJson("secretsmanager.GetSecretValue", "1.1",
                    StoredJson.MAPPER.createObjectNode().put("SecretId", secretArn)).path("SecretString").asText("");
        }
        byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
        if (bytes.length < MIN_KEY_BYTES) {
            // The length only: the key itself must never reach a message or a log.
            throw new ConfigurationException(List.of("the page-token key from " + from + " has " + bytes.length
                    + " bytes; it needs at least " + MIN_KEY_BYTES + " (such as 43 characters of base64 of random bytes)"));
        }
        return new PageTokenSigner(bytes);
    }

    private static String blankAsNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    /** The token to hand out for a store's {@code token}. */
    public String sign(String token) {
        return token + "." + ENCODER.encodeToString(mac(token));
    }

    /**
     * The store's token inside a token {@link #sign} handed out.
     *
     * @throws InvalidPageTokenException when {@code token} is not one this signer's key signed
     */
    public String verify(String token) {
        int dot = token.lastIndexOf('.');
        if (dot > 0) {
            String inner = token.substring(0, dot);
            // The signature's text is compared, not its decoded bytes: base64's last character carries spare bits a
            // decoder ignores, so another character there would decode to the same signature. In constant time, so the
            // time a refusal takes tells nothing about the right signature.
            byte[] expected = ENCODER.encodeToString(mac(inner)).getBytes(StandardCharsets.US_ASCII);
            if (MessageDigest.isEqual(expected, token.substring(dot + 1).getBytes(StandardCharsets.UTF_8))) {
                return inner;
            }
        }
        throw new InvalidPageTokenException(
                "nextToken is not a token this listing issued; pass back nextToken exactly as received, with the same filters");
    }

    private byte[] mac(String token) {
        try {
            // A Mac is not thread-safe; making one per token costs little next to the query the token is for.
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac.doFinal(token.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(ALGORITHM + " is missing from this JVM, which every Java SE JVM has", e);
        }
    }

    @Override
    public String toString() {
        return "PageTokenSigner[" + ALGORITHM + ", key not shown]";
    }
}
