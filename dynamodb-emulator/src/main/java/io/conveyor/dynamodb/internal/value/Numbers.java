package io.conveyor.dynamodb.internal.value;

/**
 * DynamoDB numbers: up to 38 significant digits, magnitudes from 1E-130 to 9.9999999999999999999999999999999999999E+125,
 * held as canonical text (no exponent, no plus sign, no trailing fractional zeros).
 */
public final class Numbers {
    private Numbers() {
    }

    /** DynamoDB's canonical text of {@code n}, or a ValidationException worded as AWS words it. */
    public static String normalize(String n) {
        throw new UnsupportedOperationException("not yet");
    }

    /** Compares two canonical numbers numerically. */
    public static int compare(String a, String b) {
        throw new UnsupportedOperationException("not yet");
    }

    /** The canonical sum, with AWS's overflow and precision errors. */
    public static String add(String a, String b) {
        throw new UnsupportedOperationException("not yet");
    }

    /** The canonical difference {@code a - b}, with AWS's overflow and precision errors. */
    public static String subtract(String a, String b) {
        throw new UnsupportedOperationException("not yet");
    }
}
