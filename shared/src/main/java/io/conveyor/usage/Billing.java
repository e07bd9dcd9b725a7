package io.conveyor.usage;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** The rounding rules of AWS's bills, where they differ from plain arithmetic. */
public final class Billing {
    /** Amounts are shown to a hundred-millionth of a dollar: a one-subjob job costs a few thousandths of a cent. */
    public static final int AMOUNT_SCALE = 8;

    private Billing() {}

    /** Lambda bills an invocation's duration rounded up to the next millisecond (since December 2020). */
    public static long lambdaMillis(long nanos) {
        if (nanos < 0) {
            throw new IllegalArgumentException("a duration cannot be negative: " + nanos + " ns");
        }
        return Math.floorDiv(nanos + 999_999, 1_000_000);
    }

    /** {@code amount} as shown: half up to {@value #AMOUNT_SCALE} decimal places. */
    public static BigDecimal shown(BigDecimal amount) {
        return amount.setScale(AMOUNT_SCALE, RoundingMode.HALF_UP);
    }
}
