package io.conveyor.dynamodb.internal.value;

import io.conveyor.dynamodb.internal.DynamoDbError;
import java.math.BigDecimal;

/**
 * DynamoDB numbers: up to 38 significant digits, magnitudes from 1E-130 to 9.9999999999999999999999999999999999999E+125,
 * held as canonical text: plain decimal notation, no plus sign, no leading or trailing zeros beyond the one before a
 * decimal point ({@code "0.5"}, {@code "100"}, {@code "-3.14"}).
 */
public final class Numbers {
    /** The number of significant decimal digits DynamoDB keeps. */
    private static final int MAX_DIGITS = 38;
    private static final int MAX_EXPONENT = 125;
    private static final int MIN_EXPONENT = -130;
    private static final String OVERFLOW =
            "Number overflow. Attempting to store a number with magnitude larger than supported range";
    private static final String UNDERFLOW =
            "Number underflow. Attempting to store a number with magnitude smaller than supported range";

    private Numbers() {
    }

    /** DynamoDB's canonical text of {@code n}, or a ValidationException worded as AWS words it. */
    public static String normalize(String n) {
        return canonical(parse(n));
    }

    /** Parses number text as DynamoDB accepts it (optional sign, digits, optional fraction and exponent). */
    private static BigDecimal parse(String n) {
        if (!wellFormed(n)) {
            throw DynamoDbError.validation("The parameter cannot be converted to a numeric value"
                    + (n.isEmpty() ? "" : ": " + n));
        }
        try {
            return new BigDecimal(n);
        } catch (NumberFormatException tooLarge) {
            // Only an exponent too large for an int gets here; its magnitude is far out of range either way.
            int exp = Math.max(n.indexOf('e'), n.indexOf('E'));
            throw DynamoDbError.validation(n.charAt(exp + 1) == '-' ? UNDERFLOW : OVERFLOW);
        }
    }

    /** Compares two numbers numerically (their text need not be canonical). */
    public static int compare(String a, String b) {
        if (a.equals(b)) {
            return 0;
        }
        return new BigDecimal(a).compareTo(new BigDecimal(b));
    }

    /** The canonical sum, with AWS's overflow errors. */
    public static String add(String a, String b) {
        return arithmetic(new BigDecimal(a).add(new BigDecimal(b)));
    }

    /** The canonical difference {@code a - b}, with AWS's overflow errors. */
    public static String subtract(String a, String b) {
        return arithmetic(new BigDecimal(a).subtract(new BigDecimal(b)));
    }

    /**
     * The canonical result of a sum or difference. AWS answers a result that needs more than 38 digits
     * ({@code 1e50 - 1}) with its overflow message, not with the one about significant digits.
     */
    private static String arithmetic(BigDecimal result) {
        if (result.signum() != 0 && result.stripTrailingZeros().precision() > MAX_DIGITS) {
            throw DynamoDbError.validation(OVERFLOW);
        }
        return canonical(result);
    }

    /** The canonical text of a value, after checking DynamoDB's range and precision. */
    static String canonical(BigDecimal value) {
        if (value.signum() == 0) {
            return "0";
        }
        BigDecimal stripped = value.stripTrailingZeros();
        // The power of ten of the most significant digit: 123.4 -> 2, 0.05 -> -2.
        long exponent = (long) stripped.precision() - stripped.scale() - 1;
        if (exponent > MAX_EXPONENT) {
            throw DynamoDbError.validation(OVERFLOW);
        }
        if (exponent < MIN_EXPONENT) {
            throw DynamoDbError.validation(UNDERFLOW);
        }
        if (stripped.precision() > MAX_DIGITS) {
            throw DynamoDbError.validation("Attempting to store more than 38 significant digits in a Number");
        }
        return stripped.toPlainString();
    }

    /** {@code [+-]? (digits [. digits?] | . digits) ([eE] [+-]? digits)?}, checked by hand to stay fast. */
    private static boolean wellFormed(String n) {
        int i = 0;
        int length = n.length();
        if (i < length && (n.charAt(i) == '+' || n.charAt(i) == '-')) {
            i++;
        }
        int integerDigits = 0;
        while (i < length && isDigit(n.charAt(i))) {
            i++;
            integerDigits++;
        }
        int fractionDigits = 0;
        if (i < length && n.charAt(i) == '.') {
            i++;
            while (i < length && isDigit(n.charAt(i))) {
                i++;
                fractionDigits++;
            }
        }
        if (integerDigits + fractionDigits == 0) {
            return false;
        }
        if (i < length && (n.charAt(i) == 'e' || n.charAt(i) == 'E')) {
            i++;
            if (i < length && (n.charAt(i) == '+' || n.charAt(i) == '-')) {
                i++;
            }
            int exponentDigits = 0;
            while (i < length && isDigit(n.charAt(i))) {
                i++;
                exponentDigits++;
            }
            if (exponentDigits == 0) {
                return false;
            }
        }
        return i == length;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
