package io.conveyor.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conveyor.config.ConfigurationException;
import io.conveyor.deployment.Catalogue;
import io.conveyor.persistence.InvalidPageTokenException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PageTokenSignerTest {
    private static final String KEY = "k".repeat(PageTokenSigner.MIN_KEY_BYTES);

    /** The key setting is what the local runtime gives; the secret is read only when its ARN is the setting. */
    private static PageTokenSigner fromEnvironment(Map<String, String> env) {
        return PageTokenSigner.fromEnvironment(env, () -> {
            throw new AssertionError("no secret is read when the key is given");
        });
    }

    @Test
    void aSignedToken_verifiesToWhatWasSigned() {
        PageTokenSigner signer = fromEnvironment(Map.of(Catalogue.PAGE_TOKEN_KEY_SETTING, KEY));
        assertEquals("eyJhIjoiYiJ9", signer.verify(signer.sign("eyJhIjoiYiJ9")));
    }

    @Test
    void aTokenSignedWithAnotherKey_isRefused() {
        PageTokenSigner ours = new PageTokenSigner(KEY.getBytes(StandardCharsets.UTF_8));
        PageTokenSigner theirs = new PageTokenSigner("t".repeat(32).getBytes(StandardCharsets.UTF_8));
        assertThrows(InvalidPageTokenException.class, () -> ours.verify(theirs.sign("eyJhIjoiYiJ9")));
        assertThrows(InvalidPageTokenException.class, () -> ours.verify("eyJhIjoiYiJ9"));
        assertThrows(InvalidPageTokenException.class, () -> ours.verify("eyJhIjoiYiJ9.%%%"));
    }

    /**
     * A 32-byte signature is 43 characters of base64 whose last one carries 2 spare bits: each of the 3 other
     * characters that differ from it only there decodes to the same bytes, and each must be refused all the same.
     */
    @Test
    void aSignatureWhoseLastCharacterDiffersOnlyInItsSpareBits_isRefused() {
        PageTokenSigner signer = new PageTokenSigner(KEY.getBytes(StandardCharsets.UTF_8));
        String token = signer.sign("eyJhIjoiYiJ9");
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        int last = alphabet.indexOf(token.charAt(token.length() - 1));
        for (int spare = 1; spare < 4; spare++) {
            String altered = token.substring(0, token.length() - 1) + alphabet.charAt((last & ~3) | ((last + spare) & 3));
            assertThrows(InvalidPageTokenException.class, () -> signer.verify(altered), altered);
        }
    }

    @Test
    void neitherOrBothSettings_failAtStartUp_namingBoth() {
        ConfigurationException neither = assertThrows(ConfigurationException.class, () -> fromEnvironment(Map.of()));
        assertTrue(neither.getMessage().contains(Catalogue.PAGE_TOKEN_SECRET_SETTING), neither.getMessage());
        assertTrue(neither.getMessage().contains(Catalogue.PAGE_TOKEN_KEY_SETTING), neither.getMessage());
        assertThrows(ConfigurationException.class, () -> fromEnvironment(Map.of(Catalogue.PAGE_TOKEN_KEY_SETTING, KEY,
                Catalogue.PAGE_TOKEN_SECRET_SETTING, "arn:aws:secretsmanager:eu-west-1:123456789012:secret:k")));
    }

    @Test
    void aShortKey_failsAtStartUp_withoutShowingTheKey() {
        String shortKey = "s3cr3t-but-short";
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> fromEnvironment(Map.of(Catalogue.PAGE_TOKEN_KEY_SETTING, shortKey)));
        assertTrue(e.getMessage().contains("at least 32"), e.getMessage());
        assertFalse(e.getMessage().contains(shortKey), e.getMessage());
        assertFalse(new PageTokenSigner(KEY.getBytes(StandardCharsets.UTF_8)).toString().contains(KEY));
    }
}
